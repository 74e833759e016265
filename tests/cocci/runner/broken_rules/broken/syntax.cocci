/// Runner case: a rule that does not compile (spatch exits 255); the runner must exit 2.
// Confidence: High
virtual report
@r@
position p;
@@
this is not SmPL(@p
