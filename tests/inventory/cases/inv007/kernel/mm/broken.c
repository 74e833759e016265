/* Fails closed with INV007: this TU does not compile. */
#include "fx.h"

int broken(void)
{
	return undeclared_identifier;
}
