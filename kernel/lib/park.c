/*
 * park.c - ParkSpace keys (built only here, by identity) and the waiter queue: FIFO wake by
 * key, failure of the waiters whose mapping went away, cancellation by the waiter's own
 * thread. Nothing here allocates or locks; see lib/park.h for the machine and invariants.
 */
#include <lib/assert.h>
#include <lib/park.h>

static const uint8_t legal[PARK_WAITER_STATE_COUNT] = {
	[PARK_IDLE] = 1u << PARK_WAITING,
	[PARK_WAITING] = 1u << PARK_WOKEN | 1u << PARK_FAILED | 1u << PARK_CANCELLED,
	[PARK_WOKEN] = 1u << PARK_IDLE,
	[PARK_FAILED] = 1u << PARK_IDLE,
	[PARK_CANCELLED] = 1u << PARK_IDLE,
};

void park_waiter_transition(struct park_waiter *w, enum park_waiter_state from,
			    enum park_waiter_state to)
{
	DASSERT(w->state == from);
	DASSERT(from < PARK_WAITER_STATE_COUNT && to < PARK_WAITER_STATE_COUNT &&
		((legal[from] >> to) & 1));
	/* Release: the waiting thread reads the state without the queue's lock. */
	__atomic_store_n(&w->state, (uint8_t)to, __ATOMIC_RELEASE);
}

struct park_key park_key_private(const struct kident *as, uint64_t va)
{
	struct park_key k = { .space = as->id, .gen = as->gen, .addr = va,
			      .kind = PARK_KEY_PRIVATE };

	return k;
}

struct park_key park_key_shared(const struct kident *obj, uint64_t off)
{
	struct park_key k = { .space = obj->id, .gen = obj->gen, .addr = off,
			      .kind = PARK_KEY_SHARED };

	return k;
}

bool park_key_equal(const struct park_key *a, const struct park_key *b)
{
	return a->space == b->space && a->gen == b->gen && a->addr == b->addr &&
	       a->kind == b->kind;
}

void park_queue_init(struct park_queue *q)
{
	q->head = q->tail = NULL;
	q->count = 0;
}

void park_waiter_init(struct park_waiter *w, void *owner)
{
	*w = (struct park_waiter){ .state = PARK_IDLE, .result = KERR_OK, .owner = owner };
}

void park_enqueue(struct park_queue *q, struct park_waiter *w, const struct park_key *key,
		  uint64_t via_space, uint64_t via_addr)
{
	w->key = *key;
	w->via_space = via_space;
	w->via_addr = via_addr;
	w->result = KERR_OK;
	w->next = NULL;
	w->prev = q->tail;
	if (q->tail)
		q->tail->next = w;
	else
		q->head = w;
	q->tail = w;
	q->count++;
	park_waiter_transition(w, PARK_IDLE, PARK_WAITING); /* I1: linked */
}

static void park_unlink(struct park_queue *q, struct park_waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		q->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		q->tail = w->prev;
	w->prev = w->next = NULL;
	KASSERT(q->count > 0);
	q->count--;
}

unsigned park_wake(struct park_queue *q, const struct park_key *key, unsigned count,
		   park_notify_fn fn, void *ctx)
{
	unsigned woken = 0;

	/* Loop invariant: woken <= count; every waiter before w was looked at. */
	for (struct park_waiter *w = q->head, *next; w && woken < count; w = next) {
		next = w->next;
		if (!park_key_equal(&w->key, key))
			continue;
		park_unlink(q, w);
		park_waiter_transition(w, PARK_WAITING, PARK_WOKEN);
		woken++;
		if (fn)
			fn(w, ctx);
	}
	return woken;
}

unsigned park_fail_range(struct park_queue *q, uint64_t space, uint64_t lo, uint64_t hi,
			 kerr_t why, park_notify_fn fn, void *ctx)
{
	unsigned failed = 0;

	KASSERT(why != KERR_OK);
	for (struct park_waiter *w = q->head, *next; w; w = next) {
		next = w->next;
		if (w->via_space != space || w->via_addr < lo || w->via_addr >= hi)
			continue;
		park_unlink(q, w);
		w->result = why;
		park_waiter_transition(w, PARK_WAITING, PARK_FAILED);
		failed++;
		if (fn)
			fn(w, ctx);
	}
	return failed;
}

bool park_cancel(struct park_queue *q, struct park_waiter *w)
{
	KASSERT(w->state != PARK_IDLE);
	if (w->state != PARK_WAITING)
		return false; /* a wake or a failure got there first: its outcome stands */
	park_unlink(q, w);
	park_waiter_transition(w, PARK_WAITING, PARK_CANCELLED);
	return true;
}

kerr_t park_finish(struct park_waiter *w)
{
	kerr_t r;

	switch (w->state) {
	case PARK_WOKEN:
		park_waiter_transition(w, PARK_WOKEN, PARK_IDLE);
		return KERR_OK;
	case PARK_FAILED:
		r = w->result;
		w->result = KERR_OK;
		park_waiter_transition(w, PARK_FAILED, PARK_IDLE);
		return r;
	default:
		park_waiter_transition(w, PARK_CANCELLED, PARK_IDLE);
		return KERR_WOULD_BLOCK;
	}
}

unsigned park_count_space(const struct park_queue *q, uint64_t space)
{
	unsigned n = 0;

	for (const struct park_waiter *w = q->head; w; w = w->next)
		n += w->via_space == space;
	return n;
}

unsigned park_check(const struct park_queue *q)
{
	const struct park_waiter *prev = NULL;
	unsigned n = 0;

	for (const struct park_waiter *w = q->head; w; prev = w, w = w->next) {
		if (w->prev != prev || w->state != PARK_WAITING || ++n > q->count)
			return 1;
		if (w->result != KERR_OK)
			return 2;
	}
	if (n != q->count || q->tail != prev)
		return 1;
	return 0;
}
