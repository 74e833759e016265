/* Fires INV003: names a test CTest does not know. */
/* @proves host_no_such_test: MAM-A1 */
