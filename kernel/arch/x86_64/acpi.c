/*
 * acpi.c - just enough ACPI to list the CPUs: RSDP (EBDA or BIOS area), RSDT/XSDT, MADT
 * processor-local-APIC entries. Every checksum is verified; a bad table is ignored.
 */
#include <arch/smp.h>
#include <kern/printf.h>
#include <kern/string.h>
#include <mm/phys.h>

struct acpi_rsdp {
	char sig[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

struct acpi_header {
	char sig[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_rev;
	uint32_t creator;
	uint32_t creator_rev;
} __attribute__((packed));

#define MADT_ENTRIES_OFFSET (sizeof(struct acpi_header) + 8) /* + LAPIC address, flags */
#define MADT_LAPIC 0
#define MADT_LAPIC_ENABLED 0x1

static bool acpi_sum_ok(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += b[i];
	return sum == 0;
}

static const struct acpi_rsdp *acpi_scan(paddr_t base, size_t len)
{
	for (paddr_t pa = base; pa + sizeof(struct acpi_rsdp) <= base + len; pa += 16) {
		const struct acpi_rsdp *r = phys_to_virt(pa);
		if (!memcmp(r->sig, "RSD PTR ", 8) && acpi_sum_ok(r, 20))
			return r;
	}
	return NULL;
}

static const struct acpi_rsdp *acpi_find_rsdp(void)
{
	paddr_t ebda = (paddr_t)*(const uint16_t *)phys_to_virt(0x40e) << 4;
	const struct acpi_rsdp *r = NULL;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		r = acpi_scan(ebda, 1024);
	return r ? r : acpi_scan(0xe0000, 0x20000);
}

static const struct acpi_header *acpi_table(paddr_t pa, const char *sig)
{
	const struct acpi_header *h;

	if (pa == 0 || pa >= KERNEL_DIRECT_SIZE)
		return NULL;
	h = phys_to_virt(pa);
	if (memcmp(h->sig, sig, 4) || !acpi_sum_ok(h, h->length))
		return NULL;
	return h;
}

static const struct acpi_header *acpi_find_madt(const struct acpi_rsdp *r)
{
	bool x = r->revision >= 2 && r->xsdt;
	const struct acpi_header *root = x ? acpi_table(r->xsdt, "XSDT") : acpi_table(r->rsdt, "RSDT");
	size_t width = x ? 8 : 4;

	if (!root)
		return NULL;
	for (size_t off = sizeof(*root); off + width <= root->length; off += width) {
		const uint8_t *p = (const uint8_t *)root + off;
		paddr_t pa = 0;
		memcpy(&pa, p, width);
		const struct acpi_header *t = acpi_table(pa, "APIC");
		if (t)
			return t;
	}
	return NULL;
}

unsigned acpi_find_cpus(uint32_t *ids, unsigned max)
{
	const struct acpi_rsdp *r = acpi_find_rsdp();
	const struct acpi_header *madt = r ? acpi_find_madt(r) : NULL;
	unsigned n = 0;

	if (!madt)
		return 0;
	for (size_t off = MADT_ENTRIES_OFFSET; off + 2 <= madt->length;) {
		const uint8_t *e = (const uint8_t *)madt + off;
		if (e[1] < 2)
			break; /* malformed entry length */
		if (e[0] == MADT_LAPIC && e[1] >= 8) {
			uint32_t flags;
			memcpy(&flags, e + 4, 4);
			if ((flags & MADT_LAPIC_ENABLED) && n < max)
				ids[n++] = e[3];
			else if (flags & MADT_LAPIC_ENABLED)
				kprintf("acpi: ignoring CPU with APIC id %u (MAX_CPUS)\n", e[3]);
		}
		off += e[1];
	}
	return n;
}
