/// A PTE is weakened or removed (roles pte_clear, pte_weaken: arch_mmu_unmap(),
/// arch_mmu_protect() in capOS, or a configured store such as `*pte &= ~PTE_W`) and the
/// function then returns on some path (a return or its closing brace) without a flush that
/// covers it: no shootdown (roles
/// tlb_shootdown, tlb_wait), no all-CPU flush IPI (`ipi_call(cpumask_all(), <flush fn>,
/// ...)`), no tlb_assert_not_resident(). Until every CPU flushed, another CPU keeps the old
/// translation: a page made read-only stays writable through it, an unmapped page stays
/// reachable. A local flush (role tlb_local) covers it only in boot functions (role
/// boot_function: boot_*, early_*).
///
/// A function whose comment says the caller flushes (`TLB: caller`, or `TLB: shootdown
/// (caller's round)` for a change recorded in the caller's gather; `TLB:` is the config's
/// `tlb_comment`) hands the duty to its callers and is not reported; this rule does not
/// follow the duty into the callers (the inventory's call graph does).
///
//# Intraprocedural: a flush done by a callee (other than the configured flush functions)
//# is not seen; name such a helper in the config's tlb_shootdown role, or mark the
//# function `TLB: caller`.
//# A flush under a condition the path analysis cannot correlate (`if (changed) flush();`
//# after `changed = 1` next to the weaken) is reported on the path where the condition is
//# false: flush unconditionally, as a flush of an unchanged range is harmless.
// Confidence: Moderate
// Copyright: capOS contributors.
// Comments: names from the config's primitives (tools/cocci/README.md "Config").
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

// Some path from the PTE change to the end of the function (any return, or the closing
// brace) with no flush of any kind on the way. (A `return;` pattern in spatch 1.1.1 does not
// match the closing brace of a void function without an explicit return, so the rule
// matches the whole function.)
@noflush exists@
identifier fn;
identifier F =~ "flush";
identifier S =~ "{{tlb_shootdown|tlb_complete|tlb_not_resident}}";
identifier I =~ "{{ipi}}";
identifier L =~ "{{tlb_local}}";
position p1;
@@
fn(...) {
...
{{event:pte_clear|pte_weaken@p1}}
... when != S(...)
    when != I(cpumask_all(), F, ...)
    when != L(...)
}

// The same with only a local flush on the way (enough in boot functions only).
@localonly exists@
identifier fn;
identifier F =~ "flush";
identifier S =~ "{{tlb_shootdown|tlb_complete|tlb_not_resident}}";
identifier I =~ "{{ipi}}";
identifier L =~ "{{tlb_local}}";
position p1, pl;
@@
fn(...) {
...
{{event:pte_clear|pte_weaken@p1}}
... when != S(...)
    when != I(cpumask_all(), F, ...)
L@pl(...)
... when != S(...)
    when != I(cpumask_all(), F, ...)
}

@depends on context exists@
identifier fn;
position noflush.p1;
expression E;
@@
fn(...) {
...
* E@p1
...
}

@initialize:python@
@@
import re
BOOT = re.compile(r"{{boot_function}}")
CALLER = re.compile(re.escape("{{tlb_comment}}") + r"\s*(caller\b|[a-z]+ \(caller's round)")
CACHE = {}

def says_caller_flushes(p):
    """True when the comment above the function's definition says `TLB: caller`."""
    key = (p[0].file, p[0].current_element)
    if key in CACHE:
        return CACHE[key]
    try:
        with open(p[0].file, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except OSError:
        lines = []
    fn, ans = p[0].current_element, False
    head = re.compile(r"^[A-Za-z_].*\b%s\s*\(|^%s\s*\(" % (re.escape(fn), re.escape(fn)))
    for d in range(min(int(p[0].line), len(lines)) - 1, -1, -1):
        if head.match(lines[d]):
            start = d
            while start > 0 and not re.match(r"^(\}|.*;\s*$|#)", lines[start - 1]):
                start -= 1
            ans = CALLER.search("".join(lines[start:d + 1])) is not None
            break
    CACHE[key] = ans
    return ans

def print_finding(p1, how):
    if says_caller_flushes(p1):
        return
    print("%s:%s:%d: ERROR: PTE weakened or removed here, then the function returns %s on some path: other CPUs keep the old translation (in %s)"
          % (p1[0].file, p1[0].line, int(p1[0].column) + 1, how, p1[0].current_element))

@script:python depends on report@
p1 << noflush.p1;
@@
print_finding(p1, "without a TLB flush or shootdown")

@script:python depends on report@
p1 << localonly.p1;
pl << localonly.pl;
@@
if not BOOT.match(p1[0].current_element):
    print_finding(p1, "with only the local TLB flush of line %s" % pl[0].line)
