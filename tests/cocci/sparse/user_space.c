/*
 * sparse case: a user pointer declared in sparse's address space, as a kernel's uaccess
 * header would declare `__user` under __CHECKER__. sparse must report the dereference and
 * the cast to a kernel pointer (tests/cocci/CMakeLists.txt: cocci_sparse_user_space).
 */
#ifdef __CHECKER__
#define __user __attribute__((noderef, address_space(__user)))
#else
#define __user
#endif

struct msg {
	unsigned long len;
};

unsigned long read_len(const struct msg __user *um);
const struct msg *launder(const struct msg __user *um);

unsigned long read_len(const struct msg __user *um)
{
	return um->len; /* dereference of a noderef pointer */
}

const struct msg *launder(const struct msg __user *um)
{
	return (const struct msg *)um; /* cast removes the address space */
}
