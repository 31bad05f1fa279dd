/* man.c - the kitsch(1) manual page, generated from the same declarations
 * the program runs on: the commands and their long help (commands.def and
 * each command's help text), the error codes (errors.def) and the whole
 * feature registry (features*.def). The build runs `kitsch --man` to write
 * kitsch.1, so the page cannot drift from the program. Output is man(7)
 * roff, ASCII only (non-ASCII as \[uXXXX]), clean under `mandoc -Tlint`. */
#define _POSIX_C_SOURCE 200809L
#include "man.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "kitsch.h"

static const struct {
    const char *name, *summary;
} man_commands[] = {
#define KS_COMMAND(name, fn, help, summary) {#name, summary},
#include "commands.def"
#undef KS_COMMAND
};

static const struct {
    const char *code, *meaning;
} man_errors[] = {
#define KS_ERROR(id, val, code, meaning) {code, meaning},
#include "errors.def"
#undef KS_ERROR
};

/* Decode one UTF-8 sequence at s (n bytes left); returns its length and the
 * code point in *cp, or 1 and U+FFFD for a malformed byte. */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned long *cp)
{
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
    if (len > n || s[0] < 0xC0 || s[0] > 0xF4) {
        *cp = 0xFFFD;
        return 1;
    }
    unsigned long c = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    *cp = c;
    return len;
}

/* Write text escaped for roff. literal: '-' becomes \- (a minus sign that
 * survives copy and paste, for options and commands). A line must not start
 * with a control character, so '.' and '\'' at a line start get \&. */
static void put_escaped(FILE *f, const char *text, size_t n, int literal)
{
    const unsigned char *s = (const unsigned char *)text;
    int bol = 1;
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (bol && (c == '.' || c == '\''))
            fputs("\\&", f);
        bol = c == '\n';
        if (c >= 0x80) {
            unsigned long cp;
            i += utf8_next(s + i, n - i, &cp);
            fprintf(f, "\\[u%04lX]", cp);
            continue;
        }
        if (c == '\\')
            fputs("\\e", f);
        else if (c == '-' && literal)
            fputs("\\-", f);
        else if (c == '\t')
            fputs("        ", f);
        else if (c >= 0x20 || c == '\n')
            fputc(c, f);
        i++;
    }
}

static void put_lit(FILE *f, const char *s) { put_escaped(f, s, strlen(s), 1); }

/* Filled prose: break source lines at spaces near 64 bytes (lint wants
 * input lines under 80, and escapes grow a few characters). */
static void put_text(FILE *f, const char *s)
{
    size_t col = 0;
    while (*s) {
        size_t w = strcspn(s, " ");
        if (col > 0 && col + 1 + w > 64) {
            fputc('\n', f);
            col = 0;
        } else if (col > 0) {
            fputc(' ', f);
            col++;
        }
        put_escaped(f, s, w, 0);
        col += w;
        s += w;
        while (*s == ' ')
            s++;
    }
}

/* A command's long help is preformatted plain text: keep its layout in a
 * no-fill block, with blank lines as .sp (a blank line in roff is an error
 * in lint's eyes). */
static void put_preformatted(FILE *f, const char *help)
{
    fputs(".RS 4\n.nf\n", f);
    const char *p = help;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n > 0 && p[n - 1] == ' ')
            n--;
        if (n == 0) {
            fputs(".sp\n", f);
        } else {
            put_escaped(f, p, n, 1);
            fputc('\n', f);
        }
        p += e ? (size_t)(e - p) + 1 : strlen(p);
    }
    fputs(".fi\n.RE\n", f);
}

static const char *direction_words(int dir)
{
    return dir > 0 ? "higher = more kitsch" : dir < 0 ? "lower = more kitsch" : "context, not scored";
}

static void put_features(FILE *f)
{
    char mod[32], last[32] = "";
    for (int i = 0; i < KS_NFEATURES; i++) {
        ks_feature_modality(i, mod, sizeof mod);
        if (strcmp(mod, last) != 0) {
            fputs(".SS ", f);
            put_text(f, mod);
            fputc('\n', f);
            snprintf(last, sizeof last, "%s", mod);
        }
        const ks_feature_def *d = &ks_features[i];
        fputs(".TP\n.B ", f);
        put_text(f, d->name);
        fputc('\n', f);
        put_text(f, d->meaning);
        fputs(".\n.br\n", f);
        char line[2048];
        char facet[64] = "context, reported and not scored";
        if (d->direction != 0)
            snprintf(facet, sizeof facet, "facet: %s; %s", ks_facet_name(d->facet), direction_words(d->direction));
        snprintf(line, sizeof line, "Unit: %s; %s%s%s.", d->unit, facet, d->cite && *d->cite ? "; source: " : "",
                 d->cite ? d->cite : "");
        put_text(f, line);
        fputc('\n', f);
    }
}

static void put_set_metrics(FILE *f)
{
    for (int i = 0; i < KS_NSETMETRICS; i++) {
        const ks_setmetric_def *d = &ks_setmetrics[i];
        fputs(".TP\n.B ", f);
        put_text(f, d->name);
        fputc('\n', f);
        put_text(f, d->meaning);
        fputs(".\n.br\n", f);
        char line[2048];
        snprintf(line, sizeof line, "Unit: %s; %s%s%s.", d->unit, direction_words(d->direction),
                 d->cite && *d->cite ? "; source: " : "", d->cite ? d->cite : "");
        put_text(f, line);
        fputc('\n', f);
    }
}

static void put_date(FILE *f)
{
    /* Reproducible builds set SOURCE_DATE_EPOCH; otherwise today. */
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (!*end && v >= 0)
            t = (time_t)v;
    }
    struct tm tm;
    char buf[32] = "1970-01-01";
    if (gmtime_r(&t, &tm))
        strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    fputs(buf, f);
}

int ks_man_page(FILE *f, const char *datadir)
{
    const size_t ncmd = sizeof man_commands / sizeof man_commands[0];
    if (!datadir || !*datadir)
        datadir = "/usr/local/share/kitsch";

    fputs(".\\\" kitsch.1 - generated by `kitsch --man` from commands.def, errors.def and\n"
          ".\\\" the feature registry (common/features*.def). Do not edit: rebuild.\n",
          f);
    fputs(".TH KITSCH 1 ", f);
    put_date(f);
    fprintf(f, " \"kitsch %s\" \"User Commands\"\n", KS_TOOL_VERSION);

    fputs(".SH NAME\nkitsch \\- measure how averaged, conventional and predictable creative works are\n", f);

    fputs(".SH SYNOPSIS\n"
          ".B kitsch\n.I command\n.RI [ options ]\n.RI [ arguments ]\n.PP\n"
          ".B kitsch help\n.I command\n.PP\n"
          ".B kitsch\n.BR \\-\\-help \" | \" \\-\\-version\n",
          f);

    fputs(".SH DESCRIPTION\n"
          ".B kitsch\n"
          "measures texts, songs, images and videos for the marks of kitsch the paper\n"
          "\"LLMs Generate Kitsch\" (arXiv:2604.25929) describes: works that are averaged\n"
          "(close to the typical, the shared palette, the common template) and predictable\n"
          "(redundant, repetitive, low in surprise).\n"
          "Every feature is computed from the work's own signal by a named, cited\n"
          "method (see FEATURES).\n"
          ".PP\n"
          ".B kitsch analyze\n"
          "writes one JSON record per input file (JSON Lines).\n"
          "The other commands read records:\n"
          ".B score\n"
          "ranks works against a human-made reference profile,\n"
          ".B compare\n"
          "tests which features separate two groups (e.g. human and AI),\n"
          ".B set\n"
          "measures how alike the works of a set are.\n"
          "Large collections are measured in shards\n"
          "(\\fBkitsch analyze \\-\\-shard\\fP \\fII\\fP/\\fIN\\fP)\n"
          "on Slurm, Dask or any batch system and\n"
          "joined with\n"
          ".BR \"kitsch merge\" ;\n"
          "for Slurm, the installed script\n"
          ".B kitsch\\-slurm\n"
          "submits the job array and the merge (\\fBkitsch\\-slurm \\-\\-help\\fP).\n",
          f);

    fputs(".SH COMMANDS\n", f);
    for (size_t i = 0; i < ncmd; i++) {
        fputs(".TP\n.B ", f);
        put_lit(f, man_commands[i].name);
        fputc('\n', f);
        put_text(f, man_commands[i].summary);
        fputc('\n', f);
    }
    fputs(".TP\n.B help\nshow the help of a command (as in the sections below)\n", f);
    for (size_t i = 0; i < ncmd; i++) {
        const char *help = cli_help_text(man_commands[i].name);
        fputs(".SS \"kitsch ", f);
        put_lit(f, man_commands[i].name);
        fputs("\"\n", f);
        if (help)
            put_preformatted(f, help);
    }

    fputs(".SH RECORDS\n"
          "Each line of the output of\n"
          ".B kitsch analyze\n"
          "is one JSON object:\n"
          ".BR schema \" (\" " KS_SCHEMA " \"),\"\n"
          ".BR tool ,\n"
          ".BR seq ,\n"
          ".BR path ,\n"
          ".BR bytes ,\n"
          ".BR sha256 ,\n"
          ".BR modality ,\n"
          ".B status\n"
          "(ok or error),\n"
          ".B error\n"
          "(code and message),\n"
          ".B features\n"
          "(name: number, or null when not measured),\n"
          ".B descriptors\n"
          "(name: list of numbers, for the set measures),\n"
          ".BR info ,\n"
          ".B elapsed_ms\n"
          "and\n"
          ".B config\n"
          "(a hash of the options that change results).\n"
          ".B kitsch schema\n"
          "prints the JSON Schema, also installed as\n.IR ",
          f);
    put_lit(f, datadir);
    fputs("/kitsch.schema.json .\n"
          "To load records elsewhere: pandas.read_json(FILE, lines=True),\n"
          "DuckDB read_json_auto(FILE); for a CSV table with a column per\n"
          "feature, \\fBkitsch export\\fP; for scores,\n"
          "\\fBkitsch score \\-\\-format csv\\fP.\n",
          f);

    fputs(".SH FEATURES\n"
          "One entry per feature, from the registry. The facet says what a feature\n"
          "measures: averaging (closeness to the typical) or predictability; context\n"
          "features (length, duration, resolution) are reported, never scored.\n"
          "The direction says which way is more kitsch.\n",
          f);
    put_features(f);

    fputs(".SH SET MEASURES\n"
          "Computed by\n.B kitsch set\n"
          "over whole sets, at equal set sizes.\n",
          f);
    put_set_metrics(f);

    fputs(".SH EXIT STATUS\n"
          ".TP\n.B 0\nevery input was measured\n"
          ".TP\n.B 1\nsome inputs failed; each has a record with status error\n"
          ".TP\n.B 2\nusage error\n"
          ".TP\n.B 130\ninterrupted; the output is valid (continue with \\fB\\-\\-resume\\fP)\n",
          f);

    fputs(".SH ERRORS\n"
          "A record with status error carries one of these codes in\n.BR error.code :\n",
          f);
    for (size_t i = 0; i < sizeof man_errors / sizeof man_errors[0]; i++) {
        fputs(".TP\n.B ", f);
        put_text(f, man_errors[i].code);
        fputc('\n', f);
        put_text(f, man_errors[i].meaning);
        fputc('\n', f);
    }

    fputs(".SH FILES\n.TP\n.I ", f);
    put_lit(f, datadir);
    fputs("/kitsch.schema.json\n"
          "the JSON Schema of a record (as printed by \\fBkitsch schema\\fP)\n"
          ".TP\n.I ",
          f);
    put_lit(f, datadir);
    fputs("/lexicon_default.tsv\n"
          "the over-used phrase lexicon compiled into the text analyzer\n"
          "(a starting point for \\fB\\-\\-lexicon\\fP)\n"
          ".TP\n.I ",
          f);
    put_lit(f, datadir);
    fputs("/profiles/\n"
          "the human-made reference profiles compiled into \\fBkitsch score\\fP\n",
          f);

    fputs(".SH EXAMPLES\n"
          ".nf\n"
          "kitsch analyze \\-o human.jsonl stories/human/\n"
          "kitsch analyze \\-o ai.jsonl stories/ai/\n"
          "kitsch score ai.jsonl \\-\\-format table\n"
          "kitsch compare human.jsonl ai.jsonl \\-\\-report compare.html\n"
          "kitsch\\-slurm \\-n 64 \\-\\-compare human.jsonl ai.list run1\n"
          ".fi\n",
          f);

    fputs(".SH SEE ALSO\n"
          "\\fBkitsch\\-slurm \\-\\-help\\fP (Slurm job arrays),\n"
          "the guides slurm.md, dask.md and export.md (in share/doc/kitsch\n"
          "and in the source tree's docs/),\n"
          ".BR sbatch (1),\n"
          ".BR jq (1)\n",
          f);
    return ferror(f) ? KS_E_IO : 0;
}
