/*
 * csv.c: the CSV reader of integrity-verify: PostgreSQL's CSV (RFC 4180
 * quoting), one record at a time, fields copied NUL-terminated.
 */
#include "verify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void
field_add(csv_field *f, char c)
{
	if (f->len + 1 >= f->cap)
	{
		f->cap = f->cap ? 2 * f->cap : 64;
		f->data = xrealloc(f->data, f->cap);
	}
	f->data[f->len++] = c;
}

static csv_field *
next_field(csv_reader *r)
{
	csv_field  *f;

	if (r->nfields == r->cap)
	{
		int			newcap = r->cap ? 2 * r->cap : 16;

		r->fields = xrealloc(r->fields, (size_t) newcap * sizeof(csv_field));
		memset(r->fields + r->cap, 0, (size_t) (newcap - r->cap) * sizeof(csv_field));
		r->cap = newcap;
	}
	f = &r->fields[r->nfields++];
	f->len = 0;
	f->quoted = false;
	return f;
}

int
csv_read_record(csv_reader *r, char *err, size_t errlen)
{
	int			c = getc(r->fp);

	r->nfields = 0;
	r->record_line = r->line;
	if (c == EOF)
	{
		if (ferror(r->fp))
		{
			snprintf(err, errlen, "read error: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	for (;;)
	{
		csv_field  *f = next_field(r);

		if (c == '"')
		{
			f->quoted = true;
			for (;;)
			{
				c = getc(r->fp);
				if (c == EOF)
				{
					snprintf(err, errlen,
							 "unterminated quoted field starting on line %lu",
							 r->record_line);
					return -1;
				}
				if (c == '"')
				{
					c = getc(r->fp);
					if (c != '"')
						break;
				}
				if (c == '\n')
					r->line++;
				if (f->len >= FIELD_MAX)
				{
					snprintf(err, errlen, "field too long on line %lu", r->line);
					return -1;
				}
				field_add(f, (char) c);
			}
			if (c != ',' && c != '\n' && c != '\r' && c != EOF)
			{
				snprintf(err, errlen,
						 "unexpected character after a closing quote on line %lu",
						 r->line);
				return -1;
			}
		}
		else
		{
			while (c != ',' && c != '\n' && c != '\r' && c != EOF)
			{
				if (c == '"')
				{
					snprintf(err, errlen,
							 "quote inside an unquoted field on line %lu",
							 r->line);
					return -1;
				}
				if (f->len >= FIELD_MAX)
				{
					snprintf(err, errlen, "field too long on line %lu", r->line);
					return -1;
				}
				field_add(f, (char) c);
				c = getc(r->fp);
			}
		}
		field_add(f, '\0');
		f->len--;

		if (c == ',')
		{
			c = getc(r->fp);
			continue;
		}
		if (c == '\r')
		{
			c = getc(r->fp);
			if (c != '\n')
			{
				snprintf(err, errlen, "carriage return without newline on line %lu",
						 r->line);
				return -1;
			}
		}
		if (c == '\n')
			r->line++;
		else if (ferror(r->fp))
		{
			snprintf(err, errlen, "read error: %s", strerror(errno));
			return -1;
		}
		return 1;
	}
}

void
csv_free(csv_reader *r)
{
	int			i;

	for (i = 0; i < r->cap; i++)
		free(r->fields[i].data);
	free(r->fields);
}
