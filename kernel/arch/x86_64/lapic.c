/*
 * lapic.c - the local APIC (xAPIC MMIO through the direct map), its periodic timer, IPIs, and
 * the PIT (channel 2, polled) that the timer and the TSC are calibrated against.
 *
 * Calibration: one 10 ms PIT one-shot, during which the LAPIC timer counts down from
 * 0xffffffff (divide by 16) and the TSC runs; under TCG both follow QEMU's virtual clock, so
 * the rates measured are the ones the guest sees afterwards.
 */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kern/entry.h>
#include <kern/panic.h>
#include <kern/percpu.h>
#include <kern/printf.h>
#include <kern/time.h>
#include <mm/phys.h>

#define LAPIC_PHYS 0xfee00000
#define LAPIC_ID 0x020
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_ESR 0x280
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0

#define SVR_ENABLE 0x100
#define LVT_MASKED 0x10000
#define LVT_PERIODIC 0x20000
#define ICR_PENDING 0x1000
#define ICR_ASSERT 0x4000
#define ICR_INIT 0x500
#define ICR_SIPI 0x600
#define TIMER_DIV_16 0x3

#define PIT_HZ 1193182
#define CALIBRATE_US 10000

static uint32_t timer_period; /* LAPIC timer counts per 1/LAPIC_TIMER_HZ s */

static volatile uint32_t *lapic_reg(uint32_t off)
{
	return (volatile uint32_t *)((uint8_t *)phys_to_virt(LAPIC_PHYS) + off);
}

static void lapic_write(uint32_t off, uint32_t v)
{
	*lapic_reg(off) = v;
}

static uint32_t lapic_read(uint32_t off)
{
	return *lapic_reg(off);
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void pit_wait_us(uint32_t us)
{
	uint32_t count = (uint32_t)((uint64_t)PIT_HZ * us / 1000000);
	uint8_t gate;

	KASSERT(count > 0 && count <= 0xffff);
	gate = (inb(0x61) & ~0x02) | 0x01; /* gate channel 2 on, speaker off */
	outb(0x61, gate & ~0x01);
	outb(0x43, 0xb0); /* channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count) */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	outb(0x61, gate); /* rising gate edge starts the count */
	while (!(inb(0x61) & 0x20))
		cpu_relax();
	outb(0x61, gate & ~0x01);
}

static void pic_disable(void)
{
	/* Remap the 8259s away from the exception vectors (0xe0..0xef), then mask them all. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0xe0);
	outb(0xa1, 0xe8);
	outb(0x21, 4);
	outb(0xa1, 2);
	outb(0x21, 1);
	outb(0xa1, 1);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

static void lapic_timer_irq(struct trap_frame *tf)
{
	this_cpu()->timer_ticks++;
	lapic_eoi();
	kernel_tick(tf->cs & 3); /* may switch threads; EOI is already sent */
}

static void lapic_spurious_irq(struct trap_frame *tf)
{
	/* No EOI for spurious interrupts. */
}

static void lapic_calibrate(void)
{
	uint64_t tsc0, tsc1;
	uint32_t elapsed;

	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	tsc0 = rdtsc();
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	pit_wait_us(CALIBRATE_US);
	elapsed = 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
	tsc1 = rdtsc();
	lapic_write(LAPIC_TIMER_INIT, 0);
	if (elapsed == 0 || tsc1 <= tsc0)
		panic("lapic: calibration failed (timer %u, tsc %lu)", elapsed, tsc1 - tsc0);
	timer_period = (uint32_t)((uint64_t)elapsed * (1000000 / CALIBRATE_US) / LAPIC_TIMER_HZ);
	tsc_per_ms = (tsc1 - tsc0) / (CALIBRATE_US / 1000);
	kprintf("lapic: timer %u counts per %u ms tick, TSC %lu kHz (PIT calibrated)\n",
		timer_period, 1000 / LAPIC_TIMER_HZ, tsc_per_ms);
}

void lapic_init_boot(void)
{
	pic_disable();
	if (!(rdmsr(MSR_APIC_BASE) & (1u << 11)))
		panic("lapic: APIC disabled in IA32_APIC_BASE");
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	irq_register(VEC_TIMER, lapic_timer_irq);
	irq_register(VEC_SPURIOUS, lapic_spurious_irq);
	lapic_calibrate();
	lapic_init_cpu();
}

void lapic_init_cpu(void)
{
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, timer_period);
}

uint32_t lapic_timer_period(void)
{
	return timer_period;
}

static void lapic_send(uint32_t apic_id, uint32_t lo)
{
	uint64_t flags = read_rflags();

	irq_disable(); /* ICR high and low must not be split by an interrupt that sends too */
	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		cpu_relax();
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, lo);
	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		cpu_relax();
	if (flags & RFLAGS_IF)
		irq_enable();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	lapic_send(apic_id, ICR_ASSERT | vector);
}

void lapic_send_init(uint32_t apic_id)
{
	lapic_send(apic_id, ICR_ASSERT | ICR_INIT);
}

void lapic_send_sipi(uint32_t apic_id, uint8_t page)
{
	lapic_send(apic_id, ICR_ASSERT | ICR_SIPI | page);
}
