/* cmd_merge.c - `kitsch merge`: combine shard outputs into what one run would
 * have produced (records, or summaries). */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agg_cli.h"
#include "cli.h"
#include "json.h"

const char cmd_merge_help[] =
    "Usage: kitsch merge [OPTIONS] INPUT... -o OUTPUT\n"
    "\n"
    "Combine the outputs of sharded runs. If the inputs are records files (from\n"
    "`kitsch analyze --shard I/N`), the output is one records file sorted by path\n"
    "(as a single run over a folder writes them), with duplicate paths dropped\n"
    "and counted. If they are summaries (from `kitsch summarize`), the output is\n"
    "the summary one run over all records would give (bottom-k samples merge\n"
    "exactly), usable by calibrate, compare and set.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   where to write ('-' = stdout; refuses to overwrite)\n"
    "      --force         overwrite\n"
    "\n"
    "Examples:\n"
    "  kitsch merge shard-*.jsonl -o all.jsonl\n"
    "  kitsch merge shard-*.summary.json -o all.summary.json\n";

typedef struct line_ent { char *path; char *line; size_t order; } line_ent;

static int cmp_line(const void *a, const void *b)
{
    const line_ent *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    return (x->order > y->order) - (x->order < y->order);
}

static int is_summary(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char head[256];
    size_t n = fread(head, 1, sizeof head - 1, f);
    head[n] = '\0';
    fclose(f);
    return strncmp(head, "{\"kind\":\"" KS_SUMMARY_KIND "\"", strlen("{\"kind\":\"" KS_SUMMARY_KIND "\"")) == 0;
}

int cmd_merge(int argc, char **argv);
int cmd_merge(int argc, char **argv)
{
    enum { O_FORCE = 256 };
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'}, {"force", no_argument, 0, O_FORCE}, {0, 0, 0, 0}};
    const char *out = NULL;
    int force = 0, c, rc = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case O_FORCE: force = 1; break;
        case ':': return cli_usage("merge", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("merge", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("merge", "no inputs");
    if (!out)
        return cli_usage("merge", "give the output with -o FILE ('-' = stdout)");
    int kind = is_summary(argv[optind]);
    if (kind < 0) {
        cli_error("merge", "%s: cannot open", argv[optind]);
        return 1;
    }
    for (int i = optind + 1; i < argc; i++)
        if (is_summary(argv[i]) != kind) {
            cli_error("merge", "%s: mix of summaries and records files; merge one kind at a time", argv[i]);
            return 1;
        }
    if (kind == 1) {
        ks_summary *all = NULL;
        char err[300];
        for (int i = optind; i < argc && !rc; i++) {
            FILE *f = fopen(argv[i], "rb");
            char *line = NULL;
            size_t cap = 0;
            ssize_t len = f ? getline(&line, &cap, f) : -1;
            ks_summary *s = NULL;
            if (len <= 0 || ks_summary_parse(line, (size_t)len, &s, err, sizeof err) < 0) {
                cli_error("merge", "%s: %s", argv[i], len <= 0 ? "empty or unreadable" : err);
                rc = 1;
            } else if (!all) {
                all = s;
                s = NULL;
            } else {
                if (s->k != all->k || s->keep_desc != all->keep_desc) {
                    cli_error("merge", "%s: summaries differ in k or descriptors; re-summarize with the same options",
                              argv[i]);
                    rc = 1;
                }
                ks_summary_merge(all, s);
            }
            ks_summary_del(s);
            free(line);
            if (f)
                fclose(f);
        }
        if (!rc) {
            char *txt = ks_summary_dump(all);
            size_t n = strlen(txt);
            txt = x_realloc(txt, n + 2);
            memcpy(txt + n, "\n", 2);
            rc = agg_write_text("merge", out, txt, force);
            x_free(txt);
        }
        ks_summary_del(all);
        return rc;
    }
    /* records: hold the lines (not parsed records), sort by path */
    line_ent *ents = NULL;
    size_t n = 0, capn = 0, order = 0;
    int64_t bad = 0;
    for (int i = optind; i < argc && !rc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            cli_error("merge", "%s: cannot open", argv[i]);
            rc = 1;
            break;
        }
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        while ((len = getline(&line, &cap, f)) > 0) {
            while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                line[--len] = '\0';
            if (!len)
                continue;
            char *path = NULL;
            int64_t seq;
            if (ks_record_peek(line, (size_t)len, &path, &seq) < 0) {
                bad++; /* a torn last line of an interrupted shard */
                continue;
            }
            if (n == capn) {
                capn = capn ? 2 * capn : 1024;
                ents = x_realloc(ents, capn * sizeof *ents);
            }
            ents[n].path = path;
            ents[n].line = x_strndup(line, (size_t)len);
            ents[n].order = order++;
            n++;
        }
        free(line);
        fclose(f);
    }
    if (!rc) {
        qsort(ents, n, sizeof *ents, cmp_line);
        FILE *o = cli_open_output("merge", out, force);
        if (!o) {
            rc = 1;
        } else {
            size_t dup = 0;
            for (size_t i = 0; i < n; i++) {
                if (i > 0 && strcmp(ents[i].path, ents[i - 1].path) == 0) {
                    dup++;
                    continue;
                }
                fputs(ents[i].line, o);
                fputc('\n', o);
            }
            if (fflush(o) != 0 || ferror(o)) {
                cli_error("merge", "write error");
                rc = 1;
            }
            if (o != stdout)
                fclose(o);
            if (dup)
                cli_error("merge", "%zu duplicate path(s) dropped (kept the first seen)", dup);
        }
    }
    if (bad)
        cli_error("merge", "%lld line(s) were not records and were skipped", (long long)bad);
    for (size_t i = 0; i < n; i++) {
        x_free(ents[i].path);
        x_free(ents[i].line);
    }
    x_free(ents);
    return rc;
}
