/* util.c: memory, strings, files, hashing and pattern helpers used by every part of the tool. */
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void oom(void)
{
	fputs("inventory: out of memory\n", stderr);
	exit(INV_USAGE);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		oom();
	return p;
}

static char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	sb_puts(b, s);
	free(s);
}

void sb_puts(struct sbuf *b, const char *s)
{
	size_t l = strlen(s);
	if (b->n + l + 1 > b->cap) {
		b->cap = (b->n + l + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, l + 1);
	b->n += l;
}

void sb_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->n = b->cap = 0;
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct sbuf b = {0};
	char buf[65536];
	size_t r;
	if (!f)
		return NULL;
	sb_puts(&b, "");
	while ((r = fread(buf, 1, sizeof buf, f)) > 0) {
		if (b.n + r + 1 > b.cap) {
			b.cap = (b.n + r + 1) * 2;
			b.s = xrealloc(b.s, b.cap);
		}
		memcpy(b.s + b.n, buf, r);
		b.n += r;
		b.s[b.n] = 0;
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		sb_free(&b);
		errno = e ? e : EIO;
		return NULL;
	}
	fclose(f);
	if (len)
		*len = b.n;
	return b.s;
}

int mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = (mkdir(p, 0777) < 0 && errno != EEXIST) ? -1 : 0;
	free(p);
	return rc;
}

int write_file(const char *path, const char *data, size_t len)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	FILE *f;
	int ok;
	if (slash && slash != dir) {
		*slash = 0;
		if (mkdir_p(dir) < 0) {
			free(dir);
			free(tmp);
			return -1;
		}
	}
	free(dir);
	/* A target that exists and is not a regular file (/dev/null, a FIFO, a symlink) is written
	 * through, never replaced by a rename: renaming over /dev/null would replace the device. */
	struct stat st;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		free(tmp);
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return -1;
		}
		f = fopen(path, "wb");
		if (!f)
			return -1;
		ok = fwrite(data, 1, len, f) == len;
		ok = (fclose(f) == 0) && ok;
		return ok ? 0 : -1;
	}
	/* Write a temporary file and rename it, so a reader never sees half a file. */
	f = fopen(tmp, "wb");
	if (!f) {
		free(tmp);
		return -1;
	}
	ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) < 0) {
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

void hash_hex(const void *data, size_t len, char out[33])
{
	const unsigned char *p = data;
	uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL ^ len;
	for (size_t i = 0; i < len; i++) {
		a = (a ^ p[i]) * 0x100000001b3ULL;
		b = (b ^ p[i] ^ (i & 0xff)) * 0x880355f21e6d1965ULL;
		b ^= b >> 29;
	}
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
}

int hash_file(const char *path, char out[33])
{
	size_t len;
	char *d = read_file(path, &len);
	if (!d)
		return -1;
	hash_hex(d, len, out);
	free(d);
	return 0;
}

bool glob_match(const char *pat, const char *s)
{
	for (; *pat; pat++, s++) {
		if (pat[0] == '*' && pat[1] == '*') {
			pat += 2;
			if (*pat == '/')
				pat++;
			for (const char *t = s;; t++) {
				if (glob_match(pat, t))
					return true;
				if (!*t)
					return false;
			}
		}
		if (*pat == '*') {
			for (const char *t = s;; t++) {
				if (glob_match(pat + 1, t))
					return true;
				if (!*t || *t == '/')
					return false;
			}
		}
		if (!*s || (*pat != '?' && *pat != *s) || (*pat == '?' && *s == '/'))
			return false;
	}
	return *s == 0;
}

static int pm(const char *pat, const char *s, char **names, char **vals, int k, int max)
{
	const char *open = strchr(pat, '{');
	if (!open)
		return strcmp(pat, s) == 0 ? k : -1;
	size_t lit = (size_t)(open - pat);
	if (strncmp(pat, s, lit) != 0)
		return -1;
	s += lit;
	const char *close = strchr(open, '}');
	if (!close)
		return -1;
	const char *rest = close + 1;
	bool last = strchr(rest, '{') == NULL;
	size_t sl = strlen(s);
	for (size_t i = 1; i <= sl; i++) {
		size_t n = last ? sl + 1 - i : i;  /* last placeholder: longest first */
		int r = pm(rest, s + n, names, vals, k + 1, max);
		if (r < 0)
			continue;
		if (k < max) {
			names[k] = xasprintf("%.*s", (int)(close - open - 1), open + 1);
			vals[k] = xasprintf("%.*s", (int)n, s);
		}
		return r;
	}
	return -1;
}

int pattern_match(const char *pat, const char *s, char **names, char **vals, int max)
{
	return pm(pat, s, names, vals, 0, max);
}

char *pattern_get(const char *pat, const char *s, const char *name)
{
	char *names[8] = {0}, *vals[8] = {0}, *res = NULL;
	int n = pattern_match(pat, s, names, vals, 8);
	for (int i = 0; i < n && i < 8; i++) {
		if (!res && strcmp(names[i], name) == 0)
			res = xstrdup(vals[i]);
		free(names[i]);
		free(vals[i]);
	}
	return res;
}

char *path_normalize(const char *p)
{
	char *out = xmalloc(strlen(p) + 2), *o = out;
	const char *s = p;
	while (*s) {
		while (*s == '/')
			s++;
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0)
			break;
		if (n == 1 && s[0] == '.') {
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (o > out && *--o != '/')
				;
		} else {
			*o++ = '/';
			memcpy(o, s, n);
			o += n;
		}
		s += n;
	}
	if (o == out)
		*o++ = '/';
	*o = 0;
	return out;
}

char *path_join(const char *dir, const char *p)
{
	if (p[0] == '/')
		return path_normalize(p);
	char *j = xasprintf("%s/%s", dir, p), *r = path_normalize(j);
	free(j);
	return r;
}

char *relpath_under(const char *root, const char *path)
{
	size_t n = strlen(root);
	if (strncmp(root, path, n) != 0 || (path[n] != '/' && path[n] != 0))
		return NULL;
	return xstrdup(path[n] == '/' ? path + n + 1 : path + n);
}

bool stderr_is_tty(void)
{
	return isatty(2) != 0;
}

int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *pattern_fill(const char *pat, const char *name, const char *val)
{
	struct sbuf b = {0};
	char *ph = xasprintf("{%s}", name);
	size_t pl = strlen(ph);
	sb_puts(&b, "");
	for (const char *p = pat; *p;) {
		if (strncmp(p, ph, pl) == 0) {
			sb_puts(&b, val);
			p += pl;
		} else {
			sb_printf(&b, "%c", *p++);
		}
	}
	free(ph);
	return b.s;
}

bool glob_match_placeholder(const char *pat, const char *s)
{
	char *names[4], *vals[4];
	int n = pattern_match(pat, s, names, vals, 4);
	for (int i = 0; i < n; i++) {
		free(names[i]);
		free(vals[i]);
	}
	return n >= 0;
}

/* ---- lists of strings ---- */

void strv_push(struct strv *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

void strv_sort_uniq(struct strv *l)
{
	size_t j = 0;
	if (!l->n)
		return;
	qsort(l->v, l->n, sizeof *l->v, cmp_strp);
	for (size_t i = 1; i < l->n; i++) {
		if (!strcmp(l->v[i], l->v[j]))
			free(l->v[i]);
		else
			l->v[++j] = l->v[i];
	}
	l->n = j + 1;
}

bool strv_has(const struct strv *l, const char *s)
{
	return l->n && bsearch(&s, l->v, l->n, sizeof *l->v, cmp_strp) != NULL;
}

void strv_free(struct strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

bool globs_match(const struct strv *globs, const char *s)
{
	for (size_t i = 0; i < globs->n; i++)
		if (globs->v[i] && glob_match(globs->v[i], s))
			return true;
	return false;
}

void strv_copy(struct strv *dst, const struct strv *src)
{
	dst->n = src->n;
	dst->v = xcalloc(src->n ? src->n : 1, sizeof *dst->v);
	for (size_t i = 0; i < src->n; i++)
		dst->v[i] = src->v[i] ? xstrdup(src->v[i]) : NULL;
}

/* ---- string -> index map (open addressing, FNV-1a) ---- */

static size_t smap_hash(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void smap_grow(struct smap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	char **keys = xcalloc(cap, sizeof *keys);
	long long *vals = xcalloc(cap, sizeof *vals);
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i]) {
			size_t j = smap_hash(m->keys[i]) & (cap - 1);
			while (keys[j])
				j = (j + 1) & (cap - 1);
			keys[j] = m->keys[i];
			vals[j] = m->vals[i];
		}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
}

long long smap_get(const struct smap *m, const char *key)
{
	if (!m->cap)
		return -1;
	for (size_t j = smap_hash(key) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1))
		if (!strcmp(m->keys[j], key))
			return m->vals[j];
	return -1;
}

void smap_put(struct smap *m, const char *key, long long val)
{
	if ((m->n + 1) * 2 > m->cap)
		smap_grow(m);
	size_t j = smap_hash(key) & (m->cap - 1);
	while (m->keys[j] && strcmp(m->keys[j], key))
		j = (j + 1) & (m->cap - 1);
	if (!m->keys[j]) {
		m->keys[j] = xstrdup(key);
		m->n++;
	}
	m->vals[j] = val;
}

void smap_free(struct smap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

bool has_word(const char *t, const char *id)
{
	size_t l = strlen(id);
	for (const char *p = t; l && (p = strstr(p, id)); p += l)
		if ((p == t || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
		    !(isalnum((unsigned char)p[l]) || p[l] == '_'))
			return true;
	return false;
}
