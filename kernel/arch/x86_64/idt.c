/*
 * idt.c - the interrupt descriptor table (shared by all CPUs) and the vector -> handler table.
 */
#include <arch/trap.h>
#include <kern/compiler.h>
#include <kern/panic.h>
#include <kern/witness.h>
#include <lib/assert.h>

#define IDT_ENTRIES 256
#define ISR_STUB_SIZE 16
#define GATE_INTERRUPT 0x8E /* present, DPL 0, 64-bit interrupt gate (IF cleared on entry) */
#define IST_DF 1            /* IST slot for double fault and machine check */
#define IST_NMI 2           /* IST slot for NMI */

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern char isr_stubs_begin[], isr_stubs_end[];

static struct idt_gate idt[IDT_ENTRIES] __aligned(16);
static irq_handler_t handlers[IDT_ENTRIES];

static void idt_set(unsigned v, uint64_t addr, uint8_t ist)
{
	idt[v].off_lo = addr & 0xffff;
	idt[v].sel = GDT_KCODE;
	idt[v].ist = ist;
	idt[v].type = GATE_INTERRUPT;
	idt[v].off_mid = (addr >> 16) & 0xffff;
	idt[v].off_hi = addr >> 32;
	idt[v].reserved = 0;
}

void idt_init(void)
{
	KASSERT(isr_stubs_end - isr_stubs_begin == IDT_ENTRIES * ISR_STUB_SIZE);
	for (unsigned v = 0; v < IDT_ENTRIES; v++) {
		uint8_t ist = 0;
		if (v == VEC_DF || v == VEC_MC)
			ist = IST_DF;
		else if (v == VEC_NMI)
			ist = IST_NMI;
		idt_set(v, (uint64_t)isr_stubs_begin + v * ISR_STUB_SIZE, ist);
	}
}

void idt_load(void)
{
	struct idt_ptr p = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ volatile("lidt %0" : : "m"(p));
}

void irq_register(uint8_t vector, irq_handler_t fn)
{
	KASSERT(vector >= 32);
	KASSERT(!handlers[vector]);
	handlers[vector] = fn;
}

/* Exceptions (0..31) are reported by trap.c unless an expected fault recovers them. */
void trap_dispatch(struct trap_frame *tf)
{
	irq_handler_t fn = tf->vector < 32 ? NULL : handlers[tf->vector];

	if (tf->vector < 32)
		trap_exception(tf);
	else if (fn)
		fn(tf);
	else
		panic("unexpected interrupt vector %lu", tf->vector);
	if (tf->cs & 3)
		witness_return_to_user(); /* the interrupt returns to user space */
}
