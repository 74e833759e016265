/*
 * ktest.c - the kernel test harness: walks the `ktests` section, runs the selected tests on the
 * boot CPU, prints one line per test and a summary, and ends the QEMU run with the outcome.
 *
 * Log lines (ci/qemu-run --junit turns them into one JUnit testcase per kernel test):
 *   ktest: selected <name>         once per selected test, before any test runs
 *   ktest: RUN <name>              the test starts
 *   ktest: PASS <name> (<n> ms)    or   ktest: FAIL <name>: <reason> at <file>:<line>
 * A test with RUN but neither PASS nor FAIL did not finish (panic, hang, triple fault).
 */
#include <stdarg.h>
#include <arch/cpu.h>
#include <kern/cmdline.h>
#include <kern/ktest.h>
#include <kern/witness.h>
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/sitecov.h>
#include <kern/time.h>
#include <lib/assert.h>
#include <mm/frame.h>

extern const struct ktest __ktests_start[], __ktests_end[];

void ktest_fail(struct ktest_ctx *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (t->failed)
		return;
	t->failed = true;
	t->file = file;
	t->line = line;
	va_start(ap, fmt);
	kvsnprintf(t->reason, sizeof(t->reason), fmt, ap);
	va_end(ap);
}

static bool ktest_selected(const struct ktest *k, const char *glob, bool have_glob)
{
	if (!have_glob)
		return !k->explicit_only;
	return glob_match(glob, k->name);
}

static bool ktest_run_one(const struct ktest *k)
{
	struct ktest_ctx t = { .name = k->name };
	uint64_t t0;

	kprintf("ktest: RUN %s\n", k->name);
	t0 = rdtsc();
	sitecov_begin("ktest", k->name); /* witness kernel only (kern/sitecov.h) */
	k->fn(&t);
	sitecov_end("ktest", k->name);
	frame_inject_failure(0); /* a test that failed early must not leave a failure armed */
	KASSERT(irq_enabled()); /* a test must leave interrupts as it found them */
	if (!t.failed && witness_locks_held() != 0) /* lock/unlock pairs balanced per test */
		ktest_fail(&t, __FILE__, __LINE__, "returned holding %u spinlock(s), first '%s'",
			   witness_locks_held(), witness_lock_held_name(0));
	if (t.failed) {
		kprintf("ktest: FAIL %s: %s at %s:%d\n", k->name, t.reason, t.file, t.line);
		return false;
	}
	kprintf("ktest: PASS %s (%lu ms)\n", k->name, tsc_to_ms(rdtsc() - t0));
	return true;
}

void ktest_run_all(const char *forced_glob)
{
	char glob[128];
	bool have_glob = cmdline_value("ktest", glob, sizeof(glob));
	unsigned passed = 0, failed = 0;

	if (forced_glob) {
		ksnprintf(glob, sizeof(glob), "%s", forced_glob);
		have_glob = true;
	}
	kprintf("ktest: harness start at %lu ms after kmain (%u tests registered)\n",
		time_ms_since_boot(), (unsigned)(__ktests_end - __ktests_start));
	for (const struct ktest *k = __ktests_start; k < __ktests_end; k++)
		if (ktest_selected(k, glob, have_glob))
			kprintf("ktest: selected %s\n", k->name);
	for (const struct ktest *k = __ktests_start; k < __ktests_end; k++) {
		if (!ktest_selected(k, glob, have_glob))
			continue;
		if (ktest_run_one(k))
			passed++;
		else
			failed++;
	}
	kprintf("ktest: %u passed, %u failed\n", passed, failed);
	if (passed + failed == 0) {
		kprintf("ktest: no test matched '%s'\n", have_glob ? glob : "*");
		qemu_exit(QEMU_EXIT_FAILURE);
	}
	qemu_exit(failed ? QEMU_EXIT_FAILURE : QEMU_EXIT_SUCCESS);
}
