/// A ParkSpace wait key is assembled by hand instead of by its constructors. A key must
/// be (address-space id, generation, address) or (memory-object id, generation, offset)
/// so that a stale waiter can never be woken by the next owner of the same user virtual
/// address; a key built from the raw user address (`key.addr = uva`, `{ .addr = uva }`,
/// `(struct park_key *)uva`) lacks that identity.
///
/// Keys are `struct park_key` and are built only by park_key_private(as, va) and
/// park_key_shared(obj, off) (functions named park_key_*). Reported outside them: a store
/// to a field of a struct park_key (`k.f = E`, `k->f = E`), an initialiser or compound
/// literal with fields (`{ .addr = uva }`), and a cast of anything to `struct park_key *`.
///
//# A key whose type is known only from a header (e.g. a field of another struct,
//# `w->key.addr = va`) is recognised by the field chain only when its declared type is
//# visible in the same file (the rules run with --no-includes).
//# Copying a whole key (`struct park_key k = *in;`) is allowed: it keeps its identity.
// Confidence: High
// Copyright: capOS contributors.
// Comments: key contract in docs/architecture/memory.md "Park keys"; names in tools/cocci/README.md.
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

@store@
struct park_key *kp;
struct park_key kv;
identifier fld;
expression E;
assignment operator aop;
position p;
@@
(
kp->fld@p aop E
|
kv.fld@p aop E
)

@init@
identifier k;
initializer list IL;
position p;
@@
struct park_key k@p = { IL };

@literal@
initializer list IL;
position p;
@@
 (struct park_key){ IL }@p

@cast@
expression E;
position p;
@@
(
 (struct park_key *)E@p
|
 (const struct park_key *)E@p
)

@depends on context@
position store.p;
identifier fld;
expression E;
@@
(
* E->fld@p
|
* E.fld@p
)

@initialize:python@
@@
import re
CONSTRUCTOR = re.compile(r"^park_key_[A-Za-z0-9_]+$")

def print_finding(p, msg):
    if not CONSTRUCTOR.match(p[0].current_element):
        print("%s:%s:%d: ERROR: %s; build keys with park_key_private(as, va) or park_key_shared(obj, off) (in %s)"
              % (p[0].file, p[0].line, int(p[0].column) + 1, msg, p[0].current_element))

@script:python depends on report@
p << store.p;
fld << store.fld;
@@
print_finding(p, "park key field '%s' set by hand" % fld)

@script:python depends on report@
p << init.p;
@@
print_finding(p, "park key initialised by hand")

@script:python depends on report@
p << literal.p;
@@
print_finding(p, "park key built as a compound literal")

@script:python depends on report@
p << cast.p;
@@
print_finding(p, "value cast to a park key pointer")
