/// A PTE is weakened or removed (roles pte_clear, pte_weaken) in a function that flushes
/// through a gather (role tlb_gather: tlb_gather_page() in capOS, which records the address
/// the next shootdown covers), and some path reaches the shootdown (role tlb_shootdown)
/// without gathering anything after the change. The shootdown then covers the other pages but
/// not this one: every CPU that cached the old translation keeps it (a page made read-only
/// stays writable there, an unmapped page stays reachable). weaken_no_flush cannot see this:
/// the function does shoot down, on every path.
///
/// Typical cause: gathering only some of the changed pages ("a read-only downgrade keeps the
/// page readable, only PROT_NONE needs the flush").
//# Intraprocedural, and any gather after the change counts (the rule does not compare the
//# gathered address with the changed one). A change whose address a callee gathers is
//# reported: gather in the function that changes the PTE. A change that failed (its error
//# branch skips the gather) is reported too: gather unconditionally, a page gathered for
//# nothing costs one invlpg.
// Confidence: Moderate
// Copyright: capOS contributors.
// Comments: names from the config's primitives (tools/cocci/README.md "Config").
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

// Only functions that gather at all: a kernel (or function) without a gather flushes some
// other way, which weaken_no_flush checks.
@hasgather@
identifier fn;
identifier G =~ "{{tlb_gather}}";
@@
fn(...) {
<+... G(...) ...+>
}

@notgathered exists@
identifier hasgather.fn;
identifier G =~ "{{tlb_gather}}";
identifier S =~ "{{tlb_shootdown}}";
position p1, p2;
@@
fn(...) {
...
{{event:pte_clear|pte_weaken@p1}}
... when != G(...)
S@p2(...)
...
}

@depends on context exists@
position notgathered.p1;
expression E;
@@
* E@p1

@script:python depends on report@
p1 << notgathered.p1;
p2 << notgathered.p2;
@@
print("%s:%s:%d: ERROR: PTE weakened or removed here, then the shootdown of line %s is reached on some path without gathering it: the round does not cover this page and other CPUs keep the old translation (in %s)"
      % (p1[0].file, p1[0].line, int(p1[0].column) + 1, p2[0].line, p1[0].current_element))
