/* cmd_export.c - `kitsch export`: records (JSON Lines) flattened into a CSV
 * table, one row per record and one column per feature, for spreadsheets,
 * R, pandas or DuckDB. The columns come from the registry, never from a
 * list of names here. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

const char cmd_export_help[] =
    "Usage: kitsch export [OPTIONS] [RECORDS...]\n"
    "\n"
    "Flatten records (JSON Lines from `kitsch analyze` or `kitsch merge`; no file\n"
    "or '-' = stdin) into one CSV table (RFC 4180, UTF-8): a row per record, with\n"
    "columns path, modality, status, error_code, error_message, bytes, sha256,\n"
    "then one column per feature, named as in `kitsch features`, in registry\n"
    "order. A feature gets a column when the table holds a record of its\n"
    "modality or any record measured it. A feature that was not measured (null\n"
    "in the record) is an empty cell, never 0. Numbers are the shortest decimals\n"
    "that read back as exactly the same values. Descriptors (vectors for `kitsch set`)\n"
    "are not exported; scores are in `kitsch score --format csv`.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE    write there instead of stdout (refuses to overwrite)\n"
    "      --force          overwrite the output file\n"
    "      --modality M     only records of text, audio, image or video, and only\n"
    "                       the feature columns such records can have\n"
    "      --all-features   a column for every feature of the registry\n"
    "      --info           also the info fields (decode path, formats...)\n"
    "      --spreadsheet-safe  prefix ' to text cells that start with = + - @\n"
    "                       (file names are user input: keeps a spreadsheet from\n"
    "                       running them as formulas; changes the cell text)\n"
    "\n"
    "Examples:\n"
    "  kitsch export stories.jsonl -o stories.csv\n"
    "  kitsch analyze -q photos/ | kitsch export --modality image > photos.csv\n"
    "  python3 -c \"import pandas as pd; print(pd.read_csv('stories.csv').describe())\"\n"
    "  duckdb -c \"SELECT path, \\\"text.mattr50\\\" FROM 'stories.csv' ORDER BY 2\"\n";

typedef struct export_opts {
    const char *modality; /* NULL = all records */
    int all_features, info, safe;
} export_opts;

/* Read every line of f; for each, call fn(line, len, ctx, where). Returns
 * the first nonzero fn result, or 0. */
typedef int (*line_fn)(const char *line, size_t len, void *ctx, const char *src, long lineno);
static int for_each_line(FILE *f, const char *src, line_fn fn, void *ctx)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n == 0)
            continue;
        if ((rc = fn(line, (size_t)n, ctx, src, lineno)) != 0)
            break;
    }
    free(line); /* from getline: plain free */
    return rc;
}

/* ---- pass 1: check every line, learn which columns the table needs ---- */
typedef struct scan_ctx {
    const export_opts *o;
    unsigned char *col;     /* KS_NFEATURES flags */
    unsigned char *infocol; /* KS_NINFO flags */
    char mods[8][16];       /* modalities seen */
    int nmods;
    long rows;
} scan_ctx;

static int wanted(const ks_record *r, const export_opts *o)
{
    return !o->modality || (r->modality && strcmp(r->modality, o->modality) == 0);
}

static int scan_line(const char *line, size_t len, void *vctx, const char *src, long lineno)
{
    scan_ctx *c = vctx;
    ks_record r;
    char err[256];
    ks_record_init(&r);
    int rc = 0;
    if (ks_record_parse(line, len, &r, err, sizeof err) < 0) {
        cli_error("export", "%s:%ld: not a kitsch record: %s", src, lineno, err);
        rc = 1;
        goto done;
    }
    if (!wanted(&r, c->o))
        goto done;
    c->rows++;
    const char *m = r.modality ? r.modality : "";
    int seen = 0;
    for (int i = 0; i < c->nmods; i++)
        seen |= strcmp(c->mods[i], m) == 0;
    if (!seen && c->nmods < 8 && strlen(m) < sizeof c->mods[0])
        snprintf(c->mods[c->nmods++], sizeof c->mods[0], "%s", m);
    for (int i = 0; i < KS_NFEATURES; i++)
        if (!isnan(r.feat[i]))
            c->col[i] = 1;
    for (int i = 0; i < KS_NINFO; i++)
        if (r.info[i])
            c->infocol[i] = 1;
done:
    ks_record_clear(&r);
    return rc;
}

/* ---- pass 2: write the rows ---- */
typedef struct write_ctx {
    const export_opts *o;
    const unsigned char *col, *infocol;
    FILE *out;
} write_ctx;

/* One CSV cell: quoted when it holds a separator, quote or line break. */
static void csv_cell(FILE *f, const char *s, int safe)
{
    if (!s)
        return;
    int lead = safe && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
    if (!lead && !strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (lead)
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The shortest decimal that reads back as the same double (at most 17
 * significant digits): 0.1 stays 0.1, and nothing is lost. */
static void csv_num(FILE *f, double v)
{
    if (isnan(v) || isinf(v))
        return;
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, f);
}

static int write_line(const char *line, size_t len, void *vctx, const char *src, long lineno)
{
    write_ctx *c = vctx;
    ks_record r;
    char err[256];
    (void)src;
    (void)lineno;
    ks_record_init(&r);
    if (ks_record_parse(line, len, &r, err, sizeof err) == 0 && wanted(&r, c->o)) {
        FILE *f = c->out;
        csv_cell(f, r.path, c->o->safe);
        fputc(',', f);
        csv_cell(f, r.modality, 0);
        fputs(r.status == KS_STATUS_OK ? ",ok," : ",error,", f);
        if (r.status != KS_STATUS_OK) {
            csv_cell(f, ks_error_code(r.err), 0);
            fputc(',', f);
            csv_cell(f, r.err_msg, c->o->safe);
        } else {
            fputc(',', f);
        }
        fprintf(f, ",%lld,%s", (long long)r.bytes, r.sha256);
        for (int i = 0; i < KS_NFEATURES; i++)
            if (c->col[i]) {
                fputc(',', f);
                csv_num(f, r.feat[i]);
            }
        if (c->o->info)
            for (int i = 0; i < KS_NINFO; i++)
                if (c->infocol[i]) {
                    fputc(',', f);
                    csv_cell(f, r.info[i], c->o->safe);
                }
        fputc('\n', f);
    }
    ks_record_clear(&r);
    return 0;
}

int cmd_export(int argc, char **argv);
int cmd_export(int argc, char **argv)
{
    enum { O_FORCE = 256, O_MODALITY, O_ALL, O_INFO, O_SAFE };
    static const struct option longopts[] = {{"output", required_argument, 0, 'o'},
                                             {"force", no_argument, 0, O_FORCE},
                                             {"modality", required_argument, 0, O_MODALITY},
                                             {"all-features", no_argument, 0, O_ALL},
                                             {"info", no_argument, 0, O_INFO},
                                             {"spreadsheet-safe", no_argument, 0, O_SAFE},
                                             {0, 0, 0, 0}};
    export_opts o = {0};
    const char *out_path = NULL;
    int force = 0, c, rc = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out_path = optarg; break;
        case O_FORCE: force = 1; break;
        case O_MODALITY:
            if (!cli_valid_modality(optarg))
                return cli_usage("export", "--modality takes text, audio, image or video");
            o.modality = optarg;
            break;
        case O_ALL: o.all_features = 1; break;
        case O_INFO: o.info = 1; break;
        case O_SAFE: o.safe = 1; break;
        default: return cli_usage("export", "unknown option");
        }
    }
    const char *stdin_only[] = {"-"};
    const char *const *inputs = (const char *const *)argv + optind;
    size_t ninputs = (size_t)(argc - optind);
    if (ninputs == 0) {
        inputs = stdin_only;
        ninputs = 1;
    }

    unsigned char col[KS_NFEATURES] = {0}, infocol[KS_NINFO + 1] = {0};
    scan_ctx sc = {.o = &o, .col = col, .infocol = infocol};
    FILE **files = x_calloc(ninputs, sizeof *files);
    FILE *out = NULL;
    /* Two passes (columns first, then rows); stdin is spooled to a
     * temporary file so it can be read twice. */
    for (size_t i = 0; i < ninputs; i++) {
        if (strcmp(inputs[i], "-") == 0) {
            files[i] = tmpfile();
            if (!files[i]) {
                cli_error("export", "cannot make a temporary file for stdin");
                rc = 1;
                goto done;
            }
            char buf[65536];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
                fwrite(buf, 1, n, files[i]);
            rewind(files[i]);
        } else if (!(files[i] = fopen(inputs[i], "r"))) {
            cli_error("export", "cannot read %s", inputs[i]);
            rc = 1;
            goto done;
        }
        if (for_each_line(files[i], inputs[i], scan_line, &sc) != 0) {
            rc = 1;
            goto done;
        }
    }
    for (int i = 0; i < KS_NFEATURES; i++) {
        char mod[32];
        ks_feature_modality(i, mod, sizeof mod);
        int mod_present = 0;
        for (int k = 0; k < sc.nmods; k++)
            mod_present |= strcmp(sc.mods[k], mod) == 0;
        if (o.all_features || mod_present || (o.modality && strcmp(o.modality, mod) == 0))
            col[i] = 1;
    }

    if (!(out = cli_open_output("export", out_path, force))) {
        rc = 2;
        goto done;
    }
    fputs("path,modality,status,error_code,error_message,bytes,sha256", out);
    for (int i = 0; i < KS_NFEATURES; i++)
        if (col[i]) {
            fputc(',', out);
            csv_cell(out, ks_features[i].name, 0);
        }
    if (o.info)
        for (int i = 0; i < KS_NINFO; i++)
            if (infocol[i]) {
                fputc(',', out);
                csv_cell(out, ks_infos[i].name, 0);
            }
    fputc('\n', out);
    write_ctx wc = {.o = &o, .col = col, .infocol = infocol, .out = out};
    for (size_t i = 0; i < ninputs; i++) {
        rewind(files[i]);
        for_each_line(files[i], inputs[i], write_line, &wc);
    }
    if (fflush(out) != 0 || ferror(out)) {
        cli_error("export", "write error on %s", out_path ? out_path : "stdout");
        rc = 1;
    }
done:
    if (out && out != stdout)
        fclose(out);
    for (size_t i = 0; i < ninputs; i++)
        if (files[i])
            fclose(files[i]);
    x_free(files);
    if (rc == 0)
        fprintf(stderr, "kitsch export: %ld records\n", sc.rows);
    return rc;
}
