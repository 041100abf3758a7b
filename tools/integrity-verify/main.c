/*
 * integrity-verify: offline verifier of an exported disclosure log (SPEC 6).
 *
 *   integrity-verify --key PUBKEY [--key PUBKEY ...] [--origin CODE]
 *                    [--checkpoint FILE] [--witness VKEY]... [--quorum N]
 *                    [--from[=SEQ]] LOG.csv
 *   integrity-verify --checkpoint FILE --key VKEY [--witness VKEY]... [--quorum N]
 *   integrity-verify --report FILE --key VKEY [--witness VKEY]... [--quorum N]
 *                    [--log LOG.csv]   (report.c)
 *
 * LOG.csv is what
 *   \copy (SELECT origin, seq, record_id, event, payload, payload_hash,
 *          prev_hash, entry_hash, key_id, signature, disclosed_at
 *          FROM integrity.disclosure WHERE origin = '...' ORDER BY seq)
 *         TO 'log.csv' CSV HEADER
 * writes (PostgreSQL CSV, RFC 4180 quoting, columns found by header name,
 * unknown columns ignored, "-" reads standard input).  For every row, in
 * order, it checks: the origin (all rows one origin, --origin if given);
 * seq 1, 2, 3, ... without gaps (with --from the first row may start
 * anywhere, its prev_hash then being taken as given); payload is canonical
 * JSON; payload_hash = SHA-256(payload); prev_hash = the previous row's
 * entry_hash (32 zero bytes for seq 1); entry_hash = SHA-256(prev_hash ||
 * seq as 8-byte big-endian || payload_hash); the Ed25519 signature of
 * entry_hash under the --key whose key_id matches the row's key_id; and,
 * since they lie outside the signed entry, that record_id, event and
 * disclosed_at are well formed and agree with same-named top-level members
 * of the payload when it has them.  With --checkpoint, the C2SP checkpoint
 * note must verify under one of the keys and its root hash must be the
 * RFC 6962 Merkle root of the first tree-size entry hashes.  With
 * --witness (C2SP vkeys of type 0x04, as witness_vkey() gives them), the
 * checkpoint must also carry at least --quorum (default: every --witness)
 * valid cosignature/v1 lines of distinct given witnesses; lines of other
 * names or key IDs are ignored, a line of a given witness that does not
 * verify rejects the note, and one with a timestamp in the future is not
 * counted (c2sp.org/tlog-cosignature).  Without LOG.csv only the
 * checkpoint is checked (its origin from its first line).
 *
 * Exit status: 0 and "ok: N entries verified, root <hex>" on stdout when
 * everything holds; 1 and "bad row seq=S: <reason>" (the first bad row),
 * "bad checkpoint: <reason>" or "bad log: <reason>" on stderr otherwise;
 * 2 for usage errors and unreadable files.
 *
 * This file: the options, the dispatch and the report.  The parts:
 * verify.h.  Build: the Makefile (VERIFY_SRCS: the .c files here
 * and the cores of VERIFY_CORES in concepts.mk, -lcrypto -lm).
 */
#include "verify.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* ------------------------------------------------------------ utilities */

static const char *const progname = "integrity-verify";

void
usage_error(const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry \"%s --help\" for more information.\n", progname);
	exit(EXIT_USAGE);
}

static void
print_usage(void)
{
	printf("%s checks an exported integrity disclosure log offline.\n\n"
		   "Usage:\n"
		   "  %s --key PUBKEY [--key PUBKEY ...] [--origin CODE]\n"
		   "      [--checkpoint FILE [--witness VKEY]... [--quorum N]] [--from[=SEQ]] LOG.csv\n"
		   "  %s --checkpoint FILE --key VKEY [--witness VKEY]... [--quorum N]\n"
		   "  %s --report FILE --key VKEY [--witness VKEY]... [--quorum N] [--log LOG.csv]\n\n"
		   "Options:\n"
		   "  --key PUBKEY       Ed25519 public key: a C2SP vkey as log_vkey() gives it,\n"
		   "                     a PEM file (openssl pkey -pubout), a file of 32 raw\n"
		   "                     bytes, or 64 hex digits (optionally prefixed by \\x);\n"
		   "                     repeat for rotated keys\n"
		   "  --origin CODE      the origin every row must have (default: the first row's)\n"
		   "  --checkpoint FILE  a tree_head() checkpoint to check (against the log if given)\n"
		   "  --witness VKEY     a witness's cosigner vkey (witness_vkey(), type 0x04), or a\n"
		   "                     file holding it; repeat for each witness\n"
		   "  --quorum N         valid cosignatures of distinct --witness keys needed\n"
		   "                     (default: all of them)\n"
		   "  --from[=SEQ]       the log may start after seq 1 (at SEQ if given); the\n"
		   "                     first row's prev_hash is then taken as given\n"
		   "  --report FILE      check a credit_report() document instead of a log: its\n"
		   "                     signature, its checkpoint, every entry and inclusion\n"
		   "                     proof, and the back-links (issue 17)\n"
		   "  --log LOG.csv      with --report: also check that the full log export has\n"
		   "                     no entry about the subject, up to the checkpoint's tree\n"
		   "                     size, that the report leaves out\n"
		   "  --help             show this help\n\n"
		   "LOG.csv is \\copy (SELECT origin, seq, record_id, event, payload, payload_hash,\n"
		   "prev_hash, entry_hash, key_id, signature, disclosed_at FROM integrity.disclosure\n"
		   "WHERE origin = '...' ORDER BY seq) TO 'LOG.csv' CSV HEADER (\"-\": stdin).\n\n"
		   "Exit status: 0 verified, 1 verification failed (first bad row reported),\n"
		   "2 usage error.\n", progname, progname, progname, progname);
}

void *
xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
	{
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(EXIT_USAGE);
	}
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
	{
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(EXIT_USAGE);
	}
	return p;
}

char *
read_small_file(const char *path, size_t max, size_t *len, const char *what)
{
	FILE	   *fp = fopen(path, "rb");
	char	   *buf;
	size_t		n;

	if (fp == NULL)
		usage_error("could not open %s \"%s\": %s", what, path, strerror(errno));
	buf = xmalloc(max + 1);
	n = fread(buf, 1, max + 1, fp);
	if (ferror(fp))
		usage_error("could not read %s \"%s\": %s", what, path, strerror(errno));
	fclose(fp);
	if (n > max)
		usage_error("%s \"%s\" is larger than %zu bytes", what, path, max);
	buf[n] = '\0';
	*len = n;
	return buf;
}

bool
parse_seq(const char *s, size_t len, uint64_t *out)
{
	return parse_decimal_u64(s, len, out) && *out <= (uint64_t) INT64_MAX;
}

/* ----------------------------------------------------------- failures */

void
bad(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stdout);
	exit(EXIT_BAD);
}

/* ------------------------------------------------------------ options */

/* the options into st; returns the LOG.csv argument */
static const char *
parse_options(verify_state *st, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"key", required_argument, NULL, 'k'},
		{"origin", required_argument, NULL, 'o'},
		{"checkpoint", required_argument, NULL, 'c'},
		{"from", optional_argument, NULL, 'f'},
		{"witness", required_argument, NULL, 'w'},
		{"quorum", required_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		/* issue 17: a credit report, and the log to check it against */
		{"report", required_argument, NULL, 'R'},
		{"log", required_argument, NULL, 'L'},
		{NULL, 0, NULL, 0}
	};
	int			opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1)
	{
		switch (opt)
		{
			case 'k':
				add_key(st, optarg);
				break;
			case 'o':
				st->origin_opt = optarg;
				break;
			case 'c':
				st->checkpoint_path = optarg;
				break;
			case 'w':
				add_witness(st, optarg);
				break;
			case 'q':
				{
					uint64_t	q;

					if (!parse_decimal_u64(optarg, strlen(optarg), &q) || q > MAX_WITNESSES)
						usage_error("--quorum=%s is not a number from 0 to %d", optarg, MAX_WITNESSES);
					st->quorum = (int) q;
				}
				break;
			case 'f':
				st->from = true;
				if (optarg != NULL)
				{
					if (!parse_seq(optarg, strlen(optarg), &st->from_seq) ||
						st->from_seq == 0)
						usage_error("--from=%s is not a positive seq", optarg);
					st->from_seq_given = true;
				}
				break;
			case 'h':
				print_usage();
				exit(0);
			case 'R':			/* issue 17 */
				st->report_path = optarg;
				break;
			case 'L':
				st->report_log_path = optarg;
				break;
			default:
				usage_error("invalid option or missing argument: \"%s\"",
							argv[optind - 1]);
		}
	}
	if (st->nkeys == 0)
		usage_error("at least one --key is required");
	if (st->quorum > st->nwitnesses)
		usage_error("--quorum %d needs at least %d --witness keys", st->quorum, st->quorum);
	/* issue 17: --report takes no LOG.csv argument (the log is --log) */
	if (st->report_log_path != NULL && st->report_path == NULL)
		usage_error("--log is for --report (check a log with LOG.csv)");
	if (st->report_path != NULL)
	{
		if (optind != argc)
			usage_error("--report takes no LOG.csv argument: give the log with --log");
		if (st->checkpoint_path != NULL || st->from)
			usage_error("--report carries its own checkpoint: no --checkpoint or --from");
		return NULL;
	}
	if ((st->nwitnesses > 0 || st->quorum > 0) && st->checkpoint_path == NULL)
		usage_error("--witness and --quorum apply to a --checkpoint or a --report");
	if (optind == argc && st->checkpoint_path != NULL)
		return NULL;			/* the checkpoint alone */
	if (optind != argc - 1)
		usage_error(optind >= argc ? "no LOG.csv given" : "more than one LOG.csv given");
	return argv[optind];
}

/* --origin and --checkpoint: read, and the note checked when the origin is known */
static void
load_inputs(verify_state *st)
{
	if (st->origin_opt != NULL)
	{
		st->origin = strdup(st->origin_opt);
		if (st->origin == NULL)
			usage_error("out of memory");
	}
	if (st->checkpoint_path != NULL)
	{
		if (st->from && (!st->from_seq_given || st->from_seq != 1))
			usage_error("--checkpoint needs the whole log from seq 1 "
						"(not --from)");
		st->checkpoint_text = read_small_file(st->checkpoint_path,
											  NOTE_FILE_MAX,
											  &st->checkpoint_len,
											  "checkpoint file");
		if (st->origin != NULL)
			check_checkpoint_note(st);
	}
}

/* ------------------------------------------------------------ dispatch */

/* every row of the log, in order (exits at the first bad one) */
static void
verify_rows(verify_state *st, const char *log_path)
{
	csv_reader	r;
	char		reason[REASON_LEN];
	char		err[REASON_LEN];
	int			rc;

	memset(&r, 0, sizeof(r));
	if (strcmp(log_path, "-") == 0)
		r.fp = stdin;
	else
	{
		r.fp = fopen(log_path, "rb");
		if (r.fp == NULL)
			usage_error("could not open log \"%s\": %s", log_path,
						strerror(errno));
	}
	r.line = 1;
	read_header(st, &r);

	while ((rc = csv_read_record(&r, err, sizeof(err))) != 0)
	{
		uint64_t	seq_report = 0;
		bool		seq_known = false;

		if (rc < 0)
		{
			if (st->count > 0 || !st->from)
				bad("bad row seq=%" PRIu64 ": malformed csv: %s",
					st->count > 0 ? st->next_seq : 1, err);
			bad("bad row seq=?: malformed csv: %s", err);
		}
		if (!check_row(st, &r, &seq_report, &seq_known, reason, sizeof(reason)))
		{
			if (seq_known)
				bad("bad row seq=%" PRIu64 ": %s", seq_report, reason);
			bad("bad row seq=? (line %lu): %s", r.record_line, reason);
		}
		if (st->checkpoint_checked && st->count == st->cp_size)
			compare_checkpoint_root(st);
	}
	if (r.fp != stdin)
		fclose(r.fp);
	csv_free(&r);
}

/* the checkpoint after the last row: checked, and not beyond the log */
static void
finish_checkpoint(verify_state *st)
{
	if (st->checkpoint_text == NULL)
		return;
	if (!st->checkpoint_checked)
	{
		if (st->origin == NULL)
			usage_error("the log has no rows: give --origin to check "
						"the checkpoint");
		check_checkpoint_note(st);
	}
	if (st->cp_size > st->count)
		bad("bad checkpoint: tree size %" PRIu64 " exceeds the %" PRIu64
			" entries in the log", st->cp_size, st->count);
	if (st->cp_size == 0)
		compare_checkpoint_root(st);
}

/* what the cosignature check counted, for the "ok" line */
static void
print_cosigned(verify_state *st)
{
	if (st->nwitnesses > 0)
		printf(", %d of %d witnesses cosigned%s", st->cosigned, st->nwitnesses,
			   st->future ? " (a cosignature with a future timestamp was not counted)" : "");
}

/* --checkpoint without LOG.csv: its signature and cosignatures */
static int
checkpoint_alone(verify_state *st)
{
	char		hex[2 * SHA256_LEN + 1];

	if (st->origin == NULL)
	{
		char		origin[CHECKPOINT_ORIGIN_BUF];

		if (!checkpoint_note_origin(st->checkpoint_text, st->checkpoint_len, origin))
			bad("bad checkpoint: its first line is not \"%s<origin>\"", CHECKPOINT_NAME_PREFIX);
		st->origin = strdup(origin);
		if (st->origin == NULL)
			usage_error("out of memory");
	}
	check_checkpoint_note(st);
	crypto_hex_encode(st->cp_root, SHA256_LEN, hex);
	printf("ok: checkpoint of %s%s at tree size %" PRIu64 ", root %s", CHECKPOINT_NAME_PREFIX,
		   st->origin, st->cp_size, hex);
	print_cosigned(st);
	printf("\n");
	free(st->origin);
	free(st->checkpoint_text);
	free(st);
	crypto_release_cache();
	return 0;
}

/* "ok: ..." on stdout */
static void
report(verify_state *st)
{
	char		err[REASON_LEN];
	char		hex[2 * SHA256_LEN + 1];

	if (st->count > 0 && st->first_seq != 1)
	{
		crypto_hex_encode(st->prev_entry, SHA256_LEN, hex);
		printf("ok: %" PRIu64 " entries verified (seq %" PRIu64 "..%" PRIu64
			   ", partial log: no merkle root), head %s\n",
			   st->count, st->first_seq, st->next_seq - 1, hex);
	}
	else
	{
		uint8_t		root[SHA256_LEN];

		if (!merkle_root(merkle_frontier_fetch, &st->merkle, st->count, root, err,
						 sizeof(err)))
			bad("bad log: could not compute the merkle root: %s", err);
		crypto_hex_encode(root, SHA256_LEN, hex);
		if (st->checkpoint_text != NULL)
		{
			printf("ok: %" PRIu64 " entries verified, root %s, checkpoint at "
				   "tree size %" PRIu64 " verified", st->count, hex,
				   st->cp_size);
			print_cosigned(st);
			printf("\n");
		}
		else
			printf("ok: %" PRIu64 " entries verified, root %s\n", st->count, hex);
	}
}

int
main(int argc, char **argv)
{
	verify_state *st = xmalloc(sizeof(verify_state));
	const char *log_path;
	int			i;

	memset(st, 0, sizeof(*st));
	st->quorum = -1;
	log_path = parse_options(st, argc, argv);
	load_inputs(st);
	if (st->report_path != NULL)
		verify_report(st);		/* issue 17 (report.c) */
	else if (log_path == NULL)
		return checkpoint_alone(st);
	else
	{
		verify_rows(st, log_path);
		finish_checkpoint(st);
		report(st);
	}

	for (i = 0; i < st->nkeys; i++)
		verifier_free(st->keys[i].v);
	free(st->origin);
	free(st->checkpoint_text);
	free(st);
	crypto_release_cache();
	return 0;
}
