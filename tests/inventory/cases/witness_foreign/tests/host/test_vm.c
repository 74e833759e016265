/* Fixture host test of the VM operations (its witness executes this file). */
/* @proves host_vm: vpage:VPAGE_RESERVED->VPAGE_COMMITTED vpage:VPAGE_COMMITTED->VPAGE_RESERVED MAM-A1 */
/* @proves qemu_vm: vpage:VPAGE_COMMITTED->VPAGE_RESERVED */
int test_vm(void) { return 0; }
