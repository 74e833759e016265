/**
 * @file
 * @brief Time from the TSC, calibrated against the PIT at boot.
 */
#ifndef CAPOS_KERN_TIME_H
#define CAPOS_KERN_TIME_H

#include <lib/types.h>

/** @brief TSC ticks per millisecond (0 until calibrated). */
extern uint64_t tsc_per_ms;

/** @brief TSC value sampled at the start of kmain. */
extern uint64_t tsc_at_kmain;

/** @brief Milliseconds since kmain started (0 before calibration). @return ms. */
uint64_t time_ms_since_boot(void);

/**
 * @brief Convert a TSC difference to milliseconds.
 * @param ticks TSC ticks.
 * @return Milliseconds (0 before calibration).
 */
uint64_t tsc_to_ms(uint64_t ticks);

/**
 * @brief Busy-wait @p us microseconds using the PIT (before calibration) or the TSC.
 * @param us Microseconds (< 50000 for the PIT path).
 */
void udelay(uint64_t us);

#endif /* CAPOS_KERN_TIME_H */
