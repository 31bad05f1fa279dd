/* cli.h - helpers shared by the kitsch subcommands (tools/ is the only code
 * that talks to the user). */
#ifndef KITSCH_CLI_H
#define KITSCH_CLI_H

#include <stdio.h>
#include "kitsch.h"

/* Print "kitsch CMD: message" and a pointer to the help; returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Print "kitsch CMD: message" to stderr (no exit). */
void cli_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The long help of a command, or NULL. */
const char *cli_help_text(const char *cmd);
/* Print the long help of cmd to stdout; returns 0. */
int cli_print_help(const char *cmd);
/* Parse "I/N" (0 <= I < N); returns 0 or -1. */
int cli_parse_shard(const char *s, unsigned *i, unsigned *n);
/* Shard of a path: stable across machines and releases (ks_hash64). */
unsigned cli_shard_of(const char *path, unsigned n);
/* Open an output file for writing: refuses to overwrite an existing file
 * unless force. "-" or NULL = stdout. Returns NULL with a message printed. */
FILE *cli_open_output(const char *cmd, const char *path, int force);
/* Seconds on a monotonic clock. */
double cli_now(void);
/* Is this path the analyzer-facing modality name? */
int cli_valid_modality(const char *m);

/* Analyze paths and write records to out_path ("-" = stdout). The engine
 * behind `kitsch analyze`, also used by `kitsch compare DIR_A DIR_B`.
 * Returns 0 (all ok), 1 (some inputs failed), 2 (usage), 130 (interrupted). */
typedef struct ks_run_opts {
    ks_options opt;
    int jobs;            /* worker processes; <= 0: number of cores */
    int quiet;
    int progress_jsonl;
    int force;
    const char *resume;  /* output file to resume, or NULL */
    unsigned shard_i, shard_n; /* shard_n == 0: no sharding */
    double timeout_s[5]; /* per modality: unknown, text, audio, image, video; video is per minute of media */
    int64_t max_memory;  /* RLIMIT_AS per worker, bytes; 0 = unlimited */
    int no_sandbox;
    int in_process;      /* analyse in the calling process: no isolation at all */
} ks_run_opts;
void ks_run_opts_default(ks_run_opts *o);
int ks_run_analyze(const char *const *paths, size_t npaths, const char *files_from, const ks_run_opts *o,
                   const char *out_path);

#endif
