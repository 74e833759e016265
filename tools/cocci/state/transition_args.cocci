/// A transition function `<machine>_transition(obj, FROM, TO)` is called with a from- or
/// to-state that is not an enum constant. HACKING.md: the inventory reads every edge of
/// the state machines from these calls, so both states must be written as constants
/// (`frame_transition(f, FRAME_MAPPED, FRAME_UNHOOKED)`); a variable, a field or a
/// conditional hides the edge, and passing the current state as FROM defeats the
/// from-state assertion.
///
/// A transition function is any function named as the config's `transitions.function`
/// (capOS: `<name>_transition`) called with three
/// arguments; a constant is an identifier in capitals (`FRAME_MAPPED`).
///
//# A generic helper that forwards its own from/to parameters to a transition function is
//# reported: write one call per edge instead.
// Confidence: High
// Copyright: capOS contributors.
// Comments: naming contract from HACKING.md "State machines".
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

@call@
identifier fn =~ "{{transition}}";
expression obj, sfrom, sto;
position p;
@@
fn@p(obj, sfrom, sto)

@depends on context@
position call.p;
identifier fn;
@@
* fn@p(...)

@script:python depends on report@
p << call.p;
fn << call.fn;
sfrom << call.sfrom;
sto << call.sto;
@@
import re
CONST = re.compile(r"^[A-Z][A-Z0-9_]*$")
bad = [("from", sfrom), ("to", sto)]
bad = [(k, v) for k, v in bad if not CONST.match(str(v).strip())]
if bad:
  what = " and ".join("%s-state '%s'" % (k, re.sub(r"\s*(->|\.)\s*", r"\1", str(v).strip()))
                      for k, v in bad)
  print("%s:%s:%d: ERROR: %s() called with %s; pass enum constants so the edge is readable (in %s)"
        % (p[0].file, p[0].line, int(p[0].column) + 1, fn, what, p[0].current_element))
