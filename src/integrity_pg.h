/*
 * integrity_pg.h: declarations shared by the PostgreSQL glue files.
 */
#ifndef INTEGRITY_PG_H
#define INTEGRITY_PG_H

/* chain.c: the integrity.signing_key_file setting */
extern void integrity_signing_init(void);

#endif
