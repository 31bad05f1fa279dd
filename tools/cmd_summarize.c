/* cmd_summarize.c - `kitsch summarize`: a mergeable summary of records, one
 * per shard; `kitsch merge` combines them exactly. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agg_cli.h"
#include "cli.h"

const char cmd_summarize_help[] =
    "Usage: kitsch summarize [OPTIONS] INPUT... -o SUMMARY.json\n"
    "\n"
    "Reduce records to a mergeable summary: per group (the source of each work:\n"
    "its parent folder, or --group-by, or one --label), exact counts and a\n"
    "uniform bottom-k sample of records (the k with the smallest hash of path and\n"
    "content). Summaries of shards merge exactly with `kitsch merge`, and\n"
    "`kitsch calibrate`, `compare` and `set` accept summaries in place of records,\n"
    "giving the same results as one run over all records.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE     summary to write ('-' = stdout; refuses to overwrite)\n"
    "      --force           overwrite\n"
    "      --group-by REGEX  group by the first capture group of REGEX in the path\n"
    "      --label NAME      put every record into one group NAME\n"
    "      --k K             records kept per group (default 20000)\n"
    "      --no-descriptors  drop descriptors (smaller; then `kitsch set` cannot use it)\n"
    "\n"
    "Examples:\n"
    "  kitsch summarize shard-0.jsonl -o shard-0.summary.json\n"
    "  kitsch merge shard-*.summary.json -o all.summary.json\n"
    "  kitsch set all.summary.json\n";

int cmd_summarize(int argc, char **argv);
int cmd_summarize(int argc, char **argv)
{
    enum { O_FORCE = 256, O_GROUP, O_LABEL, O_K, O_NODESC };
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'}, {"force", no_argument, 0, O_FORCE},
        {"group-by", required_argument, 0, O_GROUP}, {"label", required_argument, 0, O_LABEL},
        {"k", required_argument, 0, O_K}, {"no-descriptors", no_argument, 0, O_NODESC}, {0, 0, 0, 0}};
    const char *out = NULL, *group = NULL, *label = NULL;
    int force = 0, keep = 1, c, rc = 0;
    size_t k = 20000;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case O_FORCE: force = 1; break;
        case O_GROUP: group = optarg; break;
        case O_LABEL: label = optarg; break;
        case O_K:
            if (agg_parse_size("summarize", "--k", optarg, 2, 100000000, &k))
                return 2;
            break;
        case O_NODESC: keep = 0; break;
        case ':': return cli_usage("summarize", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("summarize", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("summarize", "no inputs");
    if (!out)
        return cli_usage("summarize", "give the summary to write with -o FILE ('-' = stdout)");
    if (group && label)
        return cli_usage("summarize", "--group-by and --label exclude each other");
    ks_group_rule rule;
    char err[300];
    if (group) {
        if (ks_group_rule_regex(&rule, group, err, sizeof err) < 0)
            return cli_usage("summarize", "--group-by: %s", err);
    } else if (label) {
        ks_group_rule_fixed(&rule, label);
    } else {
        ks_group_rule_parent(&rule);
    }
    ks_summary *s = ks_summary_new(k, keep);
    for (int i = optind; i < argc && !rc; i++)
        rc = agg_read_into("summarize", s, argv[i], &rule);
    if (!rc) {
        char *txt = ks_summary_dump(s);
        size_t n = strlen(txt);
        txt = x_realloc(txt, n + 2);
        memcpy(txt + n, "\n", 2);
        rc = agg_write_text("summarize", out, txt, force);
        x_free(txt);
    }
    ks_summary_del(s);
    ks_group_rule_free(&rule);
    return rc;
}
