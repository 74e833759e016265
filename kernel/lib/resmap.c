/*
 * resmap.c - the reservation map: an AVL tree of disjoint page-aligned ranges, augmented with
 * each subtree's span and largest inner gap so that first fit at or after a hint is O(log n).
 *
 * Invariants are those of struct resmap_node (I1-I4) in resmap.h; resmap_check() tests them.
 * Every decision about overlap and fit goes through the proven interval core (interval.c).
 * The map never allocates: nodes are embedded in the caller's records. Recursion depth is the
 * tree height, at most 1.44 log2(n) + 2 (about 30 for a million ranges).
 */
#include <lib/assert.h>
#include <lib/interval.h>
#include <lib/resmap.h>

static int node_height(const struct resmap_node *n)
{
	return n ? n->height : 0;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* Recompute height and the I4 augmentation of n from its children. */
static void node_update(struct resmap_node *n)
{
	const struct resmap_node *l = n->left, *r = n->right;
	uint64_t gap = 0;
	int hl = node_height(l), hr = node_height(r);

	n->height = 1 + (hl > hr ? hl : hr);
	n->sub_lo = l ? l->sub_lo : n->base;
	n->sub_hi = r ? r->sub_hi : n->end;
	if (l)
		gap = max_u64(l->sub_gap, n->base - l->sub_hi);
	if (r)
		gap = max_u64(gap, max_u64(r->sub_gap, r->sub_lo - n->end));
	n->sub_gap = gap;
}

static struct resmap_node *rotate_right(struct resmap_node *n)
{
	struct resmap_node *l = n->left;

	n->left = l->right;
	l->right = n;
	node_update(n);
	node_update(l);
	return l;
}

static struct resmap_node *rotate_left(struct resmap_node *n)
{
	struct resmap_node *r = n->right;

	n->right = r->left;
	r->left = n;
	node_update(n);
	node_update(r);
	return r;
}

/* Restore I3 at n (children already balanced, heights differ by at most 2). */
static struct resmap_node *rebalance(struct resmap_node *n)
{
	int bf;

	node_update(n);
	bf = node_height(n->left) - node_height(n->right);
	if (bf > 1) {
		if (node_height(n->left->left) < node_height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (bf < -1) {
		if (node_height(n->right->right) < node_height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

kerr_t resmap_init(struct resmap *m, uint64_t lo, uint64_t hi)
{
	if (lo >= hi || !IS_PAGE_ALIGNED(lo) || !IS_PAGE_ALIGNED(hi))
		return KERR_INVALID_ARG;
	m->root = NULL;
	m->lo = lo;
	m->hi = hi;
	m->count = 0;
	return KERR_OK;
}

struct resmap_node *resmap_find(const struct resmap *m, uint64_t addr)
{
	struct resmap_node *t = m->root;

	while (t) {
		if (addr < t->base)
			t = t->left;
		else if (addr >= t->end)
			t = t->right;
		else
			return t;
	}
	return NULL;
}

struct resmap_node *resmap_first_after(const struct resmap *m, uint64_t addr)
{
	struct resmap_node *t = m->root, *best = NULL;

	/* Ends are sorted like bases (I2), so this is a lower-bound search on end. */
	while (t) {
		if (t->end > addr) {
			best = t;
			t = t->left;
		} else {
			t = t->right;
		}
	}
	return best;
}

struct resmap_node *resmap_next(const struct resmap *m, const struct resmap_node *n)
{
	return resmap_first_after(m, n->end);
}

/* The gap around addr: from the end of the last range starting at or below addr (or lo) to
 * the base of the first range starting above it (or hi). *succ receives that range. */
static void gap_around(const struct resmap *m, uint64_t addr, uint64_t *gap_lo, uint64_t *gap_hi,
		       const struct resmap_node **succ)
{
	const struct resmap_node *t = m->root, *pred = NULL;

	*succ = NULL;
	while (t) {
		if (t->base <= addr) {
			pred = t;
			t = t->right;
		} else {
			*succ = t;
			t = t->left;
		}
	}
	*gap_lo = pred ? pred->end : m->lo;
	*gap_hi = *succ ? (*succ)->base : m->hi;
}

kerr_t resmap_check_fixed(const struct resmap *m, uint64_t base, uint64_t size)
{
	const struct resmap_node *succ;
	uint64_t gap_lo, gap_hi;

	if (size == 0 || base < m->lo || base >= m->hi || size > m->hi - base)
		return KERR_INVALID_ARG;
	gap_around(m, base, &gap_lo, &gap_hi, &succ);
	/* gap_lo may exceed base (base inside the predecessor): then it does not fit either. */
	if (gap_lo > gap_hi || !ival_fits_gap(gap_lo, gap_hi, base, base + size))
		return KERR_CONFLICT;
	return KERR_OK;
}

/* In-order search state for fit_search: end of the last range visited. */
struct fit_state {
	uint64_t prev_end;
	uint64_t size;
	uint64_t key;
};

/*
 * Find the first gap of st->size bytes that follows a range with base >= st->key, in order.
 * Loop invariant of the in-order walk: st->prev_end is the end of the last range visited, and
 * every gap before it was too small. Subtrees wholly at or above key whose inner gaps are all
 * too small are skipped in O(1) via I4, so the walk touches O(height) nodes.
 */
static bool fit_search(const struct resmap_node *t, struct fit_state *st, uint64_t *out)
{
	if (!t)
		return false;
	if (t->sub_lo >= st->key) {
		if (ival_gap_first_fit(st->prev_end, t->sub_lo, st->prev_end, st->size, out))
			return true;
		if (t->sub_gap < st->size) {
			st->prev_end = t->sub_hi;
			return false;
		}
	}
	if (t->base > st->key && fit_search(t->left, st, out))
		return true;
	if (t->base >= st->key) {
		if (ival_gap_first_fit(st->prev_end, t->base, st->prev_end, st->size, out))
			return true;
		st->prev_end = t->end;
	}
	return fit_search(t->right, st, out);
}

kerr_t resmap_find_fit(const struct resmap *m, uint64_t hint, uint64_t size, uint64_t *out)
{
	const struct resmap_node *succ;
	struct fit_state st;
	uint64_t start = hint > m->lo ? hint : m->lo, gap_lo, gap_hi;

	if (size == 0 || start >= m->hi)
		return KERR_CONFLICT;
	/* I1: a range starts on a page. start < hi and hi is aligned, so this cannot wrap. */
	start = PAGE_ALIGN_UP(start);
	/* 1. The gap holding (or starting after) the hint, clipped to the hint. */
	gap_around(m, start, &gap_lo, &gap_hi, &succ);
	if (gap_lo <= gap_hi && ival_gap_first_fit(gap_lo, gap_hi, start, size, out))
		return KERR_OK;
	if (!succ)
		return KERR_CONFLICT;
	/* 2. Gaps after succ (all start above the hint), then the tail up to hi. */
	st.prev_end = succ->end;
	st.size = size;
	st.key = succ->base + 1;
	if (fit_search(m->root, &st, out))
		return KERR_OK;
	if (st.prev_end <= m->hi && ival_gap_first_fit(st.prev_end, m->hi, st.prev_end, size, out))
		return KERR_OK;
	return KERR_CONFLICT;
}

static struct resmap_node *insert_rec(struct resmap_node *t, struct resmap_node *n)
{
	if (!t)
		return n;
	KASSERT(!ival_overlaps(t->base, t->end, n->base, n->end));
	if (n->base < t->base)
		t->left = insert_rec(t->left, n);
	else
		t->right = insert_rec(t->right, n);
	return rebalance(t);
}

void resmap_insert(struct resmap *m, struct resmap_node *n)
{
	KASSERT(n->base < n->end && n->base >= m->lo && n->end <= m->hi); /* I1 */
	KASSERT(IS_PAGE_ALIGNED(n->base) && IS_PAGE_ALIGNED(n->end));
	n->left = NULL;
	n->right = NULL;
	node_update(n);
	m->root = insert_rec(m->root, n);
	m->count++;
}

static struct resmap_node *remove_min(struct resmap_node *t, struct resmap_node **min)
{
	if (!t->left) {
		*min = t;
		return t->right;
	}
	t->left = remove_min(t->left, min);
	return rebalance(t);
}

static struct resmap_node *remove_rec(struct resmap_node *t, struct resmap_node *n)
{
	struct resmap_node *min;

	KASSERT(t != NULL); /* n is linked, so the key search reaches it */
	if (t != n) {
		if (n->base < t->base)
			t->left = remove_rec(t->left, n);
		else
			t->right = remove_rec(t->right, n);
		return rebalance(t);
	}
	if (!t->left)
		return t->right;
	if (!t->right)
		return t->left;
	t->right = remove_min(t->right, &min);
	min->left = t->left;
	min->right = t->right;
	return rebalance(min);
}

void resmap_remove(struct resmap *m, struct resmap_node *n)
{
	KASSERT(m->count > 0);
	m->root = remove_rec(m->root, n);
	m->count--;
	n->left = NULL;
	n->right = NULL;
}

static void shrink_rec(struct resmap_node *t, struct resmap_node *n, uint64_t base, uint64_t end)
{
	KASSERT(t != NULL);
	if (t == n) {
		t->base = base;
		t->end = end;
	} else if (n->base < t->base) {
		shrink_rec(t->left, n, base, end);
	} else {
		shrink_rec(t->right, n, base, end);
	}
	node_update(t);
}

void resmap_shrink(struct resmap *m, struct resmap_node *n, uint64_t base, uint64_t end)
{
	/* Shrinking inside its own range cannot change the order (I2) nor the balance (I3). */
	KASSERT(base >= n->base && end <= n->end && base < end);
	shrink_rec(m->root, n, base, end);
}

/* Check I1-I4 for the subtree t, whose ranges must lie in [lo, hi). */
static bool check_rec(const struct resmap_node *t, uint64_t lo, uint64_t hi, size_t *count)
{
	struct resmap_node copy;

	if (!t)
		return true;
	if (!(lo <= t->base && t->base < t->end && t->end <= hi) ||
	    !IS_PAGE_ALIGNED(t->base) || !IS_PAGE_ALIGNED(t->end))
		return false; /* I1, I2 */
	if (!check_rec(t->left, lo, t->base, count) || !check_rec(t->right, t->end, hi, count))
		return false;
	copy = *t;
	node_update(&copy);
	if (copy.height != t->height || copy.sub_lo != t->sub_lo || copy.sub_hi != t->sub_hi ||
	    copy.sub_gap != t->sub_gap)
		return false; /* I3 (height), I4 */
	if (node_height(t->left) - node_height(t->right) > 1 ||
	    node_height(t->right) - node_height(t->left) > 1)
		return false; /* I3 (balance) */
	(*count)++;
	return true;
}

bool resmap_check(const struct resmap *m)
{
	size_t count = 0;

	if (m->lo >= m->hi || !IS_PAGE_ALIGNED(m->lo) || !IS_PAGE_ALIGNED(m->hi))
		return false;
	return check_rec(m->root, m->lo, m->hi, &count) && count == m->count;
}
