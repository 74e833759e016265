/* Fires INV015: cites an edge no transition site has. */
/* @proves host_vm: vpage:VPAGE_RESERVED->VPAGE_GONE */
