/**
 * @file
 * @brief Small helpers shared by every part of the inventory: memory, strings, files, hashing,
 *        glob matching and the placeholder patterns of the config.
 */
#ifndef INV_UTIL_H
#define INV_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/** @brief Exit codes of every command. */
enum { INV_OK = 0, INV_FINDINGS = 1, INV_USAGE = 2 };

/** @brief Growable string buffer; always NUL-terminated. */
struct sbuf {
	char *s;   /**< Contents (never NULL after the first append). */
	size_t n;  /**< Length without the NUL. */
	size_t cap;/**< Allocated bytes. */
};

/**
 * @brief malloc that aborts the tool on exhaustion (a tool cannot continue without memory).
 * @param n Bytes.
 * @return Never NULL.
 */
void *xmalloc(size_t n);
/** @brief calloc that aborts on exhaustion. @param n Count. @param sz Size. @return Never NULL. */
void *xcalloc(size_t n, size_t sz);
/** @brief realloc that aborts on exhaustion. @param p Block. @param n Bytes. @return Never NULL. */
void *xrealloc(void *p, size_t n);
/** @brief strdup that aborts on exhaustion. @param s String. @return Never NULL. */
char *xstrdup(const char *s);
/** @brief asprintf that aborts on exhaustion. @param fmt Format. @return Never NULL. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** @brief Append formatted text. @param b Buffer. @param fmt Format. */
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** @brief Append a string. @param b Buffer. @param s Text. */
void sb_puts(struct sbuf *b, const char *s);
/** @brief Release a buffer's memory. @param b Buffer. */
void sb_free(struct sbuf *b);

/**
 * @brief Read a whole file.
 * @param path File.
 * @param len Out: length (may be NULL).
 * @return A NUL-terminated malloc'd copy, or NULL when the file cannot be read (errno set).
 */
char *read_file(const char *path, size_t *len);
/**
 * @brief Write a whole file, creating parent directories.
 * @param path File.
 * @param data Bytes.
 * @param len Length.
 * @return 0, or -1 on any I/O error (errno set).
 */
int write_file(const char *path, const char *data, size_t len);
/** @brief mkdir -p. @param path Directory. @return 0 or -1 (errno set). */
int mkdir_p(const char *path);

/**
 * @brief 128-bit content hash (two independent FNV-1a lanes), as 32 hex characters.
 * @param data Bytes. @param len Length. @param out 33-byte buffer.
 */
void hash_hex(const void *data, size_t len, char out[33]);
/** @brief Hash of a file's contents. @param path File. @param out 33 bytes. @return 0 or -1. */
int hash_file(const char *path, char out[33]);

/**
 * @brief Glob match where `**` crosses '/' and `*` does not.
 * @param pat Pattern. @param s Subject.
 * @return true on a match.
 */
bool glob_match(const char *pat, const char *s);

/**
 * @brief Match a placeholder pattern such as "perform_{object}_{op}".
 *
 * Each `{name}` but the last matches the shortest non-empty text that lets the rest match; the
 * last matches the longest.
 * @param pat Pattern. @param s Subject.
 * @param names Out: placeholder names (caller frees each), up to @p max.
 * @param vals Out: matched texts (caller frees each), up to @p max.
 * @param max Capacity of the arrays.
 * @return Number of placeholders matched (>= 0), or -1 when @p s does not match.
 */
int pattern_match(const char *pat, const char *s, char **names, char **vals, int max);
/** @brief Does @p s match placeholder pattern @p pat? @param pat Pattern. @param s Subject. @return true on a match. */
bool glob_match_placeholder(const char *pat, const char *s);
/**
 * @brief The value of one placeholder, or NULL. @param pat Pattern. @param s Subject.
 * @param name Placeholder. @return malloc'd text or NULL when @p s does not match.
 */
char *pattern_get(const char *pat, const char *s, const char *name);

/**
 * @brief Replace every `{name}` in @p pat with @p val ("Slice {group}" -> "Slice A").
 * @param pat Pattern. @param name Placeholder name. @param val Text. @return malloc'd result.
 */
char *pattern_fill(const char *pat, const char *name, const char *val);

/**
 * @brief Path of @p path relative to @p root when inside it.
 * @param root Absolute directory (no trailing slash). @param path Absolute path.
 * @return malloc'd relative path, or NULL when @p path is outside @p root.
 */
char *relpath_under(const char *root, const char *path);
/** @brief Lexically normalize an absolute path (., .., //). @param p Path. @return malloc'd. */
char *path_normalize(const char *p);
/** @brief Join dir and a possibly relative path, normalized. @return malloc'd. */
char *path_join(const char *dir, const char *p);

/** @brief Case: is stdout/stderr a terminal (for progress). @return true on a TTY. */
bool stderr_is_tty(void);

/** @brief A list of owned strings. */
struct strv {
	char **v;   /**< Elements (an element may be NULL: a JSON null). */
	size_t n;   /**< Count. */
};

/** @brief Append a copy of @p s to a list. @param l List. @param s String. */
void strv_push(struct strv *l, const char *s);
/** @brief Sort a list (strcmp) and drop duplicates: a set. @param l List. */
void strv_sort_uniq(struct strv *l);
/** @brief Does identifier @p id occur in @p text as a whole word (not inside a longer name)?
 *  @param text C text. @param id Identifier. @return true if so. */
bool has_word(const char *text, const char *id);
/** @brief Whether a sorted set holds @p s. @param l Set. @param s String. @return true if so. */
bool strv_has(const struct strv *l, const char *s);
/** @brief Free a list's strings and array (zeroed after). @param l List. */
void strv_free(struct strv *l);
/** @brief Deep copy of a list. @param dst Out. @param src List. */
void strv_copy(struct strv *dst, const struct strv *src);
/** @brief Does @p s match any glob of a list? @param globs Globs. @param s Subject. @return true on a match. */
bool globs_match(const struct strv *globs, const char *s);

/** @brief A map from strings to integers (an index into an array kept beside it). */
struct smap { char **keys; long long *vals; size_t cap, n; };
/** @brief Value of @p key, or -1. */
long long smap_get(const struct smap *m, const char *key);
/** @brief Set @p key to @p val (the key is copied). */
void smap_put(struct smap *m, const char *key, long long val);
/** @brief Free a map (zeroed after). */
void smap_free(struct smap *m);

/** @brief qsort comparator for arrays of `char *`. */
int cmp_strp(const void *a, const void *b);

#endif
