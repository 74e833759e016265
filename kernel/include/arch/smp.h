/**
 * @file
 * @brief Finding the CPUs (ACPI MADT) and starting the application processors.
 */
#ifndef CAPOS_ARCH_SMP_H
#define CAPOS_ARCH_SMP_H

#include <lib/types.h>

/**
 * @brief Read the LAPIC ids of the enabled CPUs from the ACPI MADT.
 * @param ids Receives up to @p max ids, the boot CPU's included.
 * @param max Capacity of @p ids.
 * @return Number of CPUs found (0 when there is no RSDP or MADT).
 */
unsigned acpi_find_cpus(uint32_t *ids, unsigned max);

/**
 * @brief Start every other CPU of the MADT with INIT-SIPI-SIPI through the real-mode
 *        trampoline, one at a time, each on its own stack; wait until each is online, then
 *        drop the boot identity map. Panics when a CPU does not come up within 1 s.
 */
void smp_start_aps(void);

/**
 * @brief C entry of an application processor (called by the trampoline).
 * @param id The dense CPU id the boot CPU gave it.
 */
void smp_ap_main(unsigned id) __attribute__((noreturn));

#endif /* CAPOS_ARCH_SMP_H */
