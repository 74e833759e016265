#!/usr/bin/env bash
# gen_tree.sh DIR N: a synthetic kernel of N translation units for the inventory's scale
# benchmark, with its config (DIR/inventory.json) and compile database (DIR/build). Every TU
# takes and drops a lock, charges and releases a ledger on its error path, maps and unmaps a
# page with a flush, and calls into the previous TU (chains of 10, so what an operation reaches is
# bounded and the work is linear in N), so the scan walks paths, links a call graph
# across TUs and finds operations in a dispatch table of every 50th TU.
set -euo pipefail
dir=$1 n=$2
mkdir -p "$dir/kernel/include" "$dir/kernel/gen" "$dir/audit" "$dir/tests" "$dir/build"
cat >"$dir/kernel/include/gen.h" <<'H'
#ifndef GEN_H
#define GEN_H
typedef int kerr_t;
struct spinlock { int v; };
struct ledger { long used; };
struct aspace { struct spinlock lock; struct ledger *ledger; unsigned long root; };
void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
kerr_t ledger_charge(struct ledger *l, int kind, unsigned long n);
void ledger_release(struct ledger *l, int kind, unsigned long n);
kerr_t arch_mmu_map(struct aspace *as, unsigned long va, unsigned long pa);
kerr_t arch_mmu_unmap(struct aspace *as, unsigned long va);
void tlb_flush_local_page(unsigned long va);
unsigned long frame_alloc(void);
void frame_free(unsigned long pa);
struct gen_ops { kerr_t (*run)(struct aspace *, unsigned long); };
#endif
H
for ((i = 0; i < n; i++)); do
  {
    echo '#include "gen.h"'
    [ $((i % 10)) -gt 0 ] && echo "kerr_t gen_op_$((i - 1))(struct aspace *as, unsigned long va);"
    cat <<C
kerr_t gen_op_$i(struct aspace *as, unsigned long va)
{
	kerr_t err = ledger_charge(as->ledger, 1, 1);
	if (err != 0)
		return err;
	spin_lock(&as->lock);
	unsigned long pa = frame_alloc();
	for (int k = 0; k < 4; k++) {
		if (arch_mmu_map(as, va + (unsigned long)k * 4096, pa) != 0) {
			spin_unlock(&as->lock);
			ledger_release(as->ledger, 1, 1);
			return -1;
		}
	}
	arch_mmu_unmap(as, va);
	tlb_flush_local_page(va);
	frame_free(pa);
	spin_unlock(&as->lock);
C
    [ $((i % 10)) -gt 0 ] && echo "	return gen_op_$((i - 1))(as, va + 4096);" || echo "	return 0;"
    echo "}"
    [ $((i % 50)) -eq 0 ] && echo "const struct gen_ops gen${i}_ops = { .run = gen_op_$i };"
  } >"$dir/kernel/gen/tu$i.c"
done
cat >"$dir/inventory.json" <<'J'
{
  "schema": "capos-inventory-config/1",
  "scope": {"include": ["kernel/**"]},
  "primitives": {
    "pte_write": ["arch_mmu_map"], "pte_clear": ["arch_mmu_unmap"], "tlb_local": ["tlb_flush_local_page"],
    "frame_alloc": ["frame_alloc"], "frame_free": ["frame_free"],
    "ledger_charge": ["ledger_charge"], "ledger_release": ["ledger_release"],
    "lock_acquire": ["spin_lock"], "lock_release": ["spin_unlock"]
  },
  "pairs": [
    {"name": "ledger", "acquire": ["ledger_charge"], "release": ["ledger_release"], "key_args": [1], "fallible": true},
    {"name": "lock", "acquire": ["spin_lock"], "release": ["spin_unlock"], "key_args": [0]}
  ],
  "transitions": {"function": "{machine}_transition", "from_arg": 1, "to_arg": 2},
  "operations": {"tables": ["*_ops"], "table_object": "{object}_ops"},
  "evidence": {"dirs": ["tests"], "extensions": ["sh"]},
  "proof_table": "audit/proof-table.json",
  "backlog": "audit/backlog.json"
}
J
echo '{"schema": "capos-proof-table/1", "kinds": ["unit"], "classes": [{"id": "all", "requires": [["unit"]]}], "assign": [{"class": "all"}]}' >"$dir/audit/proof-table.json"
echo '{"schema": "capos-backlog/1", "items": []}' >"$dir/audit/backlog.json"
here=$(cd "$(dirname "$0")/../../inventory" && pwd)
"$here/mkcdb.sh" "$dir" "$dir/build"
