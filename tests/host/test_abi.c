/*
 * test_abi.c - the user ABI's encodings (kernel/include/capos/abi.h): handle packing, method
 * numbering, the exit-status register packing, the user-range check and the layout of the
 * records user programs and the kernel exchange.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <capos/abi.h>
#include <lib/elf.h>
#include <lib/ledger.h>
#include <lib/vmspace.h>

/* Layouts read by both sides: fixed sizes and offsets (no padding surprises). */
_Static_assert(sizeof(struct capos_start_info) == 312, "start record layout");
_Static_assert(sizeof(struct capos_start_info) <= 4096, "start record fits its page");
_Static_assert(offsetof(struct capos_start_info, caps) == 48, "start record caps offset");
_Static_assert(offsetof(struct capos_start_info, arg) == 184, "start record arg offset");
_Static_assert(sizeof(struct capos_spawn_cap) == 16, "spawn cap layout");
_Static_assert(sizeof(struct capos_spawn_req) == 96, "spawn request layout");
_Static_assert(sizeof(struct capos_exit_status) == 32, "exit status layout (no hidden padding)");

/* The ABI's memory constants are the values kernel/lib uses, so the kernel passes them through
 * (and both headers can be included in one translation unit: this file does). */
_Static_assert(CAPOS_PROT_NONE == VM_PROT_NONE && CAPOS_PROT_READ == VM_PROT_READ &&
	       CAPOS_PROT_WRITE == VM_PROT_WRITE && CAPOS_PROT_EXEC == VM_PROT_EXEC &&
	       CAPOS_PROT_MASK == VM_PROT_ALL, "protection bits match lib/vmspace.h");
_Static_assert(ELF_PROT_READ == CAPOS_PROT_READ && ELF_PROT_WRITE == CAPOS_PROT_WRITE &&
	       ELF_PROT_EXEC == CAPOS_PROT_EXEC, "ELF segment protections match the ABI's");
_Static_assert(CAPOS_LEDGER_VIRTUAL == (int)LEDGER_VIRTUAL &&
	       CAPOS_LEDGER_COMMIT == (int)LEDGER_COMMIT &&
	       CAPOS_LEDGER_OBJECT == (int)LEDGER_OBJECT &&
	       CAPOS_LEDGER_MAPPING == (int)LEDGER_MAPPING &&
	       CAPOS_LEDGER_PAGETABLE == (int)LEDGER_PAGETABLE &&
	       CAPOS_LEDGER_PIN == (int)LEDGER_PIN &&
	       CAPOS_LEDGER_KIND_COUNT == (int)LEDGER_KIND_COUNT, "ledger kinds match lib/ledger.h");

static void test_abi_handle_pack_roundtrip(void **state)
{
	(void)state;
	static const uint32_t vals[] = { 0, 1, 2, 0x7fffffff, 0x80000000u, 0xfffffffeu, 0xffffffffu };
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		for (size_t j = 0; j < sizeof(vals) / sizeof(vals[0]); j++) {
			cap_handle_t h = CAP_HANDLE_MAKE(vals[i], vals[j]);
			assert_int_equal(CAP_HANDLE_SLOT(h), vals[i]);
			assert_int_equal(CAP_HANDLE_GEN(h), vals[j]);
		}
	}
	assert_int_equal(CAP_HANDLE_MAKE(0, 0), CAP_HANDLE_NONE);
	assert_int_equal(CAP_HANDLE_MAKE(5, 1), 0x100000005ull);
}

static void test_abi_method_numbers_encode_their_type(void **state)
{
	(void)state;
	assert_true(CAP_INFO < 0x100 && CAP_COPY < 0x100 && CAP_DROP < 0x100);
	assert_int_equal(CAP_METHOD_TYPE(CAP_CONSOLE_WRITE), CAP_TYPE_CONSOLE);
	assert_int_equal(CAP_METHOD_TYPE(CAP_SPAWNER_SPAWN), CAP_TYPE_PROCESS_SPAWNER);
	assert_int_equal(CAP_METHOD_TYPE(CAP_PROCESS_STAT), CAP_TYPE_PROCESS);
	assert_int_equal(CAP_METHOD_TYPE(CAP_THREAD_CPU), CAP_TYPE_THREAD);
	assert_int_equal(CAP_METHOD_TYPE(CAP_VM_QUERY), CAP_TYPE_VIRTUAL_MEMORY);
	assert_int_equal(CAP_METHOD_TYPE(CAP_FRAMEALLOC_ALLOCATE), CAP_TYPE_FRAME_ALLOCATOR);
	assert_int_equal(CAP_METHOD_TYPE(CAP_MEMOBJ_INFO), CAP_TYPE_MEMORY_OBJECT);
	assert_int_equal(CAP_METHOD_TYPE(CAP_LEDGER_USAGE), CAP_TYPE_LEDGER);
	assert_int_equal(CAP_METHOD_TYPE(CAP_DIAG_READ), CAP_TYPE_DIAG);
	/* Each type's methods stay inside its block of 256. */
	assert_true(CAP_PROCESS_STAT < CAP_METHOD_BASE(CAP_TYPE_PROCESS + 1));
	assert_true(CAP_VM_QUERY < CAP_METHOD_BASE(CAP_TYPE_VIRTUAL_MEMORY + 1));
	assert_true(CAP_MEMOBJ_INFO < CAP_METHOD_BASE(CAP_TYPE_MEMORY_OBJECT + 1));
}

static void test_abi_exit_status_pack_roundtrip(void **state)
{
	(void)state;
	const struct capos_exit_status cases[] = {
		{ CAPOS_EXIT_NORMAL, 0, 0, 0, 42, 0 },
		{ CAPOS_EXIT_NORMAL, 0, 0, 0, 0xffffffffffffffffull, 0 },
		{ CAPOS_EXIT_FAULT, 14, CAPOS_PF_USER | CAPOS_PF_WRITE | CAPOS_PF_PRESENT, 0, 0x401234,
		  0x00007ffffff00000ull },
		{ CAPOS_EXIT_FAULT, 13, 0xffffffffu, 0, 0x401000, 0 },
		{ CAPOS_EXIT_KILLED, 0, 0, 0, 0, 0 },
		{ CAPOS_EXIT_OOM, 0, 0, 0, 0x401000, 0x0000100000001000ull },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t r[3];
		struct capos_exit_status back;
		capos_exit_status_pack(&cases[i], r);
		capos_exit_status_unpack(r[0], r[1], r[2], &back);
		assert_memory_equal(&back, &cases[i], sizeof(back));
	}
	/* The documented register format. */
	uint64_t r[3];
	capos_exit_status_pack(&cases[2], r);
	assert_int_equal(r[0], CAPOS_EXIT_FAULT | (14ull << 8) | (7ull << 32));
	assert_int_equal(r[1], 0x401234);
	assert_int_equal(r[2], 0x00007ffffff00000ull);
}

static void test_abi_user_range_ok_edges(void **state)
{
	(void)state;
	assert_true(capos_user_range_ok(CAPOS_USER_VA_MIN, 1));
	assert_true(capos_user_range_ok(0x401000, 4096));
	assert_true(capos_user_range_ok(CAPOS_USER_VA_END - 16, 16));
	assert_true(capos_user_range_ok(CAPOS_USER_VA_END, 0));
	assert_true(capos_user_range_ok(0x401000, 0));
	assert_false(capos_user_range_ok(0, 1));
	assert_false(capos_user_range_ok(CAPOS_USER_VA_MIN - 1, 1));
	assert_false(capos_user_range_ok(CAPOS_USER_VA_END - 16, 17));
	assert_false(capos_user_range_ok(CAPOS_USER_VA_END, 1));
	assert_false(capos_user_range_ok(0xffff800000000000ull, 16));
	assert_false(capos_user_range_ok(0xffffffff80000000ull, 1));
	assert_false(capos_user_range_ok(0x401000, 0xffffffffffffffffull));
	assert_false(capos_user_range_ok(0xfffffffffffffff0ull, 32));
}

static void test_abi_layout_constants_consistent(void **state)
{
	(void)state;
	uint64_t magic = CAPOS_START_INFO_MAGIC;
	assert_memory_equal(&magic, "CAPOSSI1", 8);
	/* Image range, mmap base, stack and start record are page-aligned, ordered, disjoint. */
	assert_int_equal(CAPOS_USER_IMAGE_MIN & 0xfff, 0);
	assert_int_equal(CAPOS_USER_IMAGE_END & 0xfff, 0);
	assert_int_equal(CAPOS_USER_START_INFO_VA & 0xfff, 0);
	assert_int_equal(CAPOS_USER_STACK_TOP & 0xf, 0);
	assert_true(CAPOS_USER_VA_MIN <= CAPOS_USER_IMAGE_MIN);
	assert_true(CAPOS_USER_IMAGE_END <= CAPOS_USER_MMAP_BASE);
	assert_true(CAPOS_USER_MMAP_BASE <
		    CAPOS_USER_STACK_TOP - (uint64_t)CAPOS_USER_STACK_PAGES * 4096);
	assert_true(CAPOS_USER_STACK_TOP <= CAPOS_USER_START_INFO_VA);
	assert_true(CAPOS_USER_START_INFO_VA + 4096 <= CAPOS_USER_VA_END);
	assert_true((CAP_RIGHTS_ALL & (CAP_RIGHT_ALLOCATE << 1)) == 0);
	assert_true((CAPOS_MAP_FLAGS_MASK & CAPOS_PROT_MASK) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abi_handle_pack_roundtrip),
		cmocka_unit_test(test_abi_method_numbers_encode_their_type),
		cmocka_unit_test(test_abi_exit_status_pack_roundtrip),
		cmocka_unit_test(test_abi_user_range_ok_edges),
		cmocka_unit_test(test_abi_layout_constants_consistent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
