/*
 * kfault.c - expected faults for kernel tests (see kern/kfault.h).
 */
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kern/kfault.h>
#include <kern/percpu.h>
#include <lib/assert.h>

extern char kfault_resume[];

void kfault_arm(struct kfault_expect *fe, uint64_t vector)
{
	fe->want_vector = vector;
	fe->hit = false;
	fe->vector = fe->error = fe->rip = fe->cr2 = 0;
	fe->irq_on = irq_enabled();
	fe->expr = NULL;
	this_cpu()->fault_expect = fe;
}

void kfault_expect_end(struct kfault_expect *fe)
{
	KASSERT(this_cpu()->fault_expect == fe);
	this_cpu()->fault_expect = NULL;
}

bool kfault_recover(struct trap_frame *tf)
{
	struct kfault_expect *fe = this_cpu()->fault_expect;

	if (!fe || fe->want_vector != tf->vector || (tf->cs & 3))
		return false;
	fe->hit = true;
	fe->vector = tf->vector;
	fe->error = tf->error;
	fe->rip = tf->rip;
	fe->cr2 = tf->vector == VEC_PF ? read_cr2() : 0;
	this_cpu()->fault_expect = NULL;
	tf->rip = (uint64_t)kfault_resume;
	tf->rdi = (uint64_t)&fe->jb;
	return true;
}

void kfault_recover_assert(const char *expr)
{
	struct kfault_expect *fe = this_cpu()->fault_expect;

	if (!fe || fe->want_vector != KFAULT_ASSERT)
		return;
	fe->hit = true;
	fe->vector = KFAULT_ASSERT;
	fe->expr = expr;
	this_cpu()->fault_expect = NULL;
	if (fe->irq_on)
		irq_enable();
	klongjmp(&fe->jb, 1);
}
