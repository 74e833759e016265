/* Fixture QEMU scenario: runs commit and decommit on the real page tables. */
/* @proves qemu_vm: frame:FRAME_ALLOCATED->FRAME_MAPPED frame:FRAME_MAPPED->FRAME_UNHOOKED frame:FRAME_FREE->FRAME_ALLOCATED */
/* @proves qemu_vm: vpage:VPAGE_RESERVED->VPAGE_COMMITTED vpage:VPAGE_COMMITTED->VPAGE_RESERVED */
int scenario_vm(void) { return 0; }
