/* Fixture: the runner's deliberate-hang scenario, which never reaches the frame code. */
/* @proves qemu_hang: frame:FRAME_UNHOOKED->FRAME_FREE */
int scenario_hang(void) { for (;;) ; }
