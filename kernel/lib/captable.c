/*
 * captable.c - capability tables: generation-checked slots, lookup with type and rights,
 * insert, copy, drop, all-or-nothing transfer and teardown (kernel/include/lib/captable.h).
 *
 * Pure logic over caller-provided storage: no locks, no allocation. Invariants I1..I6 are
 * stated on struct captable and cited by number below.
 */
#include <lib/assert.h>
#include <lib/captable.h>

static const struct cap empty_cap = { CAP_TYPE_NULL, 0, 0 };

static bool cap_is_valid(const struct cap *c)
{
	return c->type > CAP_TYPE_NULL && c->type < CAP_TYPE_COUNT &&
	       (c->rights & ~CAP_RIGHTS_ALL) == 0;
}

static bool cap_is_empty(const struct cap *c)
{
	return c->type == CAP_TYPE_NULL && c->rights == 0 && c->obj == 0;
}

/*
 * The one transition function of the capslot machine. Edges: FREE -> USED,
 * USED -> FREE, USED -> RETIRED. Asserts the from-state in debug builds.
 */
static void capslot_transition(struct cap_slot *s, enum capslot_state from, enum capslot_state to)
{
	DASSERT(s->state == from);
	DASSERT((from == CAPSLOT_FREE && to == CAPSLOT_USED) ||
		(from == CAPSLOT_USED && (to == CAPSLOT_FREE || to == CAPSLOT_RETIRED)));
	s->state = to;
}

kerr_t captable_init(struct captable *t, struct cap_slot *slots, uint32_t capacity)
{
	if (!slots || capacity == 0 || capacity > CAPTABLE_MAX_SLOTS)
		return KERR_INVALID_ARG;
	/*
	 * New slots are initialised, not transitioned: they enter the machine as FREE. I5: the
	 * free list starts in index order, so the first insert gets slot 0.
	 */
	for (uint32_t i = 0; i < capacity; i++)
		slots[i] = (struct cap_slot){
			.cap = empty_cap,
			.gen = 0,
			.next_free = i + 1 < capacity ? i + 1 : CAPTABLE_NIL,
			.state = CAPSLOT_FREE,
		};
	t->slots = slots;
	t->capacity = capacity;
	t->nused = 0;
	t->nfree = capacity;
	t->nretired = 0;
	t->free_head = 0;
	return KERR_OK;
}

/* Resolve a handle to its USED slot; the error says why not. */
static kerr_t slot_of(const struct captable *t, cap_handle_t h, struct cap_slot **out)
{
	uint32_t idx = CAP_HANDLE_SLOT(h);
	uint32_t gen = CAP_HANDLE_GEN(h);

	if (idx >= t->capacity || gen == 0)
		return KERR_INVALID_HANDLE;
	struct cap_slot *s = &t->slots[idx];
	if (s->state != CAPSLOT_USED)
		return KERR_INVALID_HANDLE;
	/* I6: a different generation means the slot was reused since h was issued. */
	if (s->gen != gen)
		return KERR_STALE_HANDLE;
	*out = s;
	return KERR_OK;
}

kerr_t captable_lookup(const struct captable *t, cap_handle_t h, enum cap_type type,
		       uint32_t rights, struct cap *out)
{
	struct cap_slot *s;
	kerr_t e = slot_of(t, h, &s);

	if (e != KERR_OK)
		return e;
	if (type != CAP_TYPE_NULL && s->cap.type != type)
		return KERR_WRONG_TYPE;
	if ((s->cap.rights & rights) != rights)
		return KERR_NO_RIGHTS;
	if (out)
		*out = s->cap;
	return KERR_OK;
}

/* Take the free-list head and make it USED with c. Caller checked nfree > 0. */
static cap_handle_t slot_fill(struct captable *t, const struct cap *c)
{
	uint32_t idx = t->free_head;

	KASSERT(idx != CAPTABLE_NIL && t->nfree > 0); /* I4, I5 */
	struct cap_slot *s = &t->slots[idx];
	t->free_head = s->next_free;
	s->next_free = CAPTABLE_NIL;
	/* I3: a FREE slot's gen is below GEN_MAX, so the new generation is in [1, GEN_MAX]. */
	KASSERT(s->gen < CAPTABLE_GEN_MAX);
	s->gen++;
	s->cap = *c;
	capslot_transition(s, CAPSLOT_FREE, CAPSLOT_USED);
	t->nfree--;
	t->nused++;
	return CAP_HANDLE_MAKE(idx, s->gen);
}

/* Empty a USED slot: back on the free list (LIFO), or retired at the last generation. */
static void slot_clear(struct captable *t, struct cap_slot *s)
{
	s->cap = empty_cap;
	t->nused--;
	if (s->gen == CAPTABLE_GEN_MAX) {
		/* I3, I6: no fresh generation is left; never reuse this slot. */
		capslot_transition(s, CAPSLOT_USED, CAPSLOT_RETIRED);
		t->nretired++;
		return;
	}
	capslot_transition(s, CAPSLOT_USED, CAPSLOT_FREE);
	s->next_free = t->free_head;
	t->free_head = (uint32_t)(s - t->slots);
	t->nfree++;
}

kerr_t captable_insert(struct captable *t, const struct cap *c, cap_handle_t *out)
{
	KASSERT(cap_is_valid(c)); /* I2: the kernel never inserts a malformed capability. */
	if (t->nfree == 0)
		return KERR_NO_SLOTS;
	*out = slot_fill(t, c);
	return KERR_OK;
}

kerr_t captable_copy(struct captable *t, cap_handle_t h, uint64_t rights, cap_handle_t *out,
		     struct cap *copied)
{
	struct cap c;
	kerr_t e = captable_lookup(t, h, CAP_TYPE_NULL, CAP_RIGHT_COPY, &c);

	if (e != KERR_OK)
		return e;
	if (rights & ~(uint64_t)CAP_RIGHTS_ALL)
		return KERR_INVALID_ARG;
	if ((c.rights & rights) != rights)
		return KERR_NO_RIGHTS;
	if (t->nfree == 0)
		return KERR_NO_SLOTS;
	c.rights = (uint32_t)rights;
	*out = slot_fill(t, &c);
	if (copied)
		*copied = c;
	return KERR_OK;
}

kerr_t captable_drop(struct captable *t, cap_handle_t h, struct cap *dropped)
{
	struct cap_slot *s;
	kerr_t e = slot_of(t, h, &s);

	if (e != KERR_OK)
		return e;
	if (dropped)
		*dropped = s->cap;
	slot_clear(t, s);
	return KERR_OK;
}

/* Decode one transfer item against src; no state changes. */
static kerr_t xfer_check_item(const struct captable *src, const struct captable_xfer *items,
			      size_t i)
{
	struct cap c;
	kerr_t e = captable_lookup(src, items[i].handle, CAP_TYPE_NULL, CAP_RIGHT_TRANSFER, &c);

	if (e != KERR_OK)
		return e;
	if (items[i].rights & ~CAP_RIGHTS_ALL)
		return KERR_INVALID_ARG;
	if ((c.rights & items[i].rights) != items[i].rights)
		return KERR_NO_RIGHTS;
	/* A slot named twice could be moved twice, or moved and copied: reject. */
	for (size_t j = 0; j < i; j++)
		if (CAP_HANDLE_SLOT(items[j].handle) == CAP_HANDLE_SLOT(items[i].handle))
			return KERR_INVALID_ARG;
	return KERR_OK;
}

kerr_t captable_transfer(struct captable *src, struct captable *dst,
			 const struct captable_xfer *items, size_t n, cap_handle_t *out,
			 size_t *bad)
{
	KASSERT(src != dst);
	/* Decode: every item, then room in dst. Nothing has changed yet. */
	for (size_t i = 0; i < n; i++) {
		kerr_t e = xfer_check_item(src, items, i);
		if (e != KERR_OK) {
			if (bad)
				*bad = i;
			return e;
		}
	}
	if (n > dst->nfree)
		return KERR_NO_SLOTS;
	/* Perform: cannot fail (validated items, n free slots in dst, distinct source slots). */
	for (size_t i = 0; i < n; i++) {
		struct cap_slot *s;
		kerr_t e = slot_of(src, items[i].handle, &s);
		KASSERT(e == KERR_OK);
		struct cap c = s->cap;
		c.rights = items[i].rights;
		out[i] = slot_fill(dst, &c);
		if (items[i].move)
			slot_clear(src, s);
	}
	return KERR_OK;
}

/* The ABI's method table (capos/abi.h): owning type and needed rights of every method. */
struct cap_method_desc {
	capos_method_t method;
	enum cap_type type;
	uint32_t rights;
};

static const struct cap_method_desc cap_methods[] = {
	{ CAP_INFO, CAP_TYPE_NULL, 0 },
	{ CAP_COPY, CAP_TYPE_NULL, CAP_RIGHT_COPY },
	{ CAP_DROP, CAP_TYPE_NULL, 0 },
	{ CAP_CONSOLE_WRITE, CAP_TYPE_CONSOLE, CAP_RIGHT_WRITE },
	{ CAP_SPAWNER_SPAWN, CAP_TYPE_PROCESS_SPAWNER, CAP_RIGHT_SPAWN },
	{ CAP_PROCESS_WAIT, CAP_TYPE_PROCESS, CAP_RIGHT_WAIT },
	{ CAP_PROCESS_KILL, CAP_TYPE_PROCESS, CAP_RIGHT_KILL },
	{ CAP_PROCESS_EXIT, CAP_TYPE_PROCESS, CAP_RIGHT_EXIT },
	{ CAP_PROCESS_THREAD_START, CAP_TYPE_PROCESS, CAP_RIGHT_SPAWN },
	{ CAP_PROCESS_STAT, CAP_TYPE_PROCESS, CAP_RIGHT_WAIT },
	{ CAP_THREAD_EXIT, CAP_TYPE_THREAD, CAP_RIGHT_EXIT },
	{ CAP_THREAD_WAIT, CAP_TYPE_THREAD, CAP_RIGHT_WAIT },
	{ CAP_THREAD_CPU, CAP_TYPE_THREAD, CAP_RIGHT_WAIT },
	{ CAP_VM_RESERVE, CAP_TYPE_VIRTUAL_MEMORY, CAP_RIGHT_MODIFY },
	{ CAP_VM_COMMIT, CAP_TYPE_VIRTUAL_MEMORY, CAP_RIGHT_MODIFY },
	{ CAP_VM_PROTECT, CAP_TYPE_VIRTUAL_MEMORY, CAP_RIGHT_MODIFY },
	{ CAP_VM_DECOMMIT, CAP_TYPE_VIRTUAL_MEMORY, CAP_RIGHT_MODIFY },
	{ CAP_VM_UNMAP, CAP_TYPE_VIRTUAL_MEMORY, CAP_RIGHT_MODIFY },
	{ CAP_VM_QUERY, CAP_TYPE_VIRTUAL_MEMORY, CAP_RIGHT_READ },
	{ CAP_VM_PIN, CAP_TYPE_VIRTUAL_MEMORY, CAP_RIGHT_MODIFY },
	{ CAP_VM_UNPIN, CAP_TYPE_VIRTUAL_MEMORY, CAP_RIGHT_MODIFY },
	{ CAP_VM_ELIGIBILITY, CAP_TYPE_VIRTUAL_MEMORY, CAP_RIGHT_READ },
	{ CAP_FRAMEALLOC_ALLOCATE, CAP_TYPE_FRAME_ALLOCATOR, CAP_RIGHT_ALLOCATE },
	{ CAP_MEMOBJ_MAP, CAP_TYPE_MEMORY_OBJECT, CAP_RIGHT_MAP },
	{ CAP_MEMOBJ_UNMAP, CAP_TYPE_MEMORY_OBJECT, CAP_RIGHT_MAP },
	{ CAP_MEMOBJ_PROTECT, CAP_TYPE_MEMORY_OBJECT, CAP_RIGHT_MAP },
	{ CAP_MEMOBJ_INFO, CAP_TYPE_MEMORY_OBJECT, 0 },
	{ CAP_MEMOBJ_SHARED_BUFFER, CAP_TYPE_MEMORY_OBJECT, CAP_RIGHT_MAP | CAP_RIGHT_WRITE },
	{ CAP_MEMOBJ_PIN, CAP_TYPE_MEMORY_OBJECT, CAP_RIGHT_MAP },
	{ CAP_MEMOBJ_UNPIN, CAP_TYPE_MEMORY_OBJECT, CAP_RIGHT_MAP },
	{ CAP_SBUF_MAP, CAP_TYPE_SHARED_BUFFER, CAP_RIGHT_MAP },
	{ CAP_SBUF_UNMAP, CAP_TYPE_SHARED_BUFFER, CAP_RIGHT_MAP },
	{ CAP_SBUF_PRODUCE, CAP_TYPE_SHARED_BUFFER, CAP_RIGHT_WRITE },
	{ CAP_SBUF_CONSUME, CAP_TYPE_SHARED_BUFFER, CAP_RIGHT_READ },
	{ CAP_SBUF_INFO, CAP_TYPE_SHARED_BUFFER, CAP_RIGHT_READ },
	{ CAP_LEDGER_USAGE, CAP_TYPE_LEDGER, CAP_RIGHT_READ },
	{ CAP_DIAG_READ, CAP_TYPE_DIAG, CAP_RIGHT_READ },
	{ CAP_PARK_WAIT, CAP_TYPE_PARK_SPACE, CAP_RIGHT_WAIT },
	{ CAP_PARK_WAKE, CAP_TYPE_PARK_SPACE, CAP_RIGHT_WRITE },
};

bool cap_method_lookup(capos_method_t m, enum cap_type *type, uint32_t *rights)
{
	for (size_t i = 0; i < ARRAY_SIZE(cap_methods); i++) {
		if (cap_methods[i].method == m) {
			*type = cap_methods[i].type;
			*rights = cap_methods[i].rights;
			return true;
		}
	}
	return false;
}

kerr_t captable_decode(const struct captable *t, cap_handle_t h, capos_method_t m,
		       struct cap *out)
{
	struct cap_slot *s;
	enum cap_type type;
	uint32_t rights;
	kerr_t e = slot_of(t, h, &s);

	if (e != KERR_OK)
		return e;
	if (!cap_method_lookup(m, &type, &rights))
		return KERR_UNKNOWN_METHOD;
	return captable_lookup(t, h, type, rights, out);
}

bool captable_iter(const struct captable *t, uint32_t *cursor, cap_handle_t *h, struct cap *c)
{
	for (uint32_t i = *cursor; i < t->capacity; i++) {
		const struct cap_slot *s = &t->slots[i];
		if (s->state != CAPSLOT_USED)
			continue;
		if (h)
			*h = CAP_HANDLE_MAKE(i, s->gen);
		if (c)
			*c = s->cap;
		*cursor = i + 1;
		return true;
	}
	*cursor = t->capacity;
	return false;
}

bool captable_take_next(struct captable *t, uint32_t *cursor, struct cap *c)
{
	for (uint32_t i = *cursor; i < t->capacity; i++) {
		struct cap_slot *s = &t->slots[i];
		if (s->state != CAPSLOT_USED)
			continue;
		*c = s->cap;
		slot_clear(t, s);
		*cursor = i + 1;
		return true;
	}
	*cursor = t->capacity;
	return false;
}

uint32_t captable_used(const struct captable *t)
{
	return t->nused;
}

uint32_t captable_free_slots(const struct captable *t)
{
	return t->nfree;
}

/* I2 and I3 for one slot; returns the violated invariant or 0. */
static unsigned check_slot(const struct cap_slot *s)
{
	switch (s->state) {
	case CAPSLOT_USED:
		if (!cap_is_valid(&s->cap))
			return 2;
		return s->gen >= 1 ? 0 : 3;
	case CAPSLOT_FREE:
		if (!cap_is_empty(&s->cap))
			return 2;
		return s->gen < CAPTABLE_GEN_MAX ? 0 : 3;
	case CAPSLOT_RETIRED:
		if (!cap_is_empty(&s->cap))
			return 2;
		return s->gen == CAPTABLE_GEN_MAX ? 0 : 3;
	}
	return 2;
}

/*
 * I5: walk at most nfree links. A repeated slot means a cycle, which runs past nfree steps; so
 * ending after exactly nfree FREE slots means each of the nfree FREE slots (I4) was visited once.
 */
static unsigned check_free_list(const struct captable *t)
{
	uint32_t idx = t->free_head;
	uint32_t steps = 0;

	while (idx != CAPTABLE_NIL) {
		if (idx >= t->capacity || steps >= t->nfree)
			return 5; /* out of range, or longer than nfree: a cycle or a foreign slot */
		if (t->slots[idx].state != CAPSLOT_FREE)
			return 5;
		idx = t->slots[idx].next_free;
		steps++;
	}
	return steps == t->nfree ? 0 : 5;
}

unsigned captable_check(const struct captable *t)
{
	uint32_t used = 0, free = 0, retired = 0;

	if (!t->slots || t->capacity == 0 || t->capacity > CAPTABLE_MAX_SLOTS)
		return 1;
	for (uint32_t i = 0; i < t->capacity; i++) {
		unsigned bad = check_slot(&t->slots[i]);
		if (bad)
			return bad;
		used += t->slots[i].state == CAPSLOT_USED;
		free += t->slots[i].state == CAPSLOT_FREE;
		retired += t->slots[i].state == CAPSLOT_RETIRED;
	}
	if (used != t->nused || free != t->nfree || retired != t->nretired ||
	    (uint64_t)used + free + retired != t->capacity)
		return 4;
	return check_free_list(t);
}
