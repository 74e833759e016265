/// Runner case: a rule whose Python script raises. spatch 1.1.1 prints the traceback and
/// exits 0; the runner must report a rule error (exit 2), not "no findings".
// Confidence: Low
// Options: --no-includes

virtual report
virtual context

@r@
identifier fn;
position p;
@@
fn@p(...) { ... }

@script:python depends on report@
p << r.p;
@@
raise ValueError("deliberate failure in a rule's script")
