/**
 * @file
 * @brief Waivers: reviewed, justified findings (config key `waivers`, schema "capos-waivers/1").
 *        A waived finding is reported with its justification (a SARIF suppression) and does not
 *        fail `check`; a waiver that matches no finding is finding INV019.
 */
#ifndef INV_WAIVERS_H
#define INV_WAIVERS_H

#include <stdbool.h>
#include <stddef.h>

#include "findings.h"

/** @brief Schema string of a waivers file. */
#define WAIVERS_SCHEMA "capos-waivers/1"

/** @brief One waiver: which finding, and who accepted it, when and why. */
struct waiver {
	char *rule;      /**< Rule ID of the finding ("INV011", "cocci/tlb/..."). */
	char *file;      /**< Repository-relative file of the finding. */
	char *function;  /**< Function (the finding's symbol); "" for none. */
	char *contains;  /**< Text the message must contain, or NULL. */
	char *reason;    /**< The justification shown in every report. */
	char *by;        /**< Who reviewed it. */
	char *on;        /**< When (YYYY-MM-DD). */
	int line;        /**< Line of the entry in the waivers file. */
	int used;        /**< Findings it matched in this run. */
};

/** @brief A loaded waivers file. */
struct waivers {
	char *path;        /**< As given. */
	struct waiver *v;  /**< Entries, in file order. */
	size_t n;          /**< Number of entries. */
};

/**
 * @brief Read and validate a waivers file; every problem is printed (waivers_io.c: the file's
 *        JSON edge).
 * @param path File. @param out Filled on success.
 * @return 0, or -1 when the file is unreadable or malformed (nothing is loaded).
 */
int waivers_load(const char *path, struct waivers *out);

/**
 * @brief Mark every finding a waiver matches (waived, with its reason, reviewer and date) and
 *        append an INV019 finding for each waiver that matched nothing.
 * @param ws Waivers. @param f Findings (changed in place).
 * @param rel_path The waivers file as findings should name it (repository-relative).
 * @return Number of findings waived.
 */
size_t waivers_apply(struct waivers *ws, struct findings *f, const char *rel_path);

/** @brief Findings without a waiver (the ones that fail `check`). @param f Findings. @return Count. */
size_t waivers_unwaived(const struct findings *f);

/** @brief Free a loaded waivers file. @param ws Waivers. */
void waivers_free(struct waivers *ws);

#endif
