/* main.c: the `inventory` command line: scan, tables, check, diff, rules. Owns option parsing
 * and the order of the pipeline (load DB, parse, visit, model, emit); each step lives in its
 * own file. Exit: 0 ok, 1 findings, 2 usage or input error. */
#include "cdb.h"
#include "check.h"
#include "cli_io.h"
#include "mutants.h"
#include "waivers.h"
#include "config.h"
#include "diff.h"
#include "emit.h"
#include "evidence.h"
#include "jschema_io.h"
#include "model.h"
#include "model_io.h"
#include "cache_io.h"
#include "proof.h"
#include "scan.h"
#include "shard.h"
#include "tables.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INV_VERSION "1.0.0"
#define MAX_ROUNDS 10  /* wrapper-derivation rounds (capOS needs 8); reaching it is INV017 per function found and not applied */
#ifndef INV_RESOURCE_DIR
#define INV_RESOURCE_DIR NULL
#endif

struct opts {
	const char *root, *config, *build, *cdb, *model, *out, *cache, *ctest_json, *witness_dir;
	const char *junit[8];   /* --junit, repeatable: CTest's file and the per-kernel-test file */
	int njunit;
	const char *tables, *format, *sarif, *shard, *wrappers, *wrappers_out;
	const char *findings[16];
	int nfindings, jobs;
	bool no_cache, check_only;
	char root_abs[PATH_MAX];
};

static const char usage_main[] =
	"usage: inventory <command> [options]\n\n"
	"Audits how a C kernel mutates memory, from its compile database (libclang).\n\n"
	"commands:\n"
	"  scan     compile database -> versioned JSON model\n"
	"  tables   model + evidence -> generated pages (Markdown, Graphviz)\n"
	"  check    model + evidence -> findings (exit 1 on any)\n"
	"  diff     OLD NEW models -> Markdown review summary\n"
	"  merge    shard files of `scan --shard I/N` -> the model\n"
	"  rules    list the check rules\n"
	"  schema   print the config's JSON Schema, or check a schema uses only what the validator implements\n\n"
	"`inventory <command> --help` describes each; `inventory --version` prints the version.\n"
	"Exit: 0 ok, 1 findings, 2 usage or input error.\n";

static const char usage_common[] =
	"  --root DIR        repository root (default: current directory)\n"
	"  --config FILE     config (default: ROOT/tools/inventory/capos.json)\n";
static const char usage_scan_in[] =
	"  --build DIR       build tree holding compile_commands.json\n"
	"  --cdb FILE        compile_commands.json (instead of --build)\n"
	"  -j, --jobs N      parser threads (default: online CPUs)\n"
	"  --cache DIR       per-TU cache (default: BUILD/inventory-cache); --no-cache disables it\n";
static const char usage_ev[] =
	"  --junit FILE      JUnit results (pass/fail of evidence); repeatable: CTest's file and\n"
	"                    the per-kernel-test file (BUILD/junit/ktests/qemu_ktests.xml)\n"
	"  --witness-dir DIR witness files of the same run (BUILD/witness): a citation counts for a\n"
	"                    site only when the cited test executed it (docs/audit/witness-format.md)\n"
	"  --ctest-json FILE `ctest --show-only=json-v1` output (default: run ctest in --build,\n"
	"                    or ROOT/build)\n";

static void help(const char *cmd)
{
	if (!strcmp(cmd, "scan"))
		printf("usage: inventory scan (--build DIR | --cdb FILE) [--out FILE] [options]\n\n"
		       "Parses every in-scope TU of the compile database in parallel and writes the model\n"
		       "(schema capos-inventory/3) to --out (default: stdout). Any TU with errors: exit 2,\n"
		       "no model.\n\n%s%s  --out FILE        model output\n"
		       "  --shard I/N       scan only the TUs whose index is I modulo N and write their facts\n"
		       "                    for `inventory merge` (a CI job matrix)\n"
		       "  --wrappers FILE   with --shard: scan with the derived wrappers a merge wrote\n", usage_common, usage_scan_in);
	else if (!strcmp(cmd, "tables"))
		printf("usage: inventory tables (--model FILE | --build DIR) [--out DIR] [--check] [options]\n\n"
		       "Writes one table and diagram per state machine, the inventory page, the backlog\n"
		       "checklist, the rule catalog and index.md into --out (default ROOT/docs/state-tables).\n"
		       "Pages show declared evidence and the witnesses of the committed witness summary (the\n"
		       "proof table's witness_summary), never a live run's results, so they change only when\n"
		       "the code, the declarations or the summary do. With --witness-dir (and --junit), the\n"
		       "summary is first regenerated from that run's witness files and written.\n"
		       "--check writes nothing and exits 1 when the directory is stale.\n\n%s%s%s"
		       "  --model FILE      model from `inventory scan` (else scan now)\n", usage_common, usage_scan_in, usage_ev);
	else if (!strcmp(cmd, "check"))
		printf("usage: inventory check (--model FILE | --build DIR) [options]\n\n"
		       "Runs every check rule (see `inventory rules`). Exit 1 on any finding.\n\n%s%s%s"
		       "  --model FILE      model from `inventory scan` (else scan now)\n"
		       "  --findings FILE   merge a capos-findings/1 file (Coccinelle); repeatable\n"
		       "  --tables DIR      report stale generated pages in DIR\n"
		       "  --format F        text (default), json, markdown, sarif\n"
		       "  --out FILE        write the report there (default: stdout)\n"
		       "  --sarif FILE      also write SARIF 2.1.0 there\n", usage_common, usage_scan_in, usage_ev);
	else if (!strcmp(cmd, "diff"))
		printf("usage: inventory diff OLD.json NEW.json [--junit FILE] [--ctest-json FILE] [options]\n\n"
		       "Markdown review summary: transitions added, removed or changed; operations whose\n"
		       "primitives, locks or ledger effects changed; transitions that became unproven\n"
		       "(evaluated against the current evidence). Exit 0 when nothing changed, 1 otherwise.\n\n%s%s"
		       "  --out FILE        write the summary there (default: stdout)\n", usage_common, usage_ev);
	else if (!strcmp(cmd, "merge"))
		printf("usage: inventory merge SHARD.json... [--out MODEL] [--wrappers-out FILE] [options]\n\n"
		       "Joins the shards of `inventory scan --shard I/N` (every I of one N, scanned from one tree\n"
		       "with one config) into the model an unsharded scan writes, byte for byte. When the\n"
		       "joined facts derive wrapper functions the shards did not scan with, writes the wrapper\n"
		       "list to --wrappers-out and exits 2: scan the shards again with --wrappers FILE, then\n"
		       "merge again.\n\n%s  --out FILE        model output (default: stdout)\n"
		       "  --wrappers-out F  where to write derived wrappers for a second shard round\n", usage_common);
	else if (!strcmp(cmd, "rules"))
		printf("usage: inventory rules [--format text|markdown|json]\n\nLists every check rule ID.\n");
	else if (!strcmp(cmd, "schema"))
		printf("usage: inventory schema [SCHEMA.json]\n\n"
		       "Without an argument, prints the config schema compiled into the tool (the same file as\n"
		       "tools/inventory/config.schema.json). With one, lists every keyword of that schema the\n"
		       "tool's validator does not implement: exit 2 when there is any, 0 otherwise.\n");
}

/* Whether a long option means something to a command: an option a command would ignore is a
 * usage error (exit 2), so a mistyped invocation never runs with a silently dropped option. */
static bool option_applies(const char *cmd, const char *opt)
{
	static const struct { const char *opt, *cmds; } use[] = {
		{"root", " scan tables check diff merge "}, {"config", " scan tables check diff merge "},
		{"shard", " scan "}, {"wrappers", " scan "}, {"wrappers-out", " merge "},
		{"build", " scan tables check diff "}, {"cdb", " scan tables check "},
		{"cache", " scan tables check "}, {"no-cache", " scan tables check "},
		{"jobs", " scan tables check "}, {"model", " tables check "},
		{"junit", " tables check diff "}, {"ctest-json", " tables check diff "},
		{"witness-dir", " tables check "},
		{"findings", " check "}, {"tables", " check "}, {"sarif", " check "},
		{"format", " check rules "}, {"check", " tables "}, {"out", " scan tables check diff merge "},
	};
	char word[32];
	snprintf(word, sizeof word, " %s ", cmd);
	for (size_t i = 0; i < sizeof use / sizeof use[0]; i++)
		if (!strcmp(use[i].opt, opt))
			return strstr(use[i].cmds, word) != NULL;
	return true;
}

static int parse_opts(const char *cmd, int argc, char **argv, struct opts *o)
{
	enum { O_ROOT = 256, O_CONFIG, O_BUILD, O_CDB, O_MODEL, O_CACHE, O_NOCACHE, O_JUNIT, O_CTEST,
	       O_FIND, O_TABLES, O_FORMAT, O_SARIF, O_CHECK, O_OUT, O_SHARD, O_WRAPPERS, O_WRAPOUT, O_WITDIR };
	static const struct option lo[] = {
		{"root", 1, 0, O_ROOT}, {"config", 1, 0, O_CONFIG}, {"build", 1, 0, O_BUILD},
		{"cdb", 1, 0, O_CDB}, {"model", 1, 0, O_MODEL}, {"cache", 1, 0, O_CACHE},
		{"no-cache", 0, 0, O_NOCACHE}, {"junit", 1, 0, O_JUNIT}, {"ctest-json", 1, 0, O_CTEST},
		{"findings", 1, 0, O_FIND}, {"tables", 1, 0, O_TABLES}, {"format", 1, 0, O_FORMAT},
		{"sarif", 1, 0, O_SARIF}, {"check", 0, 0, O_CHECK}, {"out", 1, 0, O_OUT},
		{"shard", 1, 0, O_SHARD}, {"wrappers", 1, 0, O_WRAPPERS}, {"wrappers-out", 1, 0, O_WRAPOUT},
		{"witness-dir", 1, 0, O_WITDIR},
		{"jobs", 1, 0, 'j'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
	int c, li;
	optind = 1;
	opterr = 0;
	while ((li = -1, c = getopt_long(argc, argv, "j:h", lo, &li)) != -1) {
		const char *name = c == 'j' ? "jobs" : li >= 0 ? lo[li].name : NULL;
		if (name && c != 'h' && !option_applies(cmd, name)) {
			fprintf(stderr, "inventory %s: option '--%s' does not apply to this command (see --help)\n", cmd, name);
			return -1;
		}
		switch (c) {
		case O_ROOT: o->root = optarg; break;
		case O_CONFIG: o->config = optarg; break;
		case O_BUILD: o->build = optarg; break;
		case O_CDB: o->cdb = optarg; break;
		case O_MODEL: o->model = optarg; break;
		case O_CACHE: o->cache = optarg; break;
		case O_NOCACHE: o->no_cache = true; break;
		case O_JUNIT:
			if (o->njunit == 8)
				return fprintf(stderr, "inventory: too many --junit\n"), -1;
			o->junit[o->njunit++] = optarg;
			break;
		case O_WITDIR: o->witness_dir = optarg; break;
		case O_CTEST: o->ctest_json = optarg; break;
		case O_TABLES: o->tables = optarg; break;
		case O_FORMAT: o->format = optarg; break;
		case O_SARIF: o->sarif = optarg; break;
		case O_CHECK: o->check_only = true; break;
		case O_OUT: o->out = optarg; break;
		case O_SHARD: o->shard = optarg; break;
		case O_WRAPPERS: o->wrappers = optarg; break;
		case O_WRAPOUT: o->wrappers_out = optarg; break;
		case O_FIND:
			if (o->nfindings == 16)
				return fprintf(stderr, "inventory: too many --findings\n"), -1;
			o->findings[o->nfindings++] = optarg;
			break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 1 || n > 256)
				return fprintf(stderr, "inventory: -j needs 1..256, not '%s'\n", optarg), -1;
			o->jobs = (int)n;
			break;
		}
		case 'h': help(cmd); exit(INV_OK);
		default:
			fprintf(stderr, "inventory %s: unknown or incomplete option '%s' (see --help)\n", cmd, argv[optind - 1]);
			return -1;
		}
	}
	if (o->format && strcmp(o->format, "text") && strcmp(o->format, "json") &&
	    strcmp(o->format, "markdown") && strcmp(o->format, "sarif"))
		return fprintf(stderr, "inventory: unknown --format '%s'\n", o->format), -1;
	if (!realpath(o->root ? o->root : ".", o->root_abs))
		return fprintf(stderr, "inventory: cannot resolve --root '%s'\n", o->root ? o->root : "."), -1;
	if (!o->jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		o->jobs = n > 0 ? (int)n : 1;
	}
	return 0;
}

/* A tables directory to compare against must exist: a missing one is an input error (exit 2),
 * not a directory whose every page is stale. */
static bool tables_dir_ok(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		fprintf(stderr, "inventory: cannot read tables directory '%s': %s\n", dir, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		fprintf(stderr, "inventory: tables directory '%s' is not a directory\n", dir);
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *root_path(const struct opts *o, const char *p)
{
	return p[0] == '/' ? xstrdup(p) : xasprintf("%s/%s", o->root_abs, p);
}

static int load_config(const struct opts *o, struct config *cfg)
{
	char *p = o->config ? xstrdup(o->config) : xasprintf("%s/tools/inventory/capos.json", o->root_abs);
	int rc = config_load(p, o->root_abs, cfg);
	/* Every rule the config parameterizes must exist; the reason is required by the schema. */
	for (size_t i = 0; rc == 0 && i < cfg->n_rules; i++)
		if (!check_rule(cfg->rules[i].id)) {
			fprintf(stderr, "%s: config key 'rules.%s' names no rule (see `inventory rules`)\n", p, cfg->rules[i].id);
			rc = -1;
		}
	free(p);
	return rc;
}

static int emit(const char *out, const char *text)
{
	if (!out || !strcmp(out, "-")) {
		fputs(text, stdout);
		return fflush(stdout) == 0 ? 0 : -1;
	}
	if (write_file(out, text, strlen(text)) < 0) {
		fprintf(stderr, "inventory: cannot write %s\n", out);
		return -1;
	}
	return 0;
}

/* Facts of the TUs that call none of the newly derived wrappers: the next round's config
 * changes nothing in them. They are moved out of @p facts (NULL for the others). */
static struct model **reusable_facts(struct model *facts, int n, const struct wrapper *more, size_t nmore)
{
	struct model **out = xcalloc((size_t)n + 1, sizeof *out);
	struct strv names = {0};
	for (size_t i = 0; i < nmore; i++)
		strv_push(&names, more[i].function);
	strv_sort_uniq(&names);
	for (int t = 0; t < n; t++) {
		bool calls = false;
		for (size_t f = 0; f < facts[t].n_functions && !calls; f++)
			for (size_t c = 0; c < facts[t].functions[f].n_calls && !calls; c++)
				calls = facts[t].functions[f].calls[c].name && strv_has(&names, facts[t].functions[f].calls[c].name);
		if (!calls) {
			out[t] = xcalloc(1, sizeof *out[t]);
			*out[t] = facts[t];
			memset(&facts[t], 0, sizeof facts[t]);
		}
	}
	strv_free(&names);
	return out;
}

static void wrappers_append(struct wrapper **dst, size_t *nd, const struct wrapper *src, size_t ns, bool with_key)
{
	*dst = xrealloc(*dst, sizeof **dst * (*nd + ns + 1));
	for (size_t i = 0; i < ns; i++)
		(*dst)[(*nd)++] = (struct wrapper){xstrdup(src[i].pair), xstrdup(src[i].function),
						  with_key && src[i].key ? xstrdup(src[i].key) : NULL, src[i].dir,
						  with_key ? src[i].key_arg : 0, with_key && src[i].has_key_arg};
}

static void reuse_free(struct model **r, int n)
{
	for (int t = 0; r && t < n; t++)
		if (r[t]) {
			model_free(r[t]);
			free(r[t]);
		}
	free(r);
}

/* Scan, then rescan while new wrapper functions are found (a function that charges on every
 * success path and nothing on its error paths acts as a charge for its callers); at most 4
 * rounds, each from the per-TU cache where nothing changed. The model lists what was derived. */
static bool scan_to_fixpoint(const struct config *base, struct tu *tus, int n, struct scan_opts *so,
			     struct model *out)
{
	struct config cur;
	struct wrapper *derived = NULL;
	size_t nderived = 0;
	struct model tm;
	bool have = false;
	struct model *facts = NULL;
	const struct config *cfg = base;
	for (int round = 0; round < MAX_ROUNDS; round++) {
		if (scan_tus(cfg, tus, n, so, &facts) < 0)
			break;
		model_build_t(cfg, facts, n, &tm);
		have = true;
		struct wrapper *more;
		size_t found;
		model_wrappers_t(cfg, &tm, &more, &found);
		reuse_free(so->reuse, n);
		so->reuse = reusable_facts(facts, n, more, found);
		scan_facts_free(facts, n);
		facts = NULL;
		if (so->progress)
			fprintf(stderr, "inventory: %d TUs (%d from cache), %zu wrapper(s) derived\n", n, so->hits, found);
		if (found && round == MAX_ROUNDS - 1) {
			/* Not a silent cut: the model says which wrappers were found and not applied, the
			 * inventory page lists them, check reports each (INV017), and a warning names them. */
			tm.has_derivation_pending = true;
			wrappers_append(&tm.derivation_pending, &tm.n_derivation_pending, more, found, false);
			fprintf(stderr, "inventory: warning: wrapper derivation stopped after %d rounds with %zu more "
				"wrapper(s) found and not applied (see derivation_pending)\n", MAX_ROUNDS, found);
			wrappers_free(more, found);
			break;
		}
		wrappers_append(&derived, &nderived, more, found, true);  /* applied in the next round */
		wrappers_free(more, found);
		if (found == 0)
			break;
		model_free(&tm);
		have = false;
		if (cfg != base)
			config_free(&cur);
		config_with_wrappers_t(base, derived, nderived, &cur);
		cfg = &cur;
	}
	reuse_free(so->reuse, n);
	so->reuse = NULL;
	if (have) {
		tm.has_derived_wrappers = true;
		wrappers_append(&tm.derived_wrappers, &tm.n_derived_wrappers, derived, nderived, true);
		*out = tm;
	}
	if (cfg != base)
		config_free(&cur);
	wrappers_free(derived, nderived);
	return have;
}

static bool all_matched(const struct config *cfg, const struct model *tm);

/* Model from a scan of --build/--cdb: the whole-run cache when nothing changed, else the
 * per-TU cache and libclang for what changed. *m_out (when asked for) is the typed model, *text
 * (when asked for) its serialized form, made once for the cache and the scan command; a cached
 * model is not read when only its text is asked for. A model is stored in the cache only
 * after every pattern of the config matched (all_matched()). Returns 0 (*m_out set when asked
 * for), or -1 after printing why. */
static int scan_model(const struct opts *o, const struct config *cfg, struct model *m_out, char **text_out)
{
	if (m_out)
		memset(m_out, 0, sizeof *m_out);
	if (text_out)
		*text_out = NULL;
	if (!o->build && !o->cdb) {
		fprintf(stderr, "inventory: need --model FILE, --build DIR or --cdb FILE\n");
		return -1;
	}
	char *cdb = o->cdb ? xstrdup(o->cdb) : xasprintf("%s/compile_commands.json", o->build);
	/* --cdb without --build: the cache lives beside the compile database (as it does in
	 * --build), never silently off. */
	const char *slash = strrchr(cdb, '/');
	char *cache = o->no_cache ? NULL : o->cache ? xstrdup(o->cache) :
		o->build ? xasprintf("%s/inventory-cache", o->build) :
		slash ? xasprintf("%.*s/inventory-cache", (int)(slash - cdb), cdb) : xstrdup("inventory-cache");
	const char *rdir = getenv("INVENTORY_RESOURCE_DIR");
	struct scan_opts so = {o->jobs, cache, stderr_is_tty(), rdir && *rdir ? rdir : INV_RESOURCE_DIR, 0, NULL, NULL};
	struct tu *tus;
	int n, rc = -1;
	struct model m;
	char *text = NULL;
	if (cdb_load(cdb, cfg, &tus, &n) == 0) {
		if (scan_cached_model(cfg, tus, n, &so, m_out, text_out ? &text : NULL)) {
			rc = 0;
		} else if (scan_to_fixpoint(cfg, tus, n, &so, &m)) {
			if (all_matched(cfg, &m)) {
				text = model_text(&m);  /* the document scan writes and the whole-run cache stores */
				scan_store_model(cfg, tus, n, &so, text);
				rc = 0;
			}
			if (rc == 0 && m_out)
				*m_out = m;
			else
				model_free(&m);
		}
		cache_deps_free(so.deps);
		cdb_free(tus, n);
	}
	if (text_out)
		*text_out = text;
	else
		free(text);
	free(cdb);
	free(cache);
	return rc;
}

/* A config whose patterns match nothing would report "0 findings" for code it never saw: every
 * unmatched primitive and entry point is named, and the run stops (exit 2). true when all match. */
static bool all_matched(const struct config *cfg, const struct model *tm)
{
	struct strv un = {0};
	model_unmatched(cfg, tm, &un);
	for (size_t i = 0; i < un.n; i++)
		fprintf(stderr, "inventory: %s\n", un.v[i]);
	bool ok = un.n == 0;
	strv_free(&un);
	return ok;
}

/* Typed model from --model, or scan now. A model built under another config would be read with
 * the wrong roles: refuse it. false after printing why. */
static bool get_model(const struct opts *o, const struct config *cfg, struct model *tm)
{
	if (o->model ? model_load(o->model, tm) < 0 : scan_model(o, cfg, tm, NULL) < 0)
		return false;
	if (o->model && strcmp(tm->config, cfg->file_hash) != 0) {
		fprintf(stderr, "%s: the model was built with a different config than %s; "
			"run `inventory scan` again\n", o->model, o->config ? o->config : "the default config");
		model_free(tm);
		return false;
	}
	if (!all_matched(cfg, tm) || mutants_attach(cfg, tm) < 0) {  /* mutation record: mutants.c */
		model_free(tm);
		return false;
	}
	return true;
}

/* Evidence: tags always; the test list from --ctest-json, ctest in --build or ROOT/build. */
static int get_evidence(const struct opts *o, const struct config *cfg, struct evidence_in *in)
{
	memset(in, 0, sizeof *in);
	if (proof_load(cfg, in) < 0 || evidence_tags(cfg, &in->tags) < 0)
		return -1;
	char *bdir = o->build ? xstrdup(o->build) : xasprintf("%s/build", o->root_abs);
	int trc = ctest_tests(o->ctest_json, bdir, o->root_abs, &in->tests);
	free(bdir);
	if (trc < 0)
		return -1;
	in->have_tests = true;
	for (int i = 0; i < o->njunit; i++)
		if (junit_merge(&in->junit, o->junit[i]) < 0)
			return -1;
	if (o->witness_dir && witness_load_dir(o->witness_dir, &in->wit) < 0)
		return -1;
	return 0;
}

static void evidence_free(struct evidence_in *in)
{
	proof_in_free(in);
}

/* `tables --witness-dir`: the summary regenerated from the live run and written, then used as
 * the committed one would be. */
static int refresh_summary(struct model *tm, struct evidence_in *in)
{
	if (!in->summary_path) {
		fprintf(stderr, "inventory tables: --witness-dir needs the proof table's witness_summary (where to write it)\n");
		return -1;
	}
	in->declared = false;
	proof_fill_witnesses(tm, in);
	struct witness_summary s;
	proof_make_summary(tm, in, &s);
	if (witness_summary_write(in->summary_path, &s) < 0) {
		witness_summary_free(&s);
		return -1;
	}
	witness_summary_free(&in->sum);
	in->sum = s;
	in->declared = true;
	return 0;
}

/* `scan --shard I/N`: the facts of one shard, for `merge`. */
static int cmd_scan_shard(const struct opts *o, const struct config *cfg)
{
	int si, sn;
	if (shard_parse(o->shard, &si, &sn) < 0) {
		fprintf(stderr, "inventory scan: --shard needs I/N with 0 <= I < N, not '%s'\n", o->shard);
		return INV_USAGE;
	}
	if (!o->build && !o->cdb) {
		fprintf(stderr, "inventory: need --build DIR or --cdb FILE\n");
		return INV_USAGE;
	}
	struct wrapper *wr = NULL;
	size_t nwr = 0;
	if (o->wrappers && wrappers_load(o->wrappers, &wr, &nwr) < 0)
		return INV_USAGE;
	char *cdb = o->cdb ? xstrdup(o->cdb) : xasprintf("%s/compile_commands.json", o->build);
	char *cache = o->no_cache ? NULL : o->cache ? xstrdup(o->cache) :
		o->build ? xasprintf("%s/inventory-cache", o->build) : NULL;
	const char *rdir = getenv("INVENTORY_RESOURCE_DIR");
	struct scan_opts so = {o->jobs, cache, stderr_is_tty(), rdir && *rdir ? rdir : INV_RESOURCE_DIR, 0, NULL, NULL};
	struct tu *tus;
	int n, rc = INV_USAGE;
	if (cdb_load(cdb, cfg, &tus, &n) == 0) {
		struct shard doc;
		if (shard_scan(cfg, tus, n, si, sn, wr, nwr, &so, &doc) == 0) {
			char *t = shard_text(&doc);
			rc = emit(o->out, t) < 0 ? INV_USAGE : INV_OK;
			free(t);
			shard_free(&doc);
		}
		cache_deps_free(so.deps);
		cdb_free(tus, n);
	}
	wrappers_free(wr, nwr);
	free(cdb);
	free(cache);
	return rc;
}

static int cmd_merge(const struct opts *o, const struct config *cfg, int argc, char **argv)
{
	int nd = argc - optind, rc = INV_USAGE, got = -1, loaded = 0;
	struct shard *docs = xcalloc((size_t)(nd > 0 ? nd : 1), sizeof *docs);
	struct wrapper *more = NULL;
	size_t nmore = 0;
	struct model tm;
	bool ok = nd > 0;
	if (!ok)
		fprintf(stderr, "inventory merge: need the shard files (see --help)\n");
	for (int d = 0; d < nd && ok; d++, loaded++)
		ok = shard_load(argv[optind + d], &docs[d]) == 0;
	if (ok)
		got = shard_merge(cfg, docs, nd, &tm, &more, &nmore);
	if (got == 1) {
		char *t = wrappers_text(more, nmore);
		if (!o->wrappers_out)
			fprintf(stderr, "inventory merge: the shards derive wrapper functions they were not scanned with; "
				"give --wrappers-out FILE and scan the shards again with --wrappers FILE\n");
		else if (emit(o->wrappers_out, t) == 0)
			fprintf(stderr, "inventory merge: %zu derived wrapper(s) written to %s: scan the shards again with "
				"--wrappers %s, then merge again\n", nmore, o->wrappers_out, o->wrappers_out);
		free(t);
	} else if (got == 0 && all_matched(cfg, &tm)) {
		char *t = model_text(&tm);
		rc = emit(o->out, t) < 0 ? INV_USAGE : INV_OK;
		free(t);
	}
	if (got == 0)
		model_free(&tm);
	for (int d = 0; d < loaded; d++)
		shard_free(&docs[d]);
	free(docs);
	wrappers_free(more, nmore);
	return rc;
}

static int cmd_scan(const struct opts *o, const struct config *cfg)
{
	if (o->shard)
		return cmd_scan_shard(o, cfg);
	if (o->wrappers) {
		fprintf(stderr, "inventory scan: --wrappers goes with --shard\n");
		return INV_USAGE;
	}
	char *t = NULL;
	if (scan_model(o, cfg, NULL, &t) < 0 || !t) {
		free(t);
		return INV_USAGE;
	}
	int rc = emit(o->out, t) < 0 ? INV_USAGE : INV_OK;
	free(t);
	return rc;
}

static int cmd_tables(const struct opts *o, const struct config *cfg)
{
	struct evidence_in in;
	struct model tm;
	int rc = INV_USAGE;
	if (!get_model(o, cfg, &tm))
		return INV_USAGE;
	if (get_evidence(o, cfg, &in) < 0) {
		evidence_free(&in);
		model_free(&tm);
		return INV_USAGE;
	}
	in.declared = true;  /* pages show declared evidence; results are check's job */
	if (o->witness_dir && refresh_summary(&tm, &in) < 0) {
		evidence_free(&in);
		model_free(&tm);
		return INV_USAGE;
	}
	proof_fill_witnesses(&tm, &in);
	struct evaluation ev;
	struct pages pages;
	proof_eval(cfg, &tm, &in, &ev);
	tables_render(cfg, &tm, &in, &ev, &pages);
	char *dir = root_path(o, o->out ? o->out : "docs/state-tables");
	if (o->check_only && !tables_dir_ok(dir)) {
		rc = INV_USAGE;
	} else if (o->check_only) {
		char *rel = relpath_under(o->root_abs, dir);
		struct strv stale;
		tables_stale(&pages, dir, rel ? rel : dir, &stale);
		for (size_t i = 0; i < stale.n; i++)
			printf("%s: stale\n", stale.v[i]);
		rc = stale.n ? INV_FINDINGS : INV_OK;
		strv_free(&stale);
		free(rel);
	} else {
		rc = tables_write(&pages, dir) < 0 ? INV_USAGE : INV_OK;
	}
	free(dir);
	pages_free(&pages);
	evaluation_free(&ev);
	model_free(&tm);
	evidence_free(&in);
	return rc;
}

/* `check --tables`: the pages as `tables` would write them (declared evidence, the committed
 * summary) against the directory. false when the directory cannot be read (after printing why). */
static bool stale_pages(const struct opts *o, const struct config *cfg, struct model *tm, struct evidence_in *in,
			struct strv *stale)
{
	struct evaluation dev;
	struct pages pages;
	in->declared = true;
	proof_fill_witnesses(tm, in);
	proof_eval(cfg, tm, in, &dev);
	tables_render(cfg, tm, in, &dev, &pages);
	in->declared = false;
	evaluation_free(&dev);
	char *dir = root_path(o, o->tables), *rel = relpath_under(o->root_abs, dir);
	bool ok = tables_dir_ok(dir);
	if (ok)
		tables_stale(&pages, dir, rel ? rel : o->tables, stale);
	free(dir);
	free(rel);
	pages_free(&pages);
	return ok;
}

static char *render(const char *fmt, const struct findings *f, const struct rule_settings *settings)
{
	if (!fmt || !strcmp(fmt, "text"))
		return emit_text(f, settings);
	if (!strcmp(fmt, "json"))
		return emit_json(f, settings);
	if (!strcmp(fmt, "markdown"))
		return emit_markdown(f, settings);
	return emit_sarif(f, settings, INV_VERSION);
}

static int cmd_check(const struct opts *o, const struct config *cfg)
{
	struct evidence_in in;
	struct model tm;
	struct strv stale = {0};
	bool have_stale = false;
	if (!get_model(o, cfg, &tm))
		return INV_USAGE;
	if (get_evidence(o, cfg, &in) < 0) {
		evidence_free(&in);
		model_free(&tm);
		return INV_USAGE;
	}
	if (o->tables)  /* the pages as committed: declared evidence and the committed summary */
		have_stale = stale_pages(o, cfg, &tm, &in, &stale);
	struct evaluation ev;
	proof_fill_witnesses(&tm, &in);  /* the live run's witnesses (the summary's without --witness-dir) */
	proof_eval(cfg, &tm, &in, &ev);
	struct findings f = {0};
	struct rule_settings settings = {0};
	int rc = o->tables && !have_stale ? INV_USAGE :
		 check_run(cfg, &tm, &in, &ev, have_stale ? &stale : NULL, &f) < 0 ? INV_USAGE : INV_OK;
	evaluation_free(&ev);
	model_free(&tm);
	for (int i = 0; i < o->nfindings && rc == INV_OK; i++)
		if (findings_merge_file(o->findings[i], &f) < 0)
			rc = INV_USAGE;
	if (rc == INV_OK) {
		check_apply_settings(cfg, &f, &settings);
		if (cfg->waivers_path) {
			struct waivers ws;
			if (waivers_load(cfg->waivers_path, &ws) < 0) {
				rc = INV_USAGE;
			} else {
				char *rel = relpath_under(o->root_abs, cfg->waivers_path);
				waivers_apply(&ws, &f, rel ? rel : cfg->waivers_path);
				free(rel);
				waivers_free(&ws);
			}
		}
		if (rc == INV_OK)
			check_finish(&f);
	}
	if (rc == INV_OK) {
		/* The SARIF file first: when it cannot be written, no report has been printed yet. */
		char *s = o->sarif ? emit_sarif(&f, &settings, INV_VERSION) : NULL;
		if (s && emit(o->sarif, s) < 0)
			rc = INV_USAGE;
		free(s);
		char *text = rc == INV_OK ? render(o->format, &f, &settings) : NULL;
		if (text)
			rc = emit(o->out, text) < 0 ? INV_USAGE : waivers_unwaived(&f) ? INV_FINDINGS : INV_OK;
		free(text);
	}
	rule_settings_free(&settings);
	findings_free(&f);
	strv_free(&stale);
	evidence_free(&in);
	return rc;
}

static int cmd_diff(const struct opts *o, const struct config *cfg, int argc, char **argv)
{
	struct evidence_in in;
	if (argc - optind != 2) {
		fprintf(stderr, "inventory diff: need OLD and NEW model files (see --help)\n");
		return INV_USAGE;
	}
	struct model ta, tb;
	bool la = model_load(argv[optind], &ta) == 0, lb = model_load(argv[optind + 1], &tb) == 0;
	int rc = INV_USAGE, changes = 0;
	if (la && lb && get_evidence(o, cfg, &in) < 0)
		evidence_free(&in);
	else if (la && lb) {
		struct evaluation ea, eb;
		proof_eval(cfg, &ta, &in, &ea);
		proof_eval(cfg, &tb, &in, &eb);
		char *md = diff_models(&ta, &tb, &ea, &eb, &changes);
		rc = emit(o->out, md) < 0 ? INV_USAGE : changes ? INV_FINDINGS : INV_OK;
		free(md);
		evaluation_free(&ea);
		evaluation_free(&eb);
		evidence_free(&in);
	}
	if (la)
		model_free(&ta);
	if (lb)
		model_free(&tb);
	return rc;
}

static int cmd_rules(const struct opts *o)
{
	const char *fmt = o->format ? o->format : "text";
	if (!strcmp(fmt, "sarif")) {  /* a rule list is not a SARIF log: say so, print nothing */
		fprintf(stderr, "inventory rules: --format is text, markdown or json\n");
		return INV_USAGE;
	}
	for (const struct rule *r = check_rules; r->id; r++) {
		if (!strcmp(fmt, "text"))
			printf("%s  %-7s  %-30s  %s\n", r->id, r->level, r->title, r->help);
		else if (!strcmp(fmt, "markdown"))
			printf("%s| `%s` | %s | %s | %s |\n", r == check_rules ? "| ID | Level | Name | Meaning |\n|---|---|---|---|\n" : "",
			       r->id, r->level, r->title, r->help);
	}
	if (!strcmp(fmt, "json")) {
		char *t = rules_catalog_as_json();
		fputs(t, stdout);
		free(t);
	}
	return INV_OK;
}

static void keyword_problem(void *ctx, const char *path, const char *kind, const char *msg)
{
	(void)kind;
	fprintf(stderr, "%s: keyword '%s' at %s is not implemented by the validator\n", (const char *)ctx, msg, path);
}

static int cmd_schema(int argc, char **argv)
{
	if (argc > 3) {
		fprintf(stderr, "inventory schema: at most one SCHEMA file\n");
		return INV_USAGE;
	}
	if (argc < 3) {
		fputs(inv_config_schema, stdout);
		return fflush(stdout) == 0 ? INV_OK : INV_USAGE;
	}
	return jschema_unsupported_file(argv[2], keyword_problem, argv[2]) ? INV_USAGE : INV_OK;
}

static int run(int argc, char **argv);

/* Every command's output reaches stdout before the exit code says it did: a write error
 * (ENOSPC, /dev/full, a closed pipe) is exit 2, never a silent truncated report. */
int main(int argc, char **argv)
{
	int rc = run(argc, argv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "inventory: cannot write standard output: %s\n", strerror(errno));
		return INV_USAGE;
	}
	return rc;
}

static int run(int argc, char **argv)
{
	struct opts o = {0};
	struct config cfg;
	const char *cmd = argc > 1 ? argv[1] : "";
	int rc;
	if (!strcmp(cmd, "--version")) {  /* the same version the SARIF driver reports */
		printf("inventory %s\n", INV_VERSION);
		return fflush(stdout) == 0 ? INV_OK : INV_USAGE;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return INV_OK;
	}
	if (!strcmp(cmd, "schema") && argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
		help(cmd);
		return INV_OK;
	}
	if (!strcmp(cmd, "schema"))
		return cmd_schema(argc, argv);
	if (strcmp(cmd, "scan") && strcmp(cmd, "tables") && strcmp(cmd, "check") && strcmp(cmd, "diff") &&
	    strcmp(cmd, "rules") && strcmp(cmd, "merge")) {
		fprintf(stderr, "%s%s", *cmd ? "inventory: unknown command\n" : "", usage_main);
		return INV_USAGE;
	}
	if (parse_opts(cmd, argc - 1, argv + 1, &o) < 0)
		return INV_USAGE;
	if (!strcmp(cmd, "rules"))
		return cmd_rules(&o);
	if (strcmp(cmd, "diff") && strcmp(cmd, "merge") && optind < argc - 1) {
		fprintf(stderr, "inventory %s: unexpected argument '%s'\n", cmd, argv[optind + 1 + 0]);
		return INV_USAGE;
	}
	if (load_config(&o, &cfg) < 0) {
		config_free(&cfg);
		return INV_USAGE;
	}
	if (!strcmp(cmd, "scan"))
		rc = cmd_scan(&o, &cfg);
	else if (!strcmp(cmd, "tables"))
		rc = cmd_tables(&o, &cfg);
	else if (!strcmp(cmd, "check"))
		rc = cmd_check(&o, &cfg);
	else if (!strcmp(cmd, "merge"))
		rc = cmd_merge(&o, &cfg, argc - 1, argv + 1);
	else
		rc = cmd_diff(&o, &cfg, argc - 1, argv + 1);
	config_free(&cfg);
	return rc;
}
