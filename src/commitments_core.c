/*
 * commitments_core.c: the state machines of commitments and arrears and
 * the due-date rules of the nightly job (DOMAIN D7.2-D7.4).  See
 * commitments.h.  Pure C: no PostgreSQL headers.
 */
#include "commitments.h"

#include <string.h>

static const char *const commitment_names[CS_COUNT] = {
	"open", "fulfilled", "overdue", "broken", "changed_lawfully"
};
static const char *const arrears_names[AS_COUNT] = {
	"open", "overdue", "broken", "paid"
};

int
obligation_state_count(obligation_kind k)
{
	return k == OB_COMMITMENT ? CS_COUNT : k == OB_ARREARS ? AS_COUNT : 0;
}

const char *
obligation_state_name(obligation_kind k, int state)
{
	if (state < 0 || state >= obligation_state_count(k))
		return NULL;
	return k == OB_COMMITMENT ? commitment_names[state] : arrears_names[state];
}

int
obligation_state_from_name(obligation_kind k, const char *name)
{
	int			i;

	if (name == NULL)
		return OB_STATE_NONE;
	for (i = 0; i < obligation_state_count(k); i++)
		if (strcmp(name, obligation_state_name(k, i)) == 0)
			return i;
	return OB_STATE_NONE;
}

bool
obligation_state_closed(obligation_kind k, int state)
{
	if (k == OB_COMMITMENT)
		return state == CS_FULFILLED || state == CS_BROKEN || state == CS_CHANGED_LAWFULLY;
	if (k == OB_ARREARS)
		return state == AS_PAID;
	return false;
}

bool
obligation_transition_allowed(obligation_kind k, int from, int to)
{
	int			n = obligation_state_count(k);

	if (from < 0 || from >= n || to < 0 || to >= n || from == to)
		return false;
	if (obligation_state_closed(k, from))
		return false;
	if (k == OB_COMMITMENT)
		switch (from)
		{
			case CS_OPEN:
				/* D7.2 fulfilled (in time or late within the grace), overdue; D7.3 */
				return to == CS_FULFILLED || to == CS_OVERDUE || to == CS_CHANGED_LAWFULLY;
			case CS_OVERDUE:
				/* D7.2 fulfilled within the grace, or broken after it; D7.3 */
				return to == CS_FULFILLED || to == CS_BROKEN || to == CS_CHANGED_LAWFULLY;
			default:
				return false;
		}
	switch (from)
	{
		case AS_OPEN:
			return to == AS_OVERDUE || to == AS_PAID;	/* D7.4 */
		case AS_OVERDUE:
			return to == AS_BROKEN || to == AS_PAID;
		case AS_BROKEN:
			return to == AS_PAID;	/* paid late: the breach stays on record */
		default:
			return false;
	}
}

const char *
obligation_event(obligation_kind k, int from, int to)
{
	if (from == OB_STATE_NONE)
	{
		if (k == OB_COMMITMENT && to == CS_OPEN)
			return "make";
		if (k == OB_ARREARS && to == AS_OPEN)
			return "add";
		return NULL;
	}
	if (!obligation_transition_allowed(k, from, to))
		return NULL;
	if (k == OB_COMMITMENT)
		switch (to)
		{
			case CS_FULFILLED:
				return "fulfil";
			case CS_OVERDUE:
				return "overdue";
			case CS_BROKEN:
				return "break";
			case CS_CHANGED_LAWFULLY:
				return "change";
			default:
				return NULL;
		}
	switch (to)
	{
		case AS_OVERDUE:
			return "overdue";
		case AS_BROKEN:
			return "break";
		case AS_PAID:
			return "paid";
		default:
			return NULL;
	}
}

const char *
obligation_disclosure_event(obligation_kind k, int from, int to)
{
	if (k != OB_COMMITMENT)
		return NULL;
	if (from == OB_STATE_NONE)
		return to == CS_OPEN ? "commitment_made" : NULL;
	if (!obligation_transition_allowed(k, from, to))
		return NULL;
	switch (to)
	{
		case CS_FULFILLED:
			return "commitment_fulfilled";
		case CS_BROKEN:
			return "commitment_broken";
		case CS_CHANGED_LAWFULLY:
			return "commitment_changed";
		default:
			return NULL;		/* overdue is shown in the views, not signed */
	}
}

unsigned
obligation_required_columns(obligation_kind k, int state)
{
	if (k == OB_COMMITMENT)
		switch (state)
		{
			case CS_FULFILLED:
				return OBCOL_FULFILLED_ON | OBCOL_EVIDENCE;
			case CS_OVERDUE:
				return OBCOL_OVERDUE_ON;
			case CS_BROKEN:
				return OBCOL_OVERDUE_ON | OBCOL_BROKEN_ON | OBCOL_BREACH_RECORD;
			case CS_CHANGED_LAWFULLY:
				return OBCOL_CHANGED_ON | OBCOL_LEGAL_BASIS | OBCOL_COMPENSATION;
			default:
				return 0;
		}
	if (k == OB_ARREARS)
		switch (state)
		{
			case AS_OVERDUE:
				return OBCOL_OVERDUE_ON;
			case AS_BROKEN:
				return OBCOL_OVERDUE_ON | OBCOL_BROKEN_ON | OBCOL_BREACH_RECORD;
			case AS_PAID:
				return OBCOL_PAID_ON;
			default:
				return 0;
		}
	return 0;
}

int
obligation_due_step(obligation_kind k, int state, bool unpaid,
					int32_t as_of, int32_t due, int32_t grace_end)
{
	int			overdue = k == OB_COMMITMENT ? CS_OVERDUE : AS_OVERDUE;
	int			open = k == OB_COMMITMENT ? CS_OPEN : AS_OPEN;
	int			broken = k == OB_COMMITMENT ? CS_BROKEN : AS_BROKEN;

	if (k != OB_COMMITMENT && k != OB_ARREARS)
		return OB_STATE_NONE;
	if (!unpaid || grace_end < due)
		return OB_STATE_NONE;
	if (state == open && as_of > due)
		return overdue;			/* D7.2: not fulfilled by its due date */
	if (state == overdue && as_of > grace_end)
		return broken;			/* D7.2, D7.4: nor within the grace */
	return OB_STATE_NONE;
}

int32_t
obligation_step_date(obligation_kind k, int to, int32_t due, int32_t grace_end)
{
	int			broken = k == OB_COMMITMENT ? CS_BROKEN : AS_BROKEN;

	return to == broken ? grace_end + 1 : due + 1;
}

bool
commitment_fulfil_in_time(int32_t fulfilled_on, int32_t grace_end)
{
	return fulfilled_on <= grace_end;
}
