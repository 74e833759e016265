/// A page is handed to a swap or DMA primitive (roles swap: swap_*, page_out*, page_in*;
/// dma: dma_*, iommu_map*, bti_*, pmt_* in capOS) on a path where its eligibility was not
/// asked first (role elig_query: frame_eligibility() in capOS), or in the branch where the
/// answer was a refusal (the result compared with role elig_ok, ELIG_OK in capOS, and found
/// different). Pinned, DMA, secret, shared-IPC, MemoryObject, ring, capability-table,
/// page-table and kernel pages must never reach swap; only pinned MemoryObject pages may
/// reach a device (docs/architecture/page-eligibility.md). Generic frame ownership is not
/// enough: the eligibility bits are what the code that created the page said about it.
///
//# Intraprocedural: a query done by a caller is not seen; query in the function that calls
//# the primitive (the answer can change once the page's lock is dropped anyway).
//# The rule does not check that the page queried is the page handed over, nor that the
//# purpose matches (ELIG_FOR_SWAP before a swap primitive): review that by reading.
//# A query inside a short-circuit condition (`if (!fast && frame_eligibility(...) != ELIG_OK)`)
//# counts as made on every path through that condition: write the query as its own statement.
//# The primitives' own definitions (functions named like a swap or DMA primitive) are not
//# checked: the rule is about who hands pages to them.
// Confidence: Moderate
// Copyright: capOS contributors.
// Comments: names from the config's primitives and tools/cocci/capos-roles.json.
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

// Some path from the function's entry to the primitive without a query on the way.
@unchecked exists@
identifier fn !~ "{{swap|dma}}";
identifier Q =~ "{{elig_query}}";
identifier P =~ "{{swap|dma}}";
expression E;
statement S1, S2;
position p;
@@
fn(...) {
... when != Q(...)
(
P@p(...);
|
return P@p(...);
|
E = P@p(...);
|
if (<+... P@p(...) ...+>) S1 else S2
|
if (<+... P@p(...) ...+>) S1
)
...
}

// The primitive inside the branch taken when the answer was a refusal.
@refused exists@
identifier fn !~ "{{swap|dma}}";
identifier Q =~ "{{elig_query}}";
identifier P =~ "{{swap|dma}}";
identifier OK =~ "{{elig_ok}}";
expression R;
statement S;
position p;
@@
fn(...) {
...
(
if (Q(...) != OK) { ... P@p(...); ... }
|
if (Q(...) != OK) { ... return P@p(...); }
|
if (Q(...) != OK) P@p(...);
|
if (Q(...) != OK) return P@p(...);
|
R = Q(...);
...
(
if (R != OK) { ... P@p(...); ... }
|
if (R != OK) { ... return P@p(...); }
|
if (R != OK) P@p(...);
|
if (R != OK) return P@p(...);
|
if (R == OK) S else { ... P@p(...); ... }
|
if (R == OK) S else { ... return P@p(...); }
)
)
...
}

@depends on context exists@
identifier fn;
identifier P;
position unchecked.p;
@@
fn(...) {
...
* P@p(...);
...
}

@script:python depends on report@
p << unchecked.p;
P << unchecked.P;
@@
print("%s:%s:%d: ERROR: page handed to %s() on a path without an eligibility query (frame_eligibility) first: it may be pinned, secret, shared, ring, object, page-table or kernel memory (in %s)"
      % (p[0].file, p[0].line, int(p[0].column) + 1, P, p[0].current_element))

@script:python depends on report@
p << refused.p;
P << refused.P;
@@
print("%s:%s:%d: ERROR: page handed to %s() in the branch where its eligibility query refused it (in %s)"
      % (p[0].file, p[0].line, int(p[0].column) + 1, P, p[0].current_element))
