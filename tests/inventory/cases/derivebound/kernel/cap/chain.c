/* INV017 for wrapper derivation: a chain of 11 charge wrappers, each found one round after the
 * one it calls. Derivation stops at its 10-round bound with db10 found and not applied: that is a
 * finding naming db10, never a silent cut (db11 is then never examined). */
#include "fx.h"

kerr_t db1(struct aspace *as, enum ledger_kind kind)
{
	kerr_t err = ledger_charge(as->ledger, kind, 1);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

kerr_t db2(struct aspace *as, enum ledger_kind kind)
{
	kerr_t err = db1(as, kind);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

kerr_t db3(struct aspace *as, enum ledger_kind kind)
{
	kerr_t err = db2(as, kind);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

kerr_t db4(struct aspace *as, enum ledger_kind kind)
{
	kerr_t err = db3(as, kind);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

kerr_t db5(struct aspace *as, enum ledger_kind kind)
{
	kerr_t err = db4(as, kind);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

kerr_t db6(struct aspace *as, enum ledger_kind kind)
{
	kerr_t err = db5(as, kind);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

kerr_t db7(struct aspace *as, enum ledger_kind kind)
{
	kerr_t err = db6(as, kind);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

kerr_t db8(struct aspace *as, enum ledger_kind kind)
{
	kerr_t err = db7(as, kind);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

kerr_t db9(struct aspace *as, enum ledger_kind kind)
{
	kerr_t err = db8(as, kind);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

kerr_t db10(struct aspace *as, enum ledger_kind kind)
{
	kerr_t err = db9(as, kind);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

kerr_t db11(struct aspace *as, enum ledger_kind kind)
{
	kerr_t err = db10(as, kind);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}
