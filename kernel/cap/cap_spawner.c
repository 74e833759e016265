/*
 * cap_spawner.c - the ProcessSpawner capability: decode a user spawn request completely (in
 * the ABI's order), then create the child, transfer the capabilities, publish the child's
 * Process capability and start it. A failure at any step leaves the parent's table as it was.
 *
 * The request's limits are donated from the parent's account (acct_donate()) and become the
 * child's; they return to the parent when the child's account is freed (after its teardown).
 */
#include <cap/capobj.h>
#include <cap/invoke.h>
#include <lib/assert.h>
#include <mm/acct.h>
#include <mm/aspace.h>
#include <mm/kheap.h>
#include <mm/uaccess.h>
#include <proc/elfload.h>
#include <proc/process.h>

#define CHILD_PROCESS_RIGHTS \
	(CAP_RIGHT_WAIT | CAP_RIGHT_KILL | CAP_RIGHT_COPY | CAP_RIGHT_TRANSFER)

const int spawner_object;

/* Everything the perform step needs, read and checked from user memory. */
struct spawn_args {
	struct capos_spawn_req req;
	char name[CAPOS_IMAGE_NAME_MAX + 1];
	char arg[CAPOS_START_ARG_MAX];
	struct capos_spawn_cap caps[CAPOS_START_MAX_CAPS];
	struct captable_xfer xfer[CAPOS_START_MAX_CAPS];
	const struct user_image *img;
};

static kerr_t decode_spawner_spawn(struct invocation *inv, struct spawn_args *s)
{
	struct aspace *as = inv->proc->as;
	struct capos_spawn_req *r = &s->req;

	if (inv->a[1] != sizeof(*r))
		return KERR_INVALID_ARG;
	if (copy_from_user(as, r, inv->a[0], sizeof(*r)) != KERR_OK)
		return KERR_BAD_ADDRESS;
	if (r->image_len < 1 || r->image_len > CAPOS_IMAGE_NAME_MAX ||
	    r->arg_len >= CAPOS_START_ARG_MAX || r->ncaps > CAPOS_START_MAX_CAPS)
		return KERR_INVALID_ARG;
	if (copy_from_user(as, s->name, r->image, r->image_len) != KERR_OK ||
	    (r->arg_len && copy_from_user(as, s->arg, r->arg, r->arg_len) != KERR_OK) ||
	    (r->ncaps && copy_from_user(as, s->caps, r->caps, r->ncaps * sizeof(s->caps[0])) !=
				 KERR_OK))
		return KERR_BAD_ADDRESS;
	s->name[r->image_len] = '\0';
	s->arg[r->arg_len] = '\0';
	s->img = elfload_find(s->name, r->image_len);
	return s->img ? KERR_OK : KERR_INVALID_ARG;
}

/*
 * Step 5 of abi.h's CAP_SPAWNER_SPAWN order: undefined flags bits in any item first; then each
 * item in order exactly as captable_transfer() decodes it: lookup with the TRANSFER right
 * (lookup errors, KERR_NO_RIGHTS), undefined rights bits, rights beyond those held, a slot
 * already named.
 */
static kerr_t decode_spawn_caps_locked(struct invocation *inv, struct spawn_args *s)
{
	KASSERT(spin_held(&inv->proc->lock));
	for (uint64_t i = 0; i < s->req.ncaps; i++)
		if (s->caps[i].flags & ~CAPOS_SPAWN_CAP_MOVE)
			return KERR_INVALID_ARG;
	for (uint64_t i = 0; i < s->req.ncaps; i++) {
		const struct capos_spawn_cap *c = &s->caps[i];
		struct cap held;
		kerr_t err = captable_lookup(&inv->proc->caps, c->handle, CAP_TYPE_NULL,
					     CAP_RIGHT_TRANSFER, &held);
		if (err != KERR_OK)
			return err;
		if (c->rights & ~CAP_RIGHTS_ALL)
			return KERR_INVALID_ARG;
		if (c->rights & ~held.rights)
			return KERR_NO_RIGHTS;
		for (uint64_t j = 0; j < i; j++)
			if (CAP_HANDLE_SLOT(s->caps[j].handle) == CAP_HANDLE_SLOT(c->handle))
				return KERR_INVALID_ARG;
		s->xfer[i] = (struct captable_xfer){ c->handle, c->rights,
						     (c->flags & CAPOS_SPAWN_CAP_MOVE) != 0 };
	}
	return KERR_OK;
}

/* Transfer and publish under the parent's lock; all checks that can fail come first. */
static kerr_t spawner_publish(struct invocation *inv, struct spawn_args *s,
				    struct process *child, cap_handle_t *given)
{
	struct process *p = inv->proc;
	struct cap pc = { CAP_TYPE_PROCESS, CHILD_PROCESS_RIGHTS, (uintptr_t)child };
	cap_handle_t h;
	kerr_t err;

	spin_lock(&p->lock);
	err = decode_spawn_caps_locked(inv, s); /* again, under the lock the transfer holds */
	if (err == KERR_OK && captable_free_slots(&p->caps) < 1)
		err = KERR_PUBLISH_FAILED;
	if (err == KERR_OK) {
		/* Publish first, so a moved capability's slot is left empty (not reused by the
		 * result); the transfer cannot fail now: every item was validated under this
		 * lock and the child's fresh table has room for CAPOS_START_MAX_CAPS more. */
		KASSERT(captable_insert(&p->caps, &pc, &h) == KERR_OK);
		KASSERT(captable_transfer(&p->caps, &child->caps, s->xfer, s->req.ncaps, given,
					  NULL) == KERR_OK);
	}
	spin_unlock(&p->lock);
	if (err != KERR_OK)
		return err;
	process_get(child); /* the parent's Process capability */
	for (uint64_t i = 0; i < s->req.ncaps; i++) {
		if (!s->xfer[i].move) {
			struct cap c;
			KASSERT(captable_lookup(&child->caps, given[i], CAP_TYPE_NULL, 0, &c) ==
				KERR_OK);
			cap_obj_get(&c);
		}
	}
	inv->r[0] = h;
	return KERR_OK;
}

static kerr_t perform_spawner_spawn(struct invocation *inv, struct spawn_args *s)
{
	cap_handle_t given[CAPOS_START_MAX_CAPS];
	struct process *child;
	struct acct *acct;
	kerr_t err = acct_donate(inv->proc->as->acct, s->req.limits, &acct);

	if (err != KERR_OK)
		return err;
	err = process_create(s->img, s->arg, acct, &child);
	acct_put(acct); /* the child's address space holds it; on error this returns the donation */
	if (err != KERR_OK)
		return err;
	err = spawner_publish(inv, s, child, given);
	if (err != KERR_OK) {
		process_discard(child); /* nothing was transferred or published */
		return err;
	}
	process_set_start_caps(child, given, s->req.ncaps);
	process_start(child);
	return KERR_OK;
}

kerr_t invoke_spawner(struct invocation *inv)
{
	struct spawn_args *s; /* kmalloc'd: too big for the kernel stack */
	kerr_t err;

	if (inv->method != CAP_SPAWNER_SPAWN)
		return KERR_UNKNOWN_METHOD;
	s = kmalloc(sizeof(*s));
	if (!s)
		return KERR_NO_MEMORY;
	err = decode_spawner_spawn(inv, s);
	if (err == KERR_OK) {
		spin_lock(&inv->proc->lock);
		err = decode_spawn_caps_locked(inv, s); /* the ABI's order: caps before memory */
		spin_unlock(&inv->proc->lock);
	}
	if (err == KERR_OK)
		err = perform_spawner_spawn(inv, s);
	kfree(s);
	return err;
}
