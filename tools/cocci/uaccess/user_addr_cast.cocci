/// A user address carried as an integer is cast to a pointer and so used as kernel
/// memory, instead of going through the copy helpers (role user_copy). The kernel then
/// reads or writes whatever the user named: unmapped memory, another process's page through
/// a stale mapping, or kernel memory when the value is a kernel address.
///
/// A user address is a value delivered by a function of role user_addr (out-parameter,
/// `argaddr(n, &addr)`, or return value, `addr = fetch_arg(n)`), or read from a field of
/// role user_addr_field (capOS: the invocation's argument registers `inv->a[i]`),
/// directly or through a local it was stored in. Reported: a cast of an expression that
/// contains it to any pointer type, outside the copy helpers.
///
//# Taint is followed through one local only (`v = inv->a[0]; ... (T *)v`), not through
//# arithmetic stored in a second local or through calls.
//# The field role names a field; any `E->fld[i]`/`E->fld`/`E.fld` with that name counts.
// Confidence: High
// Copyright: capOS contributors.
// Comments: user address sources from the config (tools/cocci/README.md "Config").
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

// Delivered by a function, cast later.
@byfn exists@
identifier F =~ "{{user_addr}}";
identifier a;
expression E, C;
type T;
position p;
@@
(
F(..., &a, ...)
|
a = F(...)
)
... when != a = E
 (T *)C@p

// Read from a user-address field and cast right there.
@byfield@
expression C;
type T;
position p;
@@
 (T *)C@p

// Read from a user-address field into a local, cast later.
@bylocal exists@
identifier fld =~ "{{user_addr_field}}";
identifier v;
expression E, E2, I, C;
type T, VT;
position p;
@@
(
VT v = <+... E->fld[I] ...+>;
|
VT v = <+... E->fld ...+>;
|
v = <+... E->fld[I] ...+>
|
v = <+... E->fld ...+>
)
... when != v = E2
 (T *)C@p

@depends on context@
position byfield.p;
expression E;
@@
* E@p

@initialize:python@
@@
import re
EXEMPT = re.compile(r"{{user_copy}}")
FIELDS = re.compile(r"{{user_addr_field}}")

def uses(c, name, field=False):
    """Whether expression c reads identifier name (as a field: `->name` or `.name`)."""
    c = str(c)
    if field:
        return re.search(r"(->|\.)\s*%s\b" % re.escape(name), c) is not None
    return re.search(r"(?<![\w.>])%s\b" % re.escape(name), c) is not None

def print_finding(p, what):
    if not EXEMPT.match(p[0].current_element):
        print("%s:%s:%d: ERROR: user address %s cast to a kernel pointer; use {{names:user_copy}} (in %s)"
              % (p[0].file, p[0].line, int(p[0].column) + 1, what, p[0].current_element))

@script:python depends on report@
p << byfn.p;
a << byfn.a;
F << byfn.F;
C << byfn.C;
@@
if uses(C, a):
    print_finding(p, "'%s' (from %s())" % (a, F))

@script:python depends on report@
p << byfield.p;
C << byfield.C;
@@
for fld in re.findall(r"(?:->|\.)\s*([A-Za-z_]\w*)", str(C)):
    if FIELDS.match(fld):
        print_finding(p, "in field '%s'" % fld)
        break

@script:python depends on report@
p << bylocal.p;
v << bylocal.v;
fld << bylocal.fld;
C << bylocal.C;
@@
if uses(C, v):
    print_finding(p, "'%s' (read from field '%s')" % (v, fld))
