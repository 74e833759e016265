/* Fixture fuzzer of the VM operations. */
/* @proves fuzz_vm: vpage:VPAGE_RESERVED->VPAGE_COMMITTED */
int fuzz_vm(void) { return 0; }
