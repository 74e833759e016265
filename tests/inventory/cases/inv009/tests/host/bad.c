/* Fails closed with INV009: a tag without the "test:" part. */
/* @proves vpage:VPAGE_RESERVED->VPAGE_COMMITTED */
