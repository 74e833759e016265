/// A ledger charge that succeeded (role ledger_charge: ledger_charge, ledger_charge_all,
/// ledger_donate in capOS) is neither released (role ledger_release: ledger_release,
/// ledger_reclaim) nor handed to an owner (role ledger_transfer) before an error return: the process's quota leaks by the amount
/// charged on that path, and its ledger never returns to zero.
///
/// The path starts after the check of the charge's own result (the failed charge needs no
/// release) and ends at an error return. An error return is, in a function returning
/// kerr_t, enum kerr or int, any `return E;` other than the config's success returns
/// (`returns.success`: `return KERR_OK;` and `return 0;` in capOS);
/// in any function, `return NULL;` and `return false;`. Success paths after a charge must
/// therefore return KERR_OK (or 0) literally: the charge then stays with the object made.
///
//# A success path that returns a variable holding KERR_OK (`return err;`) is reported:
//# write `return KERR_OK;`.
//# The statement right after the charge must be the check of its result
//# (`if (err != KERR_OK) ...` or `if (ledger_charge(...) != KERR_OK) ...`).
//# Intraprocedural: a release done by a callee on the error path is not seen; the callee
//# should return the charge's ownership explicitly (ledger_transfer) or the caller release.
// Confidence: Moderate
// Copyright: capOS contributors.
// Comments: names from the config's primitives (tools/cocci/README.md "Config").
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

@initialize:python@
@@
import re
# (file, function) of every function returning kerr_t, enum kerr or int.
KERR_FUNCTIONS = set()
SUCCESS = re.compile(r"{{returns.success}}")

def is_success(ret):
    return SUCCESS.match(re.sub(r"\s+", "", str(ret))) is not None

// The returns of the charge's own failure branch: nothing was charged there.
@failed@
identifier err;
identifier charge =~ "{{ledger_charge}}";
type T;
position p1, q;
@@
(
T err = charge@p1(...);
if (...) { ... return@q ...; }
|
err = charge@p1(...);
if (...) { ... return@q ...; }
|
if (<+... charge@p1(...) ...+>) { ... return@q ...; }
)

// Functions whose non-zero int/kerr returns are errors.
@kerrfn@
identifier fn;
typedef kerr_t;
type RT = {kerr_t, enum kerr, int};
position pf;
@@
RT fn@pf(...) { ... }

@script:python depends on report@
fn << kerrfn.fn;
pf << kerrfn.pf;
@@
KERR_FUNCTIONS.add((pf[0].file, fn))

@leak exists@
identifier failed.charge;
identifier R =~ "{{ledger_release|ledger_transfer}}";
expression ret;
position failed.p1, p2 != failed.q;
@@
charge@p1(...)
... when != R(...)
return@p2 ret;

@leakp exists@
identifier failed.charge;
identifier R =~ "{{ledger_release|ledger_transfer}}";
position failed.p1, p2 != failed.q;
@@
charge@p1(...)
... when != R(...)
(
return@p2 NULL;
|
return@p2 false;
)

@depends on context exists@
identifier failed.charge;
position failed.p1, leak.p2;
expression ret;
@@
* charge@p1(...)
...
* return@p2 ret;

@depends on context exists@
identifier failed.charge;
position failed.p1, leakp.p2;
expression ret;
@@
* charge@p1(...)
...
* return@p2 ret;

@script:python depends on report@
p1 << failed.p1;
charge << failed.charge;
p2 << leak.p2;
ret << leak.ret;
@@
if (p2[0].file, p2[0].current_element) in KERR_FUNCTIONS and not is_success(ret):
  print("%s:%s:%d: ERROR: error return with the %s() of line %s still charged (no release, reclaim or transfer on this path) (in %s)"
      % (p2[0].file, p2[0].line, int(p2[0].column) + 1, charge, p1[0].line, p2[0].current_element))

@script:python depends on report@
p1 << failed.p1;
charge << failed.charge;
p2 << leakp.p2;
@@
print("%s:%s:%d: ERROR: error return with the %s() of line %s still charged (no release, reclaim or transfer on this path) (in %s)"
      % (p2[0].file, p2[0].line, int(p2[0].column) + 1, charge, p1[0].line, p2[0].current_element))
