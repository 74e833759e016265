/*
 * time.c - milliseconds from the TSC (calibrated against the PIT by lapic.c).
 */
#include <kern/time.h>
#include <arch/cpu.h>

uint64_t tsc_per_ms;
uint64_t tsc_at_kmain;

uint64_t tsc_to_ms(uint64_t ticks)
{
	return tsc_per_ms ? ticks / tsc_per_ms : 0;
}

uint64_t time_ms_since_boot(void)
{
	return tsc_to_ms(rdtsc() - tsc_at_kmain);
}
