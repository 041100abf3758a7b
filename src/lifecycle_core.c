/*
 * lifecycle_core.c: the record state machine (SPEC 4; DOMAIN D2.2-D2.4).
 *
 *   collected -> notified -> confirmed -> published -> repaired | expired
 *   confirmed | published -> objected -> (the state before) | revoked
 *   any state that is not final -> revoked
 *
 * Pure C: no PostgreSQL headers.
 */
#include "lifecycle.h"

#include <string.h>

const char *const record_state_names[RS_COUNT] = {
	"collected", "notified", "confirmed", "published",
	"objected", "repaired", "expired", "revoked"
};

int
record_state_from_name(const char *name)
{
	int			i;

	for (i = 0; i < RS_COUNT; i++)
		if (strcmp(name, record_state_names[i]) == 0)
			return i;
	return -1;
}

bool
record_state_is_final(record_state s)
{
	return s == RS_REPAIRED || s == RS_EXPIRED || s == RS_REVOKED;
}

bool
record_state_content_frozen(record_state s)
{
	return s != RS_COLLECTED && s != RS_NOTIFIED;
}

bool
record_transition_allowed(record_state from, record_state to, int before_objection)
{
	if (from < 0 || from >= RS_COUNT || to < 0 || to >= RS_COUNT || from == to)
		return false;
	if (record_state_is_final(from))
		return false;
	/* D2.4: wrong information is withdrawn wherever it is found */
	if (to == RS_REVOKED)
		return true;
	switch (from)
	{
		case RS_COLLECTED:
			return to == RS_NOTIFIED;	/* D2.2 告知 */
		case RS_NOTIFIED:
			return to == RS_CONFIRMED;	/* D2.2 认定 */
		case RS_CONFIRMED:
			return to == RS_PUBLISHED || to == RS_OBJECTED; /* D2.2, D2.3 */
		case RS_PUBLISHED:
			return to == RS_REPAIRED || to == RS_EXPIRED || to == RS_OBJECTED;	/* D2.6, D2.7, D2.3 */
		case RS_OBJECTED:
			/* D2.3: a rejected objection returns to the former state */
			return (int) to == before_objection &&
				(to == RS_CONFIRMED || to == RS_PUBLISHED);
		default:
			return false;
	}
}

const char *
record_transition_event(record_state from, record_state to)
{
	if (from == RS_OBJECTED)
		return to == RS_REVOKED ? "objection_upheld" : "objection_rejected";
	switch (to)
	{
		case RS_NOTIFIED:
			return "notify";
		case RS_CONFIRMED:
			return "confirm";
		case RS_PUBLISHED:
			return "publish";
		case RS_OBJECTED:
			return "objection";
		case RS_REPAIRED:
			return "repair";
		case RS_EXPIRED:
			return "expire";
		case RS_REVOKED:
			return "revoke";
		default:
			return NULL;
	}
}

/* the disclosure events (SPEC 6), in the order of disclosure_event_names */
static const char *const disclosure_events[] = {
	"publish", "objection", "objection_resolved", "repair", "revoke", "expire",
};

#define DE_PUBLISH				(disclosure_events[0])
#define DE_OBJECTION			(disclosure_events[1])
#define DE_OBJECTION_RESOLVED	(disclosure_events[2])
#define DE_REPAIR				(disclosure_events[3])
#define DE_REVOKE				(disclosure_events[4])
#define DE_EXPIRE				(disclosure_events[5])

const char *
record_disclosure_event(record_state from, record_state to, bool was_published)
{
	if (to == RS_PUBLISHED && from == RS_CONFIRMED)
		return DE_PUBLISH;
	if (!was_published)
		return NULL;
	if (from == RS_OBJECTED)
		return DE_OBJECTION_RESOLVED;
	switch (to)
	{
		case RS_OBJECTED:
			return DE_OBJECTION;
		case RS_REPAIRED:
			return DE_REPAIR;
		case RS_EXPIRED:
			return DE_EXPIRE;
		case RS_REVOKED:
			return DE_REVOKE;
		default:
			return NULL;
	}
}

bool
disclosure_event_known(const char *s, size_t len)
{
	size_t		i;

	for (i = 0; i < sizeof(disclosure_events) / sizeof(disclosure_events[0]); i++)
		if (strlen(disclosure_events[i]) == len && memcmp(s, disclosure_events[i], len) == 0)
			return true;
	return false;
}
