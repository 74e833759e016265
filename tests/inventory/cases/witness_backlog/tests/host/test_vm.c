/* Fixture host test of the VM operations (its witness executes this file). */
/* @proves host_vm: vpage:VPAGE_RESERVED->VPAGE_COMMITTED vpage:VPAGE_COMMITTED->VPAGE_RESERVED MAM-A1 */
/* A passing host test cites an item whose code (kernel/swap) does not exist: never done by tags. */
/* @proves host_vm: MAM-Z9 */
int test_vm(void) { return 0; }
