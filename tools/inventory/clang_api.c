/* clang_api.c: dlopen()s libclang the first time a translation unit has to be parsed. */
#define INV_CLANG_API_IMPL
#include "clang_api.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#ifndef INV_LIBCLANG_PATH
#define INV_LIBCLANG_PATH "libclang-14.so.1"
#endif

#define INV_CLANG_DEFINE(f) __typeof__(f) *inv_p_##f;
INV_CLANG_FUNCS(INV_CLANG_DEFINE)
#undef INV_CLANG_DEFINE

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool loaded;

static void load(void)
{
	void *h = dlopen(INV_LIBCLANG_PATH, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "inventory: cannot load libclang (%s): %s\n", INV_LIBCLANG_PATH, dlerror());
		return;
	}
	loaded = true;
#define INV_CLANG_RESOLVE(f) \
	if (!(*(void **)&inv_p_##f = dlsym(h, #f))) { \
		fprintf(stderr, "inventory: libclang lacks %s\n", #f); \
		loaded = false; \
	}
	INV_CLANG_FUNCS(INV_CLANG_RESOLVE)
#undef INV_CLANG_RESOLVE
}

bool clang_api_load(void)
{
	pthread_once(&once, load);
	return loaded;
}
