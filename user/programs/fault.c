/*
 * fault.c - ends with a page fault of the kind named by its argument; the parent checks the
 * exit status names it:
 *   null  read from address 0 (not present);
 *   ro    write to the read-only start-record page (present, write);
 *   nx    jump into the non-executable start-record page (present, instruction fetch).
 * Reaching the end of main is a failure (exit code 1).
 */
#include <caprt.h>

int main(const struct capos_start_info *si)
{
	const char *a = si->arg;
	rt_printf("fault: %s\n", a);
	if (!strcmp(a, "null")) {
		volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)0;
		(void)*p;
	} else if (!strcmp(a, "ro")) {
		volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)CAPOS_USER_START_INFO_VA;
		*p = 0;
	} else if (!strcmp(a, "nx")) {
		void (*f)(void) = (void (*)(void))(uintptr_t)CAPOS_USER_START_INFO_VA;
		f();
	}
	rt_printf("fault: '%s' did not fault\n", a);
	return 1;
}
