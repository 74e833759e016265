/*
 * hostile.c - hostile invocations, one case per run (the argument names it). Each bad call
 * must get its own typed error, and a snapshot of everything the process can observe (its
 * table statistics, the type and rights of its capabilities, its ledger usage) must be equal
 * before and after. Exit 0 when every check held; a failed check exits with RT_EXIT_ASSERT.
 *
 * Start capabilities from init: caps[0] Console (WRITE | COPY), caps[1] ProcessSpawner (SPAWN).
 */
#include <caprt.h>

#define KERNEL_ADDR 0xffff800000000000ull
#define KERNEL_TEXT 0xffffffff80000000ull
#define UNMAPPED 0x0000000020000000ull /* inside the image range, above every segment */

static const struct capos_start_info *si;
static cap_handle_t con, spawner;

/* One invocation's complete outcome. */
struct obs {
	kerr_t err;
	uint64_t r0, r1, r2;
};

/* What a failed call must leave unchanged. */
struct state {
	struct obs stat;
	struct obs info[6];
	struct obs ledger[CAPOS_LEDGER_KIND_COUNT];
};

static struct obs observe(cap_handle_t h, capos_method_t m, uint64_t a0)
{
	struct cap_result r = cap_invoke(h, m, a0, 0, 0, 0, 0);
	struct obs o = { r.err, r.r0, r.r1, r.r2 };
	return o;
}

static void snapshot(struct state *s)
{
	const cap_handle_t hs[6] = { si->process, si->thread, si->vm, si->ledger, con, spawner };
	memset(s, 0, sizeof(*s));
	s->stat = observe(si->process, CAP_PROCESS_STAT, 0);
	RT_EXPECT_ERR(s->stat.err, KERR_OK);
	for (int i = 0; i < 6; i++)
		s->info[i] = observe(hs[i], CAP_INFO, 0);
	for (int k = 0; k < CAPOS_LEDGER_KIND_COUNT; k++)
		s->ledger[k] = observe(si->ledger, CAP_LEDGER_USAGE, (uint64_t)k);
}

static void expect_unchanged(const struct state *before)
{
	struct state now;
	snapshot(&now);
	RT_ASSERT(memcmp(before, &now, sizeof(now)) == 0);
}

/* Run one invocation that must fail with @want, leave results zero and change nothing. */
static void expect_fail(cap_handle_t h, capos_method_t m, uint64_t a0, uint64_t a1, uint64_t a2,
			kerr_t want, const char *what)
{
	struct state before;
	snapshot(&before);
	struct cap_result r = cap_invoke(h, m, a0, a1, a2, 0, 0);
	rt_printf("hostile: %s -> %s\n", what, kerr_name(r.err));
	RT_EXPECT_ERR(r.err, want);
	RT_ASSERT(r.r0 == 0 && r.r1 == 0 && r.r2 == 0);
	expect_unchanged(&before);
}

static void case_invalid_handle(void)
{
	const char *m = "x";
	expect_fail(CAP_HANDLE_MAKE(60000, 1), CAP_CONSOLE_WRITE, (uintptr_t)m, 1, 0,
		    KERR_INVALID_HANDLE, "slot beyond the table");
	expect_fail(CAP_HANDLE_MAKE(0xffffffffu, 0xffffffffu), CAP_INFO, 0, 0, 0,
		    KERR_INVALID_HANDLE, "all-ones handle");
	expect_fail(CAP_HANDLE_NONE, CAP_INFO, 0, 0, 0, KERR_INVALID_HANDLE, "handle 0");
	expect_fail(CAP_HANDLE_MAKE(CAP_HANDLE_SLOT(con), 0), CAP_INFO, 0, 0, 0,
		    KERR_INVALID_HANDLE, "generation 0");
	/* A dropped capability's handle names an empty slot. */
	cap_handle_t c;
	RT_EXPECT_ERR(cap_copy(con, CAP_RIGHT_WRITE, &c), KERR_OK);
	RT_EXPECT_ERR(cap_drop(c), KERR_OK);
	expect_fail(c, CAP_CONSOLE_WRITE, (uintptr_t)m, 1, 0, KERR_INVALID_HANDLE, "dropped");
	expect_fail(c, CAP_DROP, 0, 0, 0, KERR_INVALID_HANDLE, "drop twice");
}

static void case_stale_handle(void)
{
	cap_handle_t old, fresh;
	uint32_t type, rights;
	const char *m = "x";
	RT_EXPECT_ERR(cap_copy(con, CAP_RIGHT_WRITE | CAP_RIGHT_COPY, &old), KERR_OK);
	RT_EXPECT_ERR(cap_drop(old), KERR_OK);
	RT_EXPECT_ERR(cap_copy(con, CAP_RIGHT_WRITE, &fresh), KERR_OK);
	/* The freed slot is reused (LIFO) under a new generation. */
	RT_ASSERT(CAP_HANDLE_SLOT(fresh) == CAP_HANDLE_SLOT(old));
	RT_ASSERT(CAP_HANDLE_GEN(fresh) != CAP_HANDLE_GEN(old));
	expect_fail(old, CAP_CONSOLE_WRITE, (uintptr_t)m, 1, 0, KERR_STALE_HANDLE, "stale write");
	expect_fail(old, CAP_COPY, CAP_RIGHT_WRITE, 0, 0, KERR_STALE_HANDLE, "stale copy");
	expect_fail(old, CAP_DROP, 0, 0, 0, KERR_STALE_HANDLE, "stale drop");
	RT_EXPECT_ERR(cap_info(fresh, &type, &rights), KERR_OK);
	RT_ASSERT(type == CAP_TYPE_CONSOLE && rights == CAP_RIGHT_WRITE);
	RT_EXPECT_ERR(cap_drop(fresh), KERR_OK);
}

static void case_wrong_type(void)
{
	const char *m = "x";
	expect_fail(si->thread, CAP_CONSOLE_WRITE, (uintptr_t)m, 1, 0, KERR_WRONG_TYPE,
		    "console write on a Thread");
	expect_fail(con, CAP_PROCESS_KILL, 0, 0, 0, KERR_WRONG_TYPE, "kill a Console");
	expect_fail(si->process, CAP_THREAD_CPU, 0, 0, 0, KERR_WRONG_TYPE, "thread cpu on a Process");
	expect_fail(spawner, CAP_PROCESS_WAIT, 0, 0, 0, KERR_WRONG_TYPE, "wait on a spawner");
}

static void case_no_rights(void)
{
	const char *m = "x";
	cap_handle_t ro;
	RT_EXPECT_ERR(cap_copy(con, CAP_RIGHT_COPY, &ro), KERR_OK);
	expect_fail(ro, CAP_CONSOLE_WRITE, (uintptr_t)m, 1, 0, KERR_NO_RIGHTS,
		    "write without WRITE");
	/* The process's own capability has no KILL; the console has no TRANSFER. */
	expect_fail(si->process, CAP_PROCESS_KILL, 0, 0, 0, KERR_NO_RIGHTS, "kill self");
	expect_fail(con, CAP_COPY, CAP_RIGHT_WRITE | CAP_RIGHT_TRANSFER, 0, 0, KERR_NO_RIGHTS,
		    "copy with more rights");
	cap_handle_t nocopy;
	RT_EXPECT_ERR(cap_copy(con, CAP_RIGHT_WRITE, &nocopy), KERR_OK);
	expect_fail(nocopy, CAP_COPY, CAP_RIGHT_WRITE, 0, 0, KERR_NO_RIGHTS, "copy without COPY");
	RT_EXPECT_ERR(cap_drop(nocopy), KERR_OK);
	RT_EXPECT_ERR(cap_drop(ro), KERR_OK);
}

static void case_unknown_method(void)
{
	expect_fail(con, 3, 0, 0, 0, KERR_UNKNOWN_METHOD, "generic method 3");
	expect_fail(con, CAP_CONSOLE_WRITE + 1, 0, 0, 0, KERR_UNKNOWN_METHOD, "console method +1");
	expect_fail(con, CAP_SBUF_INFO + 1, 0, 0, 0, KERR_UNKNOWN_METHOD,
		    "method number past a type's last");
	expect_fail(con, 0xffffffffffffffffull, 0, 0, 0, KERR_UNKNOWN_METHOD, "all-ones method");
}

static void case_bad_arg(void)
{
	static char big[CAPOS_CONSOLE_WRITE_MAX + 1];
	expect_fail(con, CAP_CONSOLE_WRITE, (uintptr_t)big, sizeof(big), 0, KERR_INVALID_ARG,
		    "console write over the maximum");
	expect_fail(con, CAP_COPY, 1ull << 31, 0, 0, KERR_INVALID_ARG, "undefined rights bit");
	expect_fail(con, CAP_COPY, 1ull << 40, 0, 0, KERR_INVALID_ARG, "rights above 32 bits");
	expect_fail(si->thread, CAP_THREAD_WAIT, 0, 0, 0, KERR_INVALID_ARG, "thread waits on itself");
	cap_handle_t self;
	RT_EXPECT_ERR(cap_copy(si->process, CAP_RIGHT_WAIT, &self), KERR_OK);
	expect_fail(self, CAP_PROCESS_WAIT, 0x80, 0, 0, KERR_INVALID_ARG, "wait with bad flags");
	RT_EXPECT_ERR(cap_drop(self), KERR_OK);
	expect_fail(si->process, CAP_PROCESS_THREAD_START, 0x401000, 0x7ff8, 0, KERR_INVALID_ARG,
		    "thread stack misaligned");
	expect_fail(si->process, CAP_PROCESS_THREAD_START, KERNEL_TEXT, 0x10000, 0,
		    KERR_INVALID_ARG, "thread entry in the kernel");
}

static void case_kernel_addr(void)
{
	expect_fail(con, CAP_CONSOLE_WRITE, KERNEL_ADDR, 16, 0, KERR_BAD_ADDRESS, "direct map");
	expect_fail(con, CAP_CONSOLE_WRITE, KERNEL_TEXT, 16, 0, KERR_BAD_ADDRESS, "kernel text");
	expect_fail(con, CAP_CONSOLE_WRITE, 0x00007ffffffffff0ull, 32, 0, KERR_BAD_ADDRESS,
		    "range crossing the top of user space");
	expect_fail(con, CAP_CONSOLE_WRITE, 0x0000800000000000ull, 1, 0, KERR_BAD_ADDRESS,
		    "non-canonical");
	expect_fail(con, CAP_CONSOLE_WRITE, 0xfffffffffffffff0ull, 32, 0, KERR_BAD_ADDRESS,
		    "range wrapping around");
}

static void case_unmapped_addr(void)
{
	expect_fail(con, CAP_CONSOLE_WRITE, 0, 1, 0, KERR_BAD_ADDRESS, "null buffer");
	expect_fail(con, CAP_CONSOLE_WRITE, UNMAPPED, 16, 0, KERR_BAD_ADDRESS, "unmapped buffer");
	expect_fail(con, CAP_CONSOLE_WRITE, CAPOS_USER_START_INFO_VA + 4096 - 8, 16, 0,
		    KERR_BAD_ADDRESS, "buffer running into an unmapped page");
	struct capos_spawn_req *req = (struct capos_spawn_req *)(uintptr_t)UNMAPPED;
	expect_fail(spawner, CAP_SPAWNER_SPAWN, (uintptr_t)req, sizeof(*req), 0, KERR_BAD_ADDRESS,
		    "spawn request unmapped");
}

/* A spawn request for image "exit" with the given caps; each bad one fails without a child. */
static void spawn_fail(struct capos_spawn_req *req, kerr_t want, const char *what)
{
	expect_fail(spawner, CAP_SPAWNER_SPAWN, (uintptr_t)req, sizeof(*req), 0, want, what);
}

static void case_bad_spawn(void)
{
	static const char img[] = "exit", nosuch[] = "no-such-image";
	struct capos_spawn_cap caps[2] = { { con, CAP_RIGHT_WRITE, 0 }, { con, 0, 0 } };
	struct capos_spawn_req req;
	memset(&req, 0, sizeof(req));
	req.image = (uintptr_t)img;
	req.image_len = 4;
	req.caps = (uintptr_t)caps;
	expect_fail(spawner, CAP_SPAWNER_SPAWN, (uintptr_t)&req, sizeof(req) - 8, 0,
		    KERR_INVALID_ARG, "spawn request of the wrong size");
	expect_fail(spawner, CAP_SPAWNER_SPAWN, KERNEL_ADDR, sizeof(req), 0, KERR_BAD_ADDRESS,
		    "spawn request in the kernel");
	req.image = (uintptr_t)nosuch;
	req.image_len = sizeof(nosuch) - 1;
	spawn_fail(&req, KERR_INVALID_ARG, "unknown image");
	req.image = (uintptr_t)img;
	req.image_len = 0;
	spawn_fail(&req, KERR_INVALID_ARG, "empty image name");
	req.image_len = 4;
	req.ncaps = 1; /* the console lacks TRANSFER */
	spawn_fail(&req, KERR_NO_RIGHTS, "cap without TRANSFER");
	req.ncaps = CAPOS_START_MAX_CAPS + 1;
	spawn_fail(&req, KERR_INVALID_ARG, "too many caps");
	caps[0].handle = CAP_HANDLE_MAKE(60000, 1);
	req.ncaps = 1;
	spawn_fail(&req, KERR_INVALID_HANDLE, "invalid cap handle");
	req.ncaps = 0;
	req.arg = (uintptr_t)img;
	req.arg_len = CAPOS_START_ARG_MAX;
	spawn_fail(&req, KERR_INVALID_ARG, "argument too long");
}

/* The start record matches the ABI and the rights init passed. */
static void case_start_caps(void)
{
	uint32_t type, rights;
	RT_ASSERT(si->ncaps == 2);
	RT_EXPECT_ERR(cap_info(con, &type, &rights), KERR_OK);
	RT_ASSERT(type == CAP_TYPE_CONSOLE && rights == (CAP_RIGHT_WRITE | CAP_RIGHT_COPY));
	RT_EXPECT_ERR(cap_info(spawner, &type, &rights), KERR_OK);
	RT_ASSERT(type == CAP_TYPE_PROCESS_SPAWNER && rights == CAP_RIGHT_SPAWN);
	RT_EXPECT_ERR(cap_info(si->process, &type, &rights), KERR_OK);
	RT_ASSERT(type == CAP_TYPE_PROCESS);
	RT_EXPECT_ERR(cap_info(si->thread, &type, &rights), KERR_OK);
	RT_ASSERT(type == CAP_TYPE_THREAD);
	RT_EXPECT_ERR(cap_info(si->vm, &type, &rights), KERR_OK);
	RT_ASSERT(type == CAP_TYPE_VIRTUAL_MEMORY);
	RT_EXPECT_ERR(cap_info(si->ledger, &type, &rights), KERR_OK);
	RT_ASSERT(type == CAP_TYPE_LEDGER);
	RT_ASSERT(si->arg_len == strlen(si->arg));
}

struct hcase {
	const char *name;
	void (*run)(void);
};

static const struct hcase cases[] = {
	{ "invalid_handle", case_invalid_handle }, { "stale_handle", case_stale_handle },
	{ "wrong_type", case_wrong_type },         { "no_rights", case_no_rights },
	{ "unknown_method", case_unknown_method }, { "bad_arg", case_bad_arg },
	{ "kernel_addr", case_kernel_addr },       { "unmapped_addr", case_unmapped_addr },
	{ "bad_spawn", case_bad_spawn },           { "start_caps", case_start_caps },
};

int main(const struct capos_start_info *start)
{
	si = start;
	RT_ASSERT(si->ncaps >= 2);
	con = si->caps[0];
	spawner = si->caps[1];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!strcmp(si->arg, cases[i].name)) {
			cases[i].run();
			rt_printf("hostile: %s: all checks held\n", cases[i].name);
			return 0;
		}
	}
	rt_printf("hostile: unknown case '%s'\n", si->arg);
	return 2;
}
