/* Seeded-defect variant of fixtures/xv6/kernel/vm.c: uvmunmap frees before it clears. */
#include "xv.h"

int mappages(pagetable_t pagetable, uint64 va, uint64 pa, int perm)
{
	pte_t *pte = walk(pagetable, va, 1);
	if (pte == 0)
		return -1;
	if (*pte & PTE_V)
		panic("remap");
	*pte = PA2PTE(pa) | perm | PTE_V;
	return 0;
}

/* SEEDED DEFECT (INV018): the page is freed before its PTE is cleared, and nothing in the
 * function flushes the TLB (as in the teaching kernel this imitates, where the flush is left
 * to whoever switches page tables next). */
void uvmunmap(pagetable_t pagetable, uint64 va, int do_free)
{
	pte_t *pte = walk(pagetable, va, 0);
	if (pte == 0)
		panic("uvmunmap: walk");
	if (do_free) {
		uint64 pa = PTE2PA(*pte);
		kfree((void *)pa);
	}
	*pte = 0;
}

static void flush_all(void)
{
	sfence_vma();
}

/* Free a page-table page once its entries are cleared and flushed: the flush is a callee's,
 * seen through its summary. */
void freewalk(pagetable_t pagetable)
{
	for (int i = 0; i < 512; i++)
		pagetable[i] = 0;
	flush_all();
	kfree((void *)pagetable);
}

uint64 uvmalloc(pagetable_t pagetable, uint64 va)
{
	char *mem = kalloc();
	if (mem == 0)
		return 0;
	if (mappages(pagetable, va, (uint64)mem, 2) != 0) {
		kfree(mem);  /* never mapped: nothing to flush */
		return 0;
	}
	return va;
}

int sys_write(void)
{
	struct proc *p = myproc();
	char buf[8] = {0};
	return copyout(p->pagetable, 0, buf, sizeof buf);
}

int sys_sbrk(void)
{
	struct proc *p = myproc();
	return uvmalloc(p->pagetable, 4096) ? 0 : -1;
}

int sys_munmap(void)
{
	struct proc *p = myproc();
	uvmunmap(p->pagetable, 4096, 1);
	return 0;
}

void proc_freepagetable(struct proc *p)
{
	uvmunmap(p->pagetable, 0, 0);
	freewalk(p->pagetable);
}

int sys_exit(void)
{
	proc_freepagetable(myproc());
	return 0;
}
