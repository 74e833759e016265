/*
 * spin.c - runs until killed (the kill and fault-isolation scenarios use it as a live
 * sibling). Never exits by itself.
 */
#include <caprt.h>

int main(const struct capos_start_info *si)
{
	(void)si;
	for (;;)
		__asm__ volatile("pause");
}
