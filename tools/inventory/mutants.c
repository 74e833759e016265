/* mutants.c: the mutation record and the survivors' justifications (issue 11, "teeth"): found
 * next to the proof table, read by mutants_io.c, each entry's freshness judged by the SHA-256 of
 * its function's text, attached to the model's obligations, judged by INV025 and INV026.
 * See mutants.h and docs/audit/witnesses.md. */
#include "mutants.h"
#include "check.h"
#include "mutants_io.h"
#include "util.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SHA-256 (FIPS 180-4), so a record's source hash is checked with the runner's hash ---- */

static const uint32_t K256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

void mutants_sha256_hex(const void *data, size_t len, char out[65])
{
	uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	const unsigned char *p = data;
	size_t i = 0;
	for (; i + 64 <= len; i += 64)
		sha256_block(h, p + i);
	unsigned char tail[128] = {0};
	size_t rest = len - i, n = rest < 56 ? 64 : 128;
	memcpy(tail, p + i, rest);
	tail[rest] = 0x80;
	uint64_t bits = (uint64_t)len * 8;
	for (int j = 0; j < 8; j++)
		tail[n - 1 - j] = (unsigned char)(bits >> (8 * j));
	sha256_block(h, tail);
	if (n == 128)
		sha256_block(h, tail + 64);
	for (int j = 0; j < 8; j++)
		snprintf(out + 8 * j, 9, "%08x", h[j]);
}

/* The function whose definition begins on 1-based line: from the start of that line through the
 * '}' closing its first '{', skipping comments, string and character literals; to the end of the
 * text when no body closes. The same cut as tests/mutants/mutate's function_span(). */
static void function_span(const char *t, size_t n, long long line, size_t *start, size_t *end)
{
	size_t i = 0;
	for (long long l = 1; l < line && i < n; i++)
		l += t[i] == '\n';
	*start = i;
	int depth = 0;
	while (i < n) {
		char c = t[i];
		if (c == '/' && i + 1 < n && t[i + 1] == '*') {
			const char *e = i + 2 <= n ? memmem(t + i + 2, n - i - 2, "*/", 2) : NULL;
			i = e ? (size_t)(e - t) + 2 : n;
			continue;
		}
		if (c == '/' && i + 1 < n && t[i + 1] == '/') {
			const char *e = memchr(t + i, '\n', n - i);
			i = e ? (size_t)(e - t) : n;
			continue;
		}
		if (c == '"' || c == '\'') {
			for (i++; i < n && t[i] != c && t[i] != '\n';)
				i += t[i] == '\\' ? 2 : 1;
			i++;
			continue;
		}
		if (c == '{')
			depth++;
		else if (c == '}' && depth > 0 && --depth == 0) {
			*end = i + 1;
			return;
		}
		i++;
	}
	*end = n;
}

/* SHA-256 of the current text of function fn of file (repository-relative), located by the
 * model's definition line; false when the function or the file is gone. */
static bool function_hash(const struct config *cfg, const struct model *m, const char *file, const char *fn,
			  char hex[65])
{
	long long line = 0;
	for (size_t i = 0; i < m->n_functions && !line; i++)
		if (!strcmp(m->functions[i].name, fn) && !strcmp(m->functions[i].file, file))
			line = m->functions[i].line;
	if (!line)
		return false;
	char *abs = path_join(cfg->root_dir, file);
	size_t len, a, b;
	char *data = read_file(abs, &len);
	free(abs);
	if (!data)
		return false;
	function_span(data, len, line, &a, &b);
	mutants_sha256_hex(data + a, b > a ? b - a : 0, hex);
	free(data);
	return true;
}

/* ---- the two files (read by mutants_io.c), each entry judged ---- */

struct entry {
	const struct mutant_site *x;  /* the record entry (borrowed from the files) */
	const char *id, *file, *function, *cls, *status, *key;
	long long line;
	bool stale;         /* the file's SHA-256 differs from source_sha256 (or it is gone) */
	const char *why;    /* justification reason, or NULL */
};

struct mrec {
	struct mutant_files files;   /* both files (no entries: the file does not exist) */
	char *rec_path, *just_path;  /* absolute */
	char *rec_rel, *just_rel;    /* repository-relative, for findings */
	struct entry *v; size_t n;
};

static char *beside_proof_table(const struct config *cfg, const char *name)
{
	char *copy = xstrdup(cfg->proof_table_path), *p = path_join(dirname(copy), name);
	free(copy);
	return p;
}

static void mrec_free(struct mrec *r)
{
	mutants_files_free(&r->files);
	free(r->rec_path);
	free(r->just_path);
	free(r->rec_rel);
	free(r->just_rel);
	free(r->v);
}

/* Load both files and judge each entry's freshness. -1 after printing why. */
static int mrec_load(const struct config *cfg, const struct model *m, struct mrec *r)
{
	memset(r, 0, sizeof *r);
	r->rec_path = beside_proof_table(cfg, "mutants.json");
	r->just_path = beside_proof_table(cfg, "mutant-justifications.json");
	r->rec_rel = relpath_under(cfg->root_dir, r->rec_path);
	r->just_rel = relpath_under(cfg->root_dir, r->just_path);
	if (!r->rec_rel)
		r->rec_rel = xstrdup(r->rec_path);
	if (!r->just_rel)
		r->just_rel = xstrdup(r->just_path);
	if (mutants_read(r->rec_path, r->just_path, &r->files) < 0) {
		mrec_free(r);
		return -1;
	}
	const struct mutant_files *fs = &r->files;
	r->v = xcalloc(fs->n_sites + 1, sizeof *r->v);
	for (size_t i = 0; i < fs->n_sites; i++) {
		const struct mutant_site *s = &fs->sites[i];
		struct entry *x = &r->v[r->n++];
		*x = (struct entry){.x = s, .id = s->id, .file = s->file, .function = s->function, .cls = s->cls,
				    .status = s->status, .key = s->key, .line = s->line};
		if (!strcmp(x->status, "not-run"))  /* no verdict: nothing to go stale */
			continue;
		char hex[65] = "";
		x->stale = !function_hash(cfg, m, x->file, x->function, hex) || strcmp(hex, s->source_sha256) != 0;
		for (size_t k = 0; k < fs->n_just; k++)
			if (!strcmp(fs->just[k].site, x->id))
				x->why = fs->just[k].reason;
	}
	return 0;
}

/* ---- attaching to obligations ---- */

/* Worst first: what an obligation shows when its entries disagree. */
static int rank(const struct entry *x)
{
	static const char *order[] = {"stale", "survived", "invalid", "unmutable", "baseline", "untested", "not-run",
				      "killed", NULL};
	const char *s = x->stale ? "stale" : x->status;
	for (int i = 0; order[i]; i++)
		if (!strcmp(order[i], s))
			return i;
	return 99;
}

int mutants_attach(const struct config *cfg, struct model *m)
{
	struct mrec r;
	if (mrec_load(cfg, m, &r) < 0)
		return -1;
	for (size_t i = 0; i < m->n_obligations; i++) {
		struct obligation *o = &m->obligations[i];
		const struct entry *worst = NULL;
		bool all_justified = true;
		for (size_t k = 0; k < r.n; k++) {
			const struct entry *x = &r.v[k];
			if (strcmp(x->file, o->file) || strcmp(x->function, o->function) || strcmp(x->cls, o->cls))
				continue;
			if (!strcmp(o->cls, "transition") && x->line != o->line)
				continue;  /* a transition is its own site (lines hold: the file is unchanged) */
			if (!worst || rank(x) < rank(worst))
				worst = x;
			if (!x->stale && !strcmp(x->status, "survived") && !x->why)
				all_justified = false;
		}
		if (!worst)
			continue;
		free(o->mutant.status);
		free(o->mutant.key);
		free(o->mutant.justification);
		o->mutant.status = xstrdup(worst->stale ? "stale" : worst->status);
		o->mutant.key = xstrdup(worst->key);
		o->mutant.justification = !worst->stale && !strcmp(worst->status, "survived") && all_justified && worst->why ?
			xstrdup(worst->why) : NULL;
	}
	mrec_free(&r);
	return 0;
}

/* ---- rules ---- */

/* A finding of rule; msg is consumed. A line before the first (a record without one) is 1. */
static void add(struct findings *out, const char *rule, const char *file, long long line, const char *symbol,
		char *msg)
{
	findings_add(out, rule, file, line > 0 ? line : 1, symbol, msg);
}

int mutants_rules(const struct config *cfg, const struct model *m, struct findings *out)
{
	struct mrec r;
	if (mrec_load(cfg, m, &r) < 0)
		return -1;
	for (size_t k = 0; k < r.n; k++) {
		const struct entry *x = &r.v[k];
		if (x->stale)
			add(out, "INV026", x->file, x->line, x->function,
			    xasprintf("mutation record of %s is stale: %s in %s changed since the run (the SHA-256 of its "
				      "text is not the record's source_sha256, or it is gone); rerun: tests/mutants/mutate "
				      "--only '%s' --record %s", x->id, x->function, x->file, x->id, r.rec_rel));
		else if (!strcmp(x->status, "survived") && !x->why) {
			struct sbuf t = {0};
			sb_puts(&t, "");
			for (size_t i = 0; i < x->x->tests_run.n; i++)
				sb_printf(&t, "%s%s", i ? " " : "", x->x->tests_run.v[i] ? x->x->tests_run.v[i] : "(null)");
			add(out, "INV025", x->file, x->line, x->function,
			    xasprintf("mutant %s survived: with the %s call removed every cited test still passed (%s); "
				      "strengthen a test so it fails without the call, or justify the site in %s",
				      x->id, x->x->callee ? x->x->callee : "site's", t.n ? t.s : "none ran", r.just_rel));
			sb_free(&t);
		}
	}
	for (size_t i = 0; i < r.files.n_just; i++) {
		const char *site = r.files.just[i].site;
		bool used = false;
		for (size_t k = 0; k < r.n && !used; k++)
			used = !strcmp(r.v[k].id, site) && !strcmp(r.v[k].status, "survived");  /* stale: INV026 above */
		if (!used)
			add(out, "INV026", r.just_rel, r.files.just[i].line, site,
			    xasprintf("justification of %s justifies no surviving mutant (the site is killed, not run, "
				      "not in %s, or gone): remove it, or rerun the site", site, r.rec_rel));
	}
	mrec_free(&r);
	return 0;
}
