/*
 * cmdline.c - the kernel command line: a private copy, `key=value` lookup and glob matching.
 */
#include <kern/cmdline.h>
#include <kern/printf.h>
#include <kern/string.h>
#include <mm/phys.h>

static char cmdline[256];

void cmdline_init(paddr_t pa)
{
	const char *src;
	size_t n;

	if (!pa)
		return;
	src = phys_to_virt(pa);
	n = strlen(src);
	if (n >= sizeof(cmdline)) {
		kprintf("cmdline: truncated to %zu bytes\n", sizeof(cmdline) - 1);
		n = sizeof(cmdline) - 1;
	}
	memcpy(cmdline, src, n);
	cmdline[n] = '\0';
}

const char *cmdline_get(void)
{
	return cmdline;
}

bool cmdline_value(const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		const char *word = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - word) > klen && !strncmp(word, key, klen) && word[klen] == '=') {
			size_t n = (size_t)(p - word) - klen - 1;
			if (n >= size)
				n = size - 1;
			memcpy(buf, word + klen + 1, n);
			buf[n] = '\0';
			return true;
		}
	}
	return false;
}

bool glob_match(const char *pattern, const char *s)
{
	const char *star = NULL, *resume = NULL;

	/* Greedy match with one backtrack point: the last '*' seen. */
	while (*s) {
		if (*pattern == '*') {
			star = ++pattern;
			resume = s;
		} else if (*pattern == '?' || *pattern == *s) {
			pattern++;
			s++;
		} else if (star) {
			pattern = star;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pattern == '*')
		pattern++;
	return *pattern == '\0';
}
