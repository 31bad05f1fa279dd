/* agg_cli.h - input handling shared by the aggregator commands (calibrate,
 * score, compare, set, summarize, merge). */
#ifndef KITSCH_AGG_CLI_H
#define KITSCH_AGG_CLI_H

#include <stdio.h>
#include "aggregate.h"

/* A directory is analysed on the fly into a temporary JSON Lines file; a file
 * is used as is. Returns the path to read (a temp file the caller removes
 * with agg_input_done), or NULL after printing an error. */
char *agg_input_open(const char *cmd, const char *path, int *is_temp);
void agg_input_done(char *path, int is_temp);

/* Read one input (records JSONL, summary, or folder) into s with rule.
 * Prints problems; returns 0, or 1 after printing an error. */
int agg_read_into(const char *cmd, ks_summary *s, const char *input, const ks_group_rule *rule);

/* Parse a size_t option value; returns 0 or prints usage and returns 2. */
int agg_parse_size(const char *cmd, const char *opt, const char *val, size_t lo, size_t hi, size_t *out);

/* The set functions of the modalities linked into this binary. */
extern const ks_set_entry agg_set_fns[];
extern const size_t agg_set_nfns;

/* Print a number as JSON-ish text: NaN -> "-" in tables. */
void agg_fmt(char *buf, size_t len, double v, int prec);

/* Write text to path atomically, or to stdout when path is NULL or "-". */
int agg_write_text(const char *cmd, const char *path, const char *text, int force);

#endif
