/* Runner case: a source file in Latin-1 (café, été), not UTF-8: exit 2, named. */
int f(int x)
{
	return x;
}
