/// A rule whose finalize step merges a variable the workers never set (a global of the
/// initialize script, not an attribute of the coccinelle module): every -j worker prints
/// `EXN: ...` and spatch exits 0. The runner must call that a rule error.
// Confidence: Low
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

@initialize:python@
@@
SEEN = []

@r@
identifier fn;
@@
fn(...) { ... }

@script:python depends on report@
fn << r.fn;
@@
SEEN.append(str(fn))

@finalize:python depends on report@
s << merge.SEEN;
@@
print("never printed", s)
