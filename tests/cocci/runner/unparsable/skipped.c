/* A function Coccinelle cannot parse: an unknown macro between the type and the name. */
int ok_before(int a)
{
	return a;
}

static int NOT_DECLARED_ANYWHERE(capos) skipped_function(int a)
{
	return a + 1;
}

int ok_after(int a)
{
	return a;
}
