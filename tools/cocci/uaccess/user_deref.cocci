/// A user pointer is dereferenced (`*p`, `p[i]`, `p->f`), handed to memcpy-like kernel
/// helpers, or cast to a kernel pointer outside the validated copy helpers. User memory
/// may be unmapped, PROT_NONE or a kernel address in disguise; only copy_from_user() and
/// copy_to_user() validate the range against the address space and hold its stability
/// guarantee for the whole copy.
///
/// A user pointer is any parameter or local declared with the `__user` marker
/// (`const struct msg __user *um`); `__user` expands to nothing for the compiler. The copy
/// helpers themselves (role user_copy: copy_from_user, copy_to_user, and their internals
/// uaccess_* in capOS) may touch user memory.
///
//# A user address carried as an integer (vaddr_t) and cast to a pointer is not seen:
//# declare user buffers as `T __user *`, never as a cast integer.
//# A __user pointer stored in a struct field is seen only when read into a __user local.
//# `&up->fld` computes an address and is not reported; the pointer it yields is not
//# followed (pass it to the copy helpers only).
// Confidence: High
// Copyright: capOS contributors.
// Comments: user pointers carry the __user marker (tools/cocci/README.md).
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

@initialize:python@
@@
import re
EXEMPT = re.compile(r"{{user_copy}}")
# (file, function, name) of every parameter and local declared `T __user *name`.
USER_POINTERS = set()
# (file, line, column) of `up->fld` under `&`: an address computed, nothing read.
ADDRESS_ONLY = set()

def is_user(p, name):
    return (p[0].file, p[0].current_element, name) in USER_POINTERS

def declared_user(p, name):
    try:
        with open(p[0].file, encoding="utf-8", errors="replace") as f:
            line = f.readlines()[int(p[0].line) - 1]
    except (OSError, IndexError):
        return False
    return re.search(r"\b__user\s*\*+\s*(const\s+)?" + re.escape(name) + r"\b", line) is not None

def print_finding(p, sev, msg):
    if not EXEMPT.match(p[0].current_element):
        print("%s:%s:%d: %s: %s (in %s)"
              % (p[0].file, p[0].line, int(p[0].column) + 1, sev, msg, p[0].current_element))

@uparam@
attribute name __user;
type T;
identifier fn, up;
position p;
@@
fn@p(..., T __user *up, ...) { ... }

// SmPL 1.1.1 cannot write an attribute in a declaration pattern: match every local
// pointer and keep those whose declaration line says `__user *name`.
@ulocal@
type T;
identifier up;
expression E;
position p;
@@
(
T *up@p;
|
T *up@p = E;
)

@script:python@
p << uparam.p;
up << uparam.up;
@@
USER_POINTERS.add((p[0].file, p[0].current_element, up))

@script:python@
p << ulocal.p;
up << ulocal.up;
@@
if declared_user(p, up):
    USER_POINTERS.add((p[0].file, p[0].current_element, up))

@addronly@
identifier up, fld;
position p;
@@
 &up@p->fld

@script:python@
p << addronly.p;
@@
ADDRESS_ONLY.add((p[0].file, p[0].line, p[0].column))

@deref@
identifier up, fld;
expression I;
position p;
@@
(
 *up@p
|
up@p[I]
|
up@p->fld
)

@helper@
identifier up;
identifier f =~ "^(memcpy|memmove|memset|memcmp|strlen|strnlen|strcpy|strncpy|strcmp|strncmp)$";
position p;
@@
f(..., up@p, ...)

@cast@
type T2;
identifier up;
position p;
@@
 (T2 *)up@p

@depends on context@
position deref.p;
identifier up;
@@
* up@p

@script:python depends on report@
p << deref.p;
up << deref.up;
@@
if is_user(p, up) and (p[0].file, p[0].line, p[0].column) not in ADDRESS_ONLY:
    print_finding(p, "ERROR", "user pointer '%s' dereferenced outside {{names:user_copy}}" % up)

@script:python depends on report@
p << helper.p;
up << helper.up;
f << helper.f;
@@
if is_user(p, up):
    print_finding(p, "ERROR", "user pointer '%s' passed to %s(); use {{names:user_copy}}" % (up, f))

@script:python depends on report@
p << cast.p;
up << cast.up;
T2 << cast.T2;
@@
if is_user(p, up) and "__user" not in T2:
    print_finding(p, "WARNING", "cast drops __user from '%s'; the result is not validated user memory" % up)
