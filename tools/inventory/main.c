/* main.c: the `inventory` command line: scan, tables, check, diff, rules. Owns option parsing
 * and the order of the pipeline (load DB, parse, visit, model, emit); each step lives in its
 * own file. Exit: 0 ok, 1 findings, 2 usage or input error. */
#include "cdb.h"
#include "check.h"
#include "mutants.h"
#include "waivers.h"
#include "config.h"
#include "diff.h"
#include "emit.h"
#include "evidence.h"
#include "jschema.h"
#include "model.h"
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
#define MAX_ROUNDS 4  /* wrapper-derivation rounds; what is found after them is listed, not dropped */
#ifndef INV_RESOURCE_DIR
#define INV_RESOURCE_DIR NULL
#endif

struct opts {
	const char *root, *config, *build, *cdb, *model, *out, *cache, *junit, *ctest_json;
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
	"  --junit FILE      CTest JUnit results (pass/fail of evidence)\n"
	"  --ctest-json FILE `ctest --show-only=json-v1` output (default: run ctest in --build,\n"
	"                    or ROOT/build)\n";

static void help(const char *cmd)
{
	if (!strcmp(cmd, "scan"))
		printf("usage: inventory scan (--build DIR | --cdb FILE) [--out FILE] [options]\n\n"
		       "Parses every in-scope TU of the compile database in parallel and writes the model\n"
		       "(schema capos-inventory/2) to --out (default: stdout). Any TU with errors: exit 2,\n"
		       "no model.\n\n%s%s  --out FILE        model output\n"
		       "  --shard I/N       scan only the TUs whose index is I modulo N and write their facts\n"
		       "                    for `inventory merge` (a CI job matrix)\n"
		       "  --wrappers FILE   with --shard: scan with the derived wrappers a merge wrote\n", usage_common, usage_scan_in);
	else if (!strcmp(cmd, "tables"))
		printf("usage: inventory tables (--model FILE | --build DIR) [--out DIR] [--check] [options]\n\n"
		       "Writes one table and diagram per state machine, the inventory page, the backlog\n"
		       "checklist, the rule catalog and index.md into --out (default ROOT/docs/state-tables).\n"
		       "Pages show declared evidence only (never test results), so they change only when the\n"
		       "code or the declarations do; --junit is accepted and not needed.\n"
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
	       O_FIND, O_TABLES, O_FORMAT, O_SARIF, O_CHECK, O_OUT, O_SHARD, O_WRAPPERS, O_WRAPOUT };
	static const struct option lo[] = {
		{"root", 1, 0, O_ROOT}, {"config", 1, 0, O_CONFIG}, {"build", 1, 0, O_BUILD},
		{"cdb", 1, 0, O_CDB}, {"model", 1, 0, O_MODEL}, {"cache", 1, 0, O_CACHE},
		{"no-cache", 0, 0, O_NOCACHE}, {"junit", 1, 0, O_JUNIT}, {"ctest-json", 1, 0, O_CTEST},
		{"findings", 1, 0, O_FIND}, {"tables", 1, 0, O_TABLES}, {"format", 1, 0, O_FORMAT},
		{"sarif", 1, 0, O_SARIF}, {"check", 0, 0, O_CHECK}, {"out", 1, 0, O_OUT},
		{"shard", 1, 0, O_SHARD}, {"wrappers", 1, 0, O_WRAPPERS}, {"wrappers-out", 1, 0, O_WRAPOUT},
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
		case O_JUNIT: o->junit = optarg; break;
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
	const char *k;
	json_t *v;
	json_object_foreach(rc == 0 ? cfg->rules : NULL, k, v)
		if (!check_rule(k)) {
			fprintf(stderr, "%s: config key 'rules.%s' names no rule (see `inventory rules`)\n", p, k);
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
 * changes nothing in them. Null for the others. */
static json_t *reusable_facts(json_t *facts, json_t *more)
{
	json_t *out = json_array(), *tu, *f, *c, *d, *names = json_object();
	size_t i, j, k;
	const char *u;
	json_array_foreach(more, i, d) json_object_set_new(names, json_string_value(json_object_get(d, "function")), json_true());
	json_array_foreach(facts, i, tu) {
		bool calls = false;
		json_object_foreach(json_object_get(tu, "functions"), u, f)
			json_array_foreach(json_object_get(f, "calls"), j, c)
				calls = calls || (json_is_string(json_object_get(c, "name")) &&
						  json_object_get(names, json_string_value(json_object_get(c, "name"))));
		json_array_append(out, calls ? json_null() : tu);
		(void)k;
	}
	json_decref(names);
	return out;
}

/* Scan, then rescan while new wrapper functions are found (a function that charges on every
 * success path and nothing on its error paths acts as a charge for its callers); at most 4
 * rounds, each from the per-TU cache where nothing changed. The model lists what was derived. */
static json_t *scan_to_fixpoint(const struct config *base, struct tu *tus, int n, struct scan_opts *so)
{
	struct config cur;
	json_t *derived = json_array(), *m = NULL, *facts = NULL;
	const struct config *cfg = base;
	for (int round = 0; round < MAX_ROUNDS; round++) {
		if (scan_tus(cfg, tus, n, so, &facts) < 0)
			break;
		m = model_build(cfg, facts);
		json_t *more = model_wrappers(cfg, m);
		size_t found = json_array_size(more);
		json_decref(so->reuse);
		so->reuse = reusable_facts(facts, more);
		json_decref(facts);
		if (so->progress)
			fprintf(stderr, "inventory: %d TUs (%d from cache), %zu wrapper(s) derived\n", n, so->hits, found);
		if (found && round == MAX_ROUNDS - 1) {
			/* Not a silent cut: the model says which wrappers were found and not applied, the
			 * inventory page lists them, and a warning names them. */
			json_t *pend = json_array(), *d;
			size_t di;
			json_array_foreach(more, di, d)
				json_array_append_new(pend, json_pack("{s:O,s:O,s:O}", "function", json_object_get(d, "function"),
						      "pair", json_object_get(d, "pair"), "dir", json_object_get(d, "dir")));
			json_object_set_new(m, "derivation_pending", pend);
			fprintf(stderr, "inventory: warning: wrapper derivation stopped after %d rounds with %zu more "
				"wrapper(s) found and not applied (see derivation_pending)\n", MAX_ROUNDS, found);
			json_decref(more);
			break;
		}
		json_array_extend(derived, more);  /* applied in the next round */
		json_decref(more);
		if (found == 0)
			break;
		json_decref(m);
		m = NULL;
		if (cfg != base)
			config_free(&cur);
		if (config_with_wrappers(base, derived, &cur) < 0)
			break;
		cfg = &cur;
	}
	json_decref(so->reuse);
	so->reuse = NULL;
	if (m)
		json_object_set(m, "derived_wrappers", derived);
	if (cfg != base)
		config_free(&cur);
	json_decref(derived);
	return m;
}

static json_t *fail_closed(const struct opts *o, const struct config *cfg, json_t *m);

/* Model from a scan of --build/--cdb: the whole-run cache when nothing changed, else the
 * per-TU cache and libclang for what changed. *m (when asked for) is the model in memory, *text
 * (when asked for) its serialized form, made once for the cache and the scan command; a cached
 * model is not parsed when only its text is asked for. A model is stored in the cache only
 * after it passed fail_closed(). Returns 0, or -1 after printing why. */
static int scan_model(const struct opts *o, const struct config *cfg, json_t **m_out, char **text_out)
{
	if (m_out)
		*m_out = NULL;
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
	json_t *m = NULL;
	char *text = NULL;
	if (cdb_load(cdb, cfg, &tus, &n) == 0) {
		if (scan_cached_model(cfg, tus, n, &so, m_out ? &m : NULL, text_out ? &text : NULL)) {
			rc = 0;
		} else if ((m = fail_closed(o, cfg, scan_to_fixpoint(cfg, tus, n, &so)))) {
			text = json_text(m);
			scan_store_model(cfg, tus, n, &so, text);
			rc = 0;
		}
		json_decref(so.deps);
		cdb_free(tus, n);
	}
	if (m_out)
		*m_out = m;
	else
		json_decref(m);
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

/* The typed model of m (the checks, tables and diff read structs, not JSON). false after
 * printing why: a model file that is not what `inventory scan` writes. */
static bool typed_model(const struct opts *o, json_t *m, struct model *tm)
{
	const char *why = model_read(m, tm);
	if (why)
		fprintf(stderr, "%s: not a model `inventory scan` wrote: %s\n", o->model ? o->model : "model", why);
	return !why;
}

/* fail closed on a model document about to be written (scan, merge): m, or NULL (freed). */
static json_t *fail_closed(const struct opts *o, const struct config *cfg, json_t *m)
{
	struct model tm;
	if (!m || !typed_model(o, m, &tm)) {
		json_decref(m);
		return NULL;
	}
	bool ok = all_matched(cfg, &tm);
	model_free(&tm);
	if (!ok) {
		json_decref(m);
		return NULL;
	}
	return m;
}

/* Typed model from --model, or scan now. A model built under another config would be read with
 * the wrong roles: refuse it. false after printing why. */
static bool get_model(const struct opts *o, const struct config *cfg, struct model *tm)
{
	json_t *m = NULL;
	if (o->model)
		m = model_load(o->model);
	else if (scan_model(o, cfg, &m, NULL) < 0)
		m = NULL;
	bool ok = m && typed_model(o, m, tm);
	json_decref(m);
	if (!ok)
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
	if (proof_load(cfg, in) < 0 || !(in->tags = evidence_tags(cfg)))
		return -1;
	char *bdir = o->build ? xstrdup(o->build) : xasprintf("%s/build", o->root_abs);
	in->tests = ctest_tests(o->ctest_json, bdir);
	free(bdir);
	if (!in->tests)
		return -1;
	if (o->junit && !(in->junit = junit_results(o->junit)))
		return -1;
	return 0;
}

static void evidence_free(struct evidence_in *in)
{
	json_decref(in->proof);
	json_decref(in->backlog);
	json_decref(in->tags);
	json_decref(in->tests);
	json_decref(in->junit);
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
	json_t *wr = NULL;
	if (o->wrappers) {
		json_error_t err;
		wr = json_read_file(o->wrappers, 0, &err);
		if (!wr || !json_is_array(wr)) {
			if (!wr)
				json_load_error("wrappers", o->wrappers, &err);
			else
				fprintf(stderr, "%s: wrappers file must be the JSON array `merge` wrote\n", o->wrappers);
			json_decref(wr);
			return INV_USAGE;
		}
	}
	char *cdb = o->cdb ? xstrdup(o->cdb) : xasprintf("%s/compile_commands.json", o->build);
	char *cache = o->no_cache ? NULL : o->cache ? xstrdup(o->cache) :
		o->build ? xasprintf("%s/inventory-cache", o->build) : NULL;
	const char *rdir = getenv("INVENTORY_RESOURCE_DIR");
	struct scan_opts so = {o->jobs, cache, stderr_is_tty(), rdir && *rdir ? rdir : INV_RESOURCE_DIR, 0, NULL, NULL};
	struct tu *tus;
	int n, rc = INV_USAGE;
	if (cdb_load(cdb, cfg, &tus, &n) == 0) {
		json_t *doc = shard_scan(cfg, tus, n, si, sn, wr, &so);
		char *t = doc ? json_text(doc) : NULL;
		if (t)
			rc = emit(o->out, t) < 0 ? INV_USAGE : INV_OK;
		free(t);
		json_decref(doc);
		json_decref(so.deps);
		cdb_free(tus, n);
	}
	json_decref(wr);
	free(cdb);
	free(cache);
	return rc;
}

static int cmd_merge(const struct opts *o, const struct config *cfg, int argc, char **argv)
{
	int nd = argc - optind, rc = INV_USAGE;
	json_t **docs = xcalloc((size_t)(nd > 0 ? nd : 1), sizeof *docs), *more = NULL, *m = NULL;
	bool ok = nd > 0;
	if (!ok)
		fprintf(stderr, "inventory merge: need the shard files (see --help)\n");
	for (int d = 0; d < nd && ok; d++) {
		json_error_t err;
		docs[d] = json_read_file(argv[optind + d], JSON_REJECT_DUPLICATES, &err);
		if (!docs[d]) {
			json_load_error("shard", argv[optind + d], &err);
			ok = false;
		}
	}
	if (ok)
		m = shard_merge(cfg, docs, nd, &more);
	if (more) {
		char *t = json_text(more);
		if (!o->wrappers_out)
			fprintf(stderr, "inventory merge: the shards derive wrapper functions they were not scanned with; "
				"give --wrappers-out FILE and scan the shards again with --wrappers FILE\n");
		else if (emit(o->wrappers_out, t) == 0)
			fprintf(stderr, "inventory merge: %zu derived wrapper(s) written to %s: scan the shards again with "
				"--wrappers %s, then merge again\n", json_array_size(more), o->wrappers_out, o->wrappers_out);
		free(t);
	} else if ((m = fail_closed(o, cfg, m))) {
		char *t = json_text(m);
		rc = emit(o->out, t) < 0 ? INV_USAGE : INV_OK;
		free(t);
	}
	for (int d = 0; d < nd; d++)
		json_decref(docs[d]);
	free(docs);
	json_decref(more);
	json_decref(m);
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
	json_t *ev = proof_eval(cfg, &tm, &in), *pages = tables_render(cfg, &tm, &in, ev);
	char *dir = root_path(o, o->out ? o->out : "docs/state-tables");
	if (o->check_only && !tables_dir_ok(dir)) {
		rc = INV_USAGE;
	} else if (o->check_only) {
		char *rel = relpath_under(o->root_abs, dir);
		json_t *stale = tables_stale(pages, dir, rel ? rel : dir);
		size_t i;
		json_t *s;
		json_array_foreach(stale, i, s) printf("%s: stale\n", json_string_value(s));
		rc = json_array_size(stale) ? INV_FINDINGS : INV_OK;
		json_decref(stale);
		free(rel);
	} else {
		rc = tables_write(pages, dir) < 0 ? INV_USAGE : INV_OK;
	}
	free(dir);
	json_decref(pages);
	json_decref(ev);
	model_free(&tm);
	evidence_free(&in);
	return rc;
}

static char *render(const char *fmt, json_t *f, json_t *settings)
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
	json_t *stale = NULL;
	if (!get_model(o, cfg, &tm))
		return INV_USAGE;
	if (get_evidence(o, cfg, &in) < 0) {
		evidence_free(&in);
		model_free(&tm);
		return INV_USAGE;
	}
	json_t *ev = proof_eval(cfg, &tm, &in);
	if (o->tables) {
		in.declared = true;
		json_t *dev = proof_eval(cfg, &tm, &in), *pages = tables_render(cfg, &tm, &in, dev);
		in.declared = false;
		json_decref(dev);
		char *dir = root_path(o, o->tables), *rel = relpath_under(o->root_abs, dir);
		stale = tables_dir_ok(dir) ? tables_stale(pages, dir, rel ? rel : o->tables) : NULL;
		free(dir);
		free(rel);
		json_decref(pages);
	}
	json_t *f = o->tables && !stale ? NULL : check_run(cfg, &tm, &in, ev, stale);
	model_free(&tm);
	int rc = f ? INV_OK : INV_USAGE;
	for (int i = 0; i < o->nfindings && rc == INV_OK; i++)
		if (check_merge_findings(o->findings[i], f) < 0)
			rc = INV_USAGE;
	json_t *settings = NULL;
	if (rc == INV_OK) {
		settings = check_apply_settings(cfg, f);
		if (cfg->waivers_path) {
			struct waivers ws;
			if (waivers_load(cfg->waivers_path, &ws) < 0) {
				rc = INV_USAGE;
			} else {
				char *rel = relpath_under(o->root_abs, cfg->waivers_path);
				waivers_apply(&ws, f, rel ? rel : cfg->waivers_path);
				free(rel);
				waivers_free(&ws);
			}
		}
		if (rc == INV_OK)
			check_finish(f);
	}
	if (rc == INV_OK) {
		/* The SARIF file first: when it cannot be written, no report has been printed yet. */
		char *s = o->sarif ? emit_sarif(f, settings, INV_VERSION) : NULL;
		if (s && emit(o->sarif, s) < 0)
			rc = INV_USAGE;
		free(s);
		char *text = rc == INV_OK ? render(o->format, f, settings) : NULL;
		if (text)
			rc = emit(o->out, text) < 0 ? INV_USAGE : waivers_unwaived(f) ? INV_FINDINGS : INV_OK;
		free(text);
	}
	json_decref(settings);
	json_decref(f);
	json_decref(stale);
	json_decref(ev);
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
	json_t *a = model_load(argv[optind]), *b = model_load(argv[optind + 1]);
	int rc = INV_USAGE, changes = 0;
	if (a && b && get_evidence(o, cfg, &in) < 0)
		evidence_free(&in);
	else if (a && b) {
		struct model ta, tb;
		const char *wa = model_read(a, &ta), *wb = wa ? NULL : model_read(b, &tb);
		json_t *ea = NULL, *eb = NULL;
		if (wa || wb) {
			fprintf(stderr, "%s: not a model `inventory scan` wrote: %s\n", argv[optind + (wa ? 0 : 1)], wa ? wa : wb);
			if (!wa)
				model_free(&ta);
		} else {
			ea = proof_eval(cfg, &ta, &in);
			eb = proof_eval(cfg, &tb, &in);
			char *md = diff_models(&ta, &tb, ea, eb, &changes);
			rc = emit(o->out, md) < 0 ? INV_USAGE : changes ? INV_FINDINGS : INV_OK;
			free(md);
			model_free(&ta);
			model_free(&tb);
		}
		json_decref(ea);
		json_decref(eb);
		evidence_free(&in);
	}
	json_decref(a);
	json_decref(b);
	return rc;
}

static int cmd_rules(const struct opts *o)
{
	const char *fmt = o->format ? o->format : "text";
	if (!strcmp(fmt, "sarif")) {  /* a rule list is not a SARIF log: say so, print nothing */
		fprintf(stderr, "inventory rules: --format is text, markdown or json\n");
		return INV_USAGE;
	}
	json_t *arr = json_array();
	for (const struct rule *r = check_rules; r->id; r++) {
		if (!strcmp(fmt, "text"))
			printf("%s  %-7s  %-30s  %s\n", r->id, r->level, r->title, r->help);
		else if (!strcmp(fmt, "markdown"))
			printf("%s| `%s` | %s | %s | %s |\n", r == check_rules ? "| ID | Level | Name | Meaning |\n|---|---|---|---|\n" : "",
			       r->id, r->level, r->title, r->help);
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "id", r->id, "level", r->level, "name", r->title, "help", r->help));
	}
	if (!strcmp(fmt, "json")) {
		char *t = json_text(arr);
		fputs(t, stdout);
		free(t);
	}
	json_decref(arr);
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
	json_error_t err;
	json_t *s = json_read_file(argv[2], JSON_REJECT_DUPLICATES, &err);
	if (!s) {
		json_load_error("schema", argv[2], &err);
		return INV_USAGE;
	}
	int n = jschema_unsupported(s, keyword_problem, argv[2]);
	json_decref(s);
	return n ? INV_USAGE : INV_OK;
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
