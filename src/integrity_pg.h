/*
 * integrity_pg.h: declarations shared by the PostgreSQL glue files.
 */
#ifndef INTEGRITY_PG_H
#define INTEGRITY_PG_H

/* chain.c: the integrity.signing_key_file setting */
extern void integrity_signing_init(void);

/*
 * chain.c: append the disclosure of record_id's event to the origin's log
 * (caller connected to SPI); returns the seq.
 */
extern int64 disclosure_append(const char *origin, int64 record_id, const char *event);

#endif
