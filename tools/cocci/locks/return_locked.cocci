/// A lock taken with a function of role lock_acquire (spin_lock(), spin_lock_irqsave() in
/// capOS) is still held at an error
/// return: the caller gets an error and a lock it does not know it holds (the next
/// acquisition deadlocks, or interrupts stay disabled).
///
/// An error return is, in a function returning kerr_t, enum kerr or int, any `return E;`
/// other than the config's success returns (`returns.success`: `return KERR_OK;` and
/// `return 0;` in capOS); in any function, `return NULL;` and
/// `return false;`; and an explicit early `return;` (a void function that returns holding
/// its lock by contract ends without one). The lock is the acquire's first argument and is
/// matched as the same expression in the release (role lock_release: spin_unlock(E) or
/// spin_unlock_irqrestore(E, ...)); an acquire without arguments (capOS's
/// sched_lock_irqsave()) is not tracked. Success returns with the lock held
/// are allowed: functions that return holding a lock do so by contract.
///
//# A success path that returns a variable holding KERR_OK (`return err;`) with the lock
//# held on purpose is reported: write `return KERR_OK;`.
//# The same lock written as two different expressions (`&as->lock` and `lk` = `&as->lock`)
//# is not recognised as the same lock.
//# A return hidden in a macro (KT_ASSERT) is not seen: Coccinelle does not expand it.
//# spin_trylock() is not tracked (the lock is taken only on its true branch).
//# Intraprocedural: an unlock done by a callee (e.g. a `*_unlock()` wrapper) is not seen;
//# wrappers are fine only if they are named in this rule.
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

def explicit_return(p):
    """False for the implicit return at the closing brace of a void function."""
    try:
        with open(p[0].file, encoding="utf-8", errors="replace") as f:
            line = f.readlines()[int(p[0].line) - 1]
    except (OSError, IndexError):
        return True
    return line[int(p[0].column):].startswith("return")

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

// Error return of any expression but KERR_OK/0 (filtered to kerr/int functions below).
@held exists@
expression E, ret;
identifier A =~ "{{lock_acquire}}";
identifier U =~ "{{lock_release}}";
position p1, p2;
@@
A@p1(E, ...)
... when != U(E, ...)
return@p2 ret;

// NULL/false error returns and explicit `return;`, in any function.
@heldp exists@
expression E;
identifier A =~ "{{lock_acquire}}";
identifier U =~ "{{lock_release}}";
position p1, p2;
@@
A@p1(E, ...)
... when != U(E, ...)
(
return@p2 NULL;
|
return@p2 false;
|
return@p2;
)

@depends on context exists@
position held.p1, held.p2;
identifier A;
expression ret;
@@
* A@p1(...)
...
* return@p2 ret;

@depends on context exists@
position heldp.p1, heldp.p2;
identifier A;
expression ret;
@@
* A@p1(...)
...
* return@p2 ret;

@script:python depends on report@
p1 << held.p1;
p2 << held.p2;
E << held.E;
ret << held.ret;
@@
if (p2[0].file, p2[0].current_element) in KERR_FUNCTIONS and not is_success(ret):
  print("%s:%s:%d: ERROR: error return with lock %s (taken at line %s) still held (in %s)"
        % (p2[0].file, p2[0].line, int(p2[0].column) + 1, str(E).replace(" ", ""), p1[0].line, p2[0].current_element))

@script:python depends on report@
p1 << heldp.p1;
p2 << heldp.p2;
E << heldp.E;
@@
if explicit_return(p2):
  print("%s:%s:%d: ERROR: error return with lock %s (taken at line %s) still held (in %s)"
      % (p2[0].file, p2[0].line, int(p2[0].column) + 1, str(E).replace(" ", ""), p1[0].line, p2[0].current_element))
