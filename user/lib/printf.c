/*
 * printf.c - console output and a small vsnprintf for user programs (no floating point:
 * user code builds without SSE).
 */
#include <caprt.h>

/* Output cursor that never writes past size - 1 and always leaves room for the NUL. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, uint64_t v, unsigned base, bool neg, unsigned width, char pad)
{
	char tmp[24];
	unsigned n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	/* The sign goes before zero padding and after space padding: "-0042", "  -42". */
	if (neg && pad == '0')
		put(o, '-');
	for (unsigned i = n + (neg ? 1 : 0); i < width; i++)
		put(o, pad);
	if (neg && pad != '0')
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

/* Signed or unsigned argument of length modifier lmod (0 = int, 1 = long, 2 = long long/size). */
static uint64_t arg_u(va_list *ap, int lmod)
{
	return lmod == 0 ? va_arg(*ap, unsigned) : lmod == 1 ? va_arg(*ap, unsigned long) :
			   va_arg(*ap, unsigned long long);
}

static int64_t arg_s(va_list *ap, int lmod)
{
	return lmod == 0 ? va_arg(*ap, int) : lmod == 1 ? va_arg(*ap, long) : va_arg(*ap, long long);
}

static void conv(struct out *o, char c, int lmod, unsigned width, char pad, va_list *ap)
{
	switch (c) {
	case 'd':
	case 'i': {
		int64_t v = arg_s(ap, lmod);
		put_num(o, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
		break;
	}
	case 'u':
		put_num(o, arg_u(ap, lmod), 10, false, width, pad);
		break;
	case 'x':
		put_num(o, arg_u(ap, lmod), 16, false, width, pad);
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, (uint64_t)(uintptr_t)va_arg(*ap, void *), 16, false, width, pad);
		break;
	case 's': {
		const char *s = va_arg(*ap, const char *);
		for (s = s ? s : "(null)"; *s; s++)
			put(o, *s);
		break;
	}
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	default: /* '%' and unknown conversions print themselves */
		put(o, c);
		break;
	}
}

int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list aq;

	if (size == 0)
		return 0; /* no room even for the NUL: write nothing */
	va_copy(aq, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		char pad = ' ';
		unsigned width = 0;
		int lmod = 0;
		if (*++f == '0')
			pad = '0', f++;
		/* Padding past the buffer's end is never seen: clamping keeps a huge width cheap
		 * and the product from wrapping. */
		while (*f >= '0' && *f <= '9') {
			width = width * 10 + (unsigned)(*f++ - '0');
			if (width > size)
				width = (unsigned)size;
		}
		for (; *f == 'l' || *f == 'z'; f++)
			lmod = *f == 'z' ? 2 : lmod + 1;
		if (!*f)
			break;
		conv(&o, *f, lmod > 2 ? 2 : lmod, width, pad, &aq);
	}
	va_end(aq);
	buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)(o.len < size ? o.len : size - 1);
}

void rt_puts(const char *s)
{
	if (rt_console != CAP_HANDLE_NONE)
		console_write(rt_console, s, strlen(s));
}

int rt_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = rt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (rt_console != CAP_HANDLE_NONE)
		console_write(rt_console, buf, (size_t)n);
	return n;
}

int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = rt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
