/*
 * exit.c - exits normally with the code given as its argument: "N" returns N from main
 * (CAP_PROCESS_EXIT); "thread N" ends the only thread with CAP_THREAD_EXIT(N), so the process
 * ends because its last thread exited.
 */
#include <caprt.h>

int main(const struct capos_start_info *si)
{
	const char *a = si->arg;
	if (!memcmp(a, "thread ", 7)) {
		uint64_t code = rt_strtou64(a + 7, NULL);
		cap_invoke(si->thread, CAP_THREAD_EXIT, code, 0, 0, 0, 0);
		RT_ASSERT(!"CAP_THREAD_EXIT returned");
	}
	return (int)rt_strtou64(a, NULL);
}
