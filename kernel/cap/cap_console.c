/*
 * cap_console.c - the Console capability: user output into the serial log.
 */
#include <cap/invoke.h>
#include <kern/console.h>
#include <mm/kheap.h>
#include <mm/uaccess.h>
#include <proc/process.h>

const int console_object;

/* Decode: length bound, then the whole buffer copied in (so perform cannot fail). */
static kerr_t decode_console_write(struct invocation *inv, char **buf)
{
	kerr_t err;

	if (inv->a[1] > CAPOS_CONSOLE_WRITE_MAX)
		return KERR_INVALID_ARG;
	if (inv->a[1] == 0)
		return KERR_OK;
	*buf = kmalloc(inv->a[1]);
	if (!*buf)
		return KERR_NO_MEMORY;
	err = copy_from_user(inv->proc->as, *buf, inv->a[0], inv->a[1]);
	if (err != KERR_OK) {
		kfree(*buf);
		*buf = NULL;
	}
	return err;
}

static kerr_t perform_console_write(struct invocation *inv, char *buf)
{
	if (buf)
		console_write(buf, inv->a[1]);
	kfree(buf);
	inv->r[0] = inv->a[1];
	return KERR_OK;
}

kerr_t invoke_console(struct invocation *inv)
{
	char *buf = NULL;
	kerr_t err;

	switch (inv->method) {
	case CAP_CONSOLE_WRITE:
		err = decode_console_write(inv, &buf);
		return err != KERR_OK ? err : perform_console_write(inv, buf);
	}
	return KERR_UNKNOWN_METHOD;
}
