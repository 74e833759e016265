/*
 * printf.c - the kernel's own printf: a small vsnprintf plus a console writer.
 * Supports what the kernel needs (see kern/printf.h); no floating point, no %n.
 */
#include <kern/console.h>
#include <kern/printf.h>

struct out {
	char *buf;
	size_t size;
	size_t len; /* bytes the full output has so far (may exceed size) */
};

struct spec {
	bool left;
	char pad;
	int width;
	int lng; /* 0: int, 1: long, 2: long long / size_t */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_padded(struct out *o, const char *s, size_t n, const struct spec *sp)
{
	size_t pad = sp->width > 0 && (size_t)sp->width > n ? (size_t)sp->width - n : 0;

	if (!sp->left && sp->pad == '0' && n > 0 && s[0] == '-') {
		out_char(o, '-'); /* sign before zero padding */
		s++;
		n--;
	}
	if (!sp->left)
		while (pad--)
			out_char(o, sp->pad);
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]);
	if (sp->left)
		while (pad--)
			out_char(o, ' ');
}

static void out_number(struct out *o, uint64_t v, bool neg, unsigned base, bool upper,
		       const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[--i] = '-';
	out_padded(o, tmp + i, sizeof(tmp) - i, sp);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	sp->left = false;
	sp->pad = ' ';
	sp->width = 0;
	sp->lng = 0;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->pad = '0';
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	while (*f == 'l' || *f == 'z') {
		sp->lng += *f == 'z' ? 2 : 1;
		f++;
	}
	return f;
}

static uint64_t arg_unsigned(const struct spec *sp, va_list *ap)
{
	if (sp->lng >= 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(const struct spec *sp, va_list *ap)
{
	if (sp->lng >= 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void format_one(struct out *o, char conv, struct spec *sp, va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i': {
		int64_t v = arg_signed(sp, ap);
		out_number(o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, sp);
		break;
	}
	case 'u':
		out_number(o, arg_unsigned(sp, ap), false, 10, false, sp);
		break;
	case 'x':
	case 'X':
		out_number(o, arg_unsigned(sp, ap), false, 16, conv == 'X', sp);
		break;
	case 'p':
		out_char(o, '0');
		out_char(o, 'x');
		sp->pad = '0';
		sp->width = 16;
		out_number(o, (uint64_t)va_arg(*ap, void *), false, 16, false, sp);
		break;
	case 's': {
		const char *s = va_arg(*ap, const char *);
		size_t n = 0;
		if (!s)
			s = "(null)";
		while (s[n])
			n++;
		sp->pad = ' ';
		out_padded(o, s, n, sp);
		break;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);
		out_padded(o, &c, 1, sp);
		break;
	}
	case '%':
		out_char(o, '%');
		break;
	default: /* unknown conversion: print it verbatim so the mistake shows */
		out_char(o, '%');
		out_char(o, conv);
		break;
	}
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &aq);
		if (!*fmt)
			break;
		format_one(&o, *fmt++, &sp, &aq);
	}
	va_end(aq);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int kprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	console_write(buf, (size_t)n);
	return n;
}
