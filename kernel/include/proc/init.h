/**
 * @file
 * @brief Running the user-space scenario named on the kernel command line through init.
 */
#ifndef CAPOS_PROC_INIT_H
#define CAPOS_PROC_INIT_H

/**
 * @brief Spawn init with its start capabilities and @p name as its argument, wait for it and
 *        end the run: QEMU_EXIT_SUCCESS when init exited normally with code 0, else
 *        QEMU_EXIT_FAILURE. Never returns.
 * @param name Scenario name (init's argument).
 */
void init_run_scenario(const char *name) __attribute__((noreturn));

#endif /* CAPOS_PROC_INIT_H */
