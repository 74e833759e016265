/**
 * @file
 * @brief The local APIC (xAPIC, through the direct map), its timer, IPIs, and the PIT used to
 *        calibrate it.
 */
#ifndef CAPOS_ARCH_APIC_H
#define CAPOS_ARCH_APIC_H

#include <lib/types.h>

#define LAPIC_TIMER_HZ 100 /**< Periodic timer rate on every CPU. */

/**
 * @brief Boot CPU: mask the legacy PICs, enable the LAPIC, calibrate its timer and the TSC
 *        against PIT channel 2 (10 ms), register the timer and spurious handlers.
 */
void lapic_init_boot(void);

/** @brief Enable this CPU's LAPIC and start its periodic timer (after lapic_init_boot()). */
void lapic_init_cpu(void);

/** @brief This CPU's LAPIC id. @return The id. */
uint32_t lapic_id(void);

/** @brief Signal end of interrupt to this CPU's LAPIC. */
void lapic_eoi(void);

/**
 * @brief Send a fixed IPI to one CPU.
 * @param apic_id Destination LAPIC id.
 * @param vector Vector 32..255.
 */
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);

/**
 * @brief Send INIT (assert) to a CPU (AP start-up).
 * @param apic_id Destination LAPIC id.
 */
void lapic_send_init(uint32_t apic_id);

/**
 * @brief Send a start-up IPI: the CPU starts in real mode at physical page @p page.
 * @param apic_id Destination LAPIC id.
 * @param page Physical page number of the trampoline (below 1 MiB).
 */
void lapic_send_sipi(uint32_t apic_id, uint8_t page);

/**
 * @brief Busy-wait on PIT channel 2.
 * @param us Microseconds, 1..50000.
 */
void pit_wait_us(uint32_t us);

/** @brief LAPIC timer counts per timer period (calibrated). @return Count. */
uint32_t lapic_timer_period(void);

#endif /* CAPOS_ARCH_APIC_H */
