/// Runner case: a rule that prints something that is not a report line; the runner must
/// exit 2 instead of dropping it.
// Confidence: High
virtual report
@r@
position p;
@@
frame_free@p(...)
@script:python depends on report@
p << r.p;
@@
print("matched somewhere")
