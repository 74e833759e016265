/*
 * serial.c - the kernel console on COM1 (16550 UART at 0x3f8), polled, 115200 8N1.
 */
#include <arch/cpu.h>
#include <kern/console.h>
#include <kern/spinlock.h>

#define COM1 0x3f8
#define UART_THR 0 /* transmit holding */
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_THRE 0x20 /* transmitter ready */

static struct spinlock console_lock = SPINLOCK_INIT("console");
static bool console_lock_broken;

void console_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80); /* DLAB: divisor follows */
	outb(COM1 + 0, 0x01);        /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	outb(COM1 + UART_FCR, 0xC7); /* FIFO on, cleared */
	outb(COM1 + UART_MCR, 0x03);
}

static void serial_putc(char c)
{
	for (int spins = 0; spins < 100000 && !(inb(COM1 + UART_LSR) & LSR_THRE); spins++)
		cpu_relax();
	outb(COM1 + UART_THR, (uint8_t)c);
}

void console_write(const char *s, size_t n)
{
	uint64_t flags = 0;
	bool locked = !__atomic_load_n(&console_lock_broken, __ATOMIC_RELAXED);

	if (locked)
		flags = spin_lock_irqsave(&console_lock);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
	if (locked)
		spin_unlock_irqrestore(&console_lock, flags);
}

void console_break_lock(void)
{
	__atomic_store_n(&console_lock_broken, true, __ATOMIC_RELAXED);
}
