/* cmd_set.c - `kitsch set`: how homogeneous is each set of works (a source,
 * a folder, a model's outputs), measured at one equal size. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agg_cli.h"
#include "cli.h"
#include "json.h"
#include "report.h"

const char cmd_set_help[] =
    "Usage: kitsch set [OPTIONS] INPUT...\n"
    "\n"
    "Set-level homogeneity from the descriptors in records (text MinHash and\n"
    "n-gram sketches, image palettes and layout grids, audio pitch-class and\n"
    "chord descriptors, video shot lengths). A set = the works of one source:\n"
    "their parent folder by default, or the first capture group of --group-by.\n"
    "Set measures change with set size, so every set is measured at the same\n"
    "N (default: the smallest set), as the mean over random subsamples, with a\n"
    "2.5-97.5 % interval over subsamples. INPUT is a records file, a summary\n"
    "(with descriptors) or a folder (analysed on the fly).\n"
    "\n"
    "Options:\n"
    "      --group-by REGEX  set of a work = first capture group of REGEX in its path\n"
    "      --n N             common set size (default: the smallest set)\n"
    "      --reps R          subsamples per set (default 20)\n"
    "      --format F        table (default), json or csv\n"
    "      --report FILE     also write an HTML report\n"
    "      --force           overwrite an existing report\n"
    "      --k K             records kept per set (default 5000; larger sets are\n"
    "                        represented by a uniform bottom-k sample)\n"
    "      --seed S          random seed (default fixed)\n"
    "\n"
    "Examples:\n"
    "  kitsch analyze corpus/ -o all.jsonl && kitsch set all.jsonl\n"
    "  kitsch set --group-by '/(human|[A-Za-z0-9.-]+b)/' all.jsonl --report sets.html\n";

static ks_json *set_json(const ks_set_group_result *res, size_t ng, size_t N)
{
    ks_json *o = ks_json_object(), *gs = ks_json_array();
    ks_json_set(o, "kind", ks_json_string("kitsch-set"));
    ks_json_set(o, "n_common", ks_json_integer((int64_t)N));
    for (size_t g = 0; g < ng; g++) {
        const ks_set_group_result *R = &res[g];
        ks_json *go = ks_json_object(), *ms = ks_json_object();
        ks_json_set(go, "set", ks_json_string(R->name));
        ks_json_set(go, "modality", ks_json_string(R->modality));
        ks_json_set(go, "records_ok", ks_json_integer(R->n_seen));
        ks_json_set(go, "records_usable", ks_json_integer(R->n_available));
        ks_json_set(go, "status", ks_json_string(R->status ? ks_error_code(R->status) : "ok"));
        ks_json_set(go, "note", ks_json_string(R->note));
        for (int k = 0; k < KS_NSETMETRICS; k++) {
            if (isnan(R->v[k].value))
                continue;
            ks_json *m = ks_json_object();
            ks_json_set(m, "value", ks_json_number(R->v[k].value));
            ks_json_set(m, "ci_lo", ks_json_number(R->v[k].ci_lo));
            ks_json_set(m, "ci_hi", ks_json_number(R->v[k].ci_hi));
            ks_json_set(m, "n", ks_json_integer(R->v[k].n));
            if (R->v[k].note[0])
                ks_json_set(m, "note", ks_json_string(R->v[k].note));
            ks_json_set(ms, ks_setmetrics[k].name, m);
        }
        ks_json_set(go, "metrics", ms);
        ks_json_append(gs, go);
    }
    ks_json_set(o, "sets", gs);
    return o;
}

int cmd_set(int argc, char **argv);
int cmd_set(int argc, char **argv)
{
    enum { O_GROUP = 256, O_N, O_REPS, O_FORMAT, O_REPORT, O_FORCE, O_K, O_SEED };
    static const struct option longopts[] = {
        {"group-by", required_argument, 0, O_GROUP}, {"n", required_argument, 0, O_N},
        {"reps", required_argument, 0, O_REPS}, {"format", required_argument, 0, O_FORMAT},
        {"report", required_argument, 0, O_REPORT}, {"force", no_argument, 0, O_FORCE},
        {"k", required_argument, 0, O_K}, {"seed", required_argument, 0, O_SEED}, {0, 0, 0, 0}};
    const char *group = NULL, *format = "table", *report = NULL;
    int force = 0, c, rc = 0;
    size_t k = 5000, tmp;
    ks_set_opts so = {0, 20, 20260428};
    char *end;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case O_GROUP: group = optarg; break;
        case O_N:
            if (agg_parse_size("set", "--n", optarg, 2, 100000000, &so.n))
                return 2;
            break;
        case O_REPS:
            if (agg_parse_size("set", "--reps", optarg, 1, 10000, &tmp))
                return 2;
            so.reps = (int)tmp;
            break;
        case O_FORMAT:
            format = optarg;
            if (strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "csv"))
                return cli_usage("set", "--format takes table, json or csv");
            break;
        case O_REPORT: report = optarg; break;
        case O_FORCE: force = 1; break;
        case O_K:
            if (agg_parse_size("set", "--k", optarg, 2, 10000000, &k))
                return 2;
            break;
        case O_SEED: so.seed = strtoull(optarg, &end, 10); break;
        case ':': return cli_usage("set", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("set", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("set", "no inputs");
    ks_group_rule rule;
    char err[300];
    if (group) {
        if (ks_group_rule_regex(&rule, group, err, sizeof err) < 0)
            return cli_usage("set", "--group-by: %s", err);
    } else {
        ks_group_rule_parent(&rule);
    }
    ks_summary *s = ks_summary_new(k, 1);
    for (int i = optind; i < argc && !rc; i++)
        rc = agg_read_into("set", s, argv[i], &rule);
    ks_set_group_result *res = NULL;
    size_t N = 0;
    if (!rc && s->ng == 0) {
        cli_error("set", "no records in the inputs");
        rc = 1;
    }
    if (!rc) {
        res = x_calloc(s->ng, sizeof *res);
        ks_set_measure(s, agg_set_fns, agg_set_nfns, &so, res, &N);
        if (strcmp(format, "json") == 0) {
            ks_json *j = set_json(res, s->ng, N);
            char *txt = ks_json_dumps(j, 1);
            printf("%s\n", txt);
            x_free(txt);
            ks_json_del(j);
        } else if (strcmp(format, "csv") == 0) {
            printf("set,modality,metric,value,ci_lo,ci_hi,n\n");
            for (size_t g = 0; g < s->ng; g++)
                for (int m = 0; m < KS_NSETMETRICS; m++)
                    if (!isnan(res[g].v[m].value))
                        printf("\"%s\",%s,%s,%.17g,%.17g,%.17g,%lld\n", res[g].name, res[g].modality,
                               ks_setmetrics[m].name, res[g].v[m].value, res[g].v[m].ci_lo, res[g].v[m].ci_hi,
                               (long long)res[g].v[m].n);
        } else {
            printf("all sets measured at equal N = %zu (mean of random subsamples; [2.5 %%, 97.5 %%] over subsamples)\n", N);
            for (size_t g = 0; g < s->ng; g++) {
                const ks_set_group_result *R = &res[g];
                printf("\n%s  (%s, %lld usable of %lld ok records)\n  %s\n", R->name, R->modality,
                       (long long)R->n_available, (long long)R->n_seen, R->note);
                for (int m = 0; m < KS_NSETMETRICS; m++) {
                    if (isnan(R->v[m].value))
                        continue;
                    char a[32], b[32], d[32];
                    agg_fmt(a, sizeof a, R->v[m].value, 4);
                    agg_fmt(b, sizeof b, R->v[m].ci_lo, 4);
                    agg_fmt(d, sizeof d, R->v[m].ci_hi, 4);
                    printf("  %-34s %10s  [%s, %s]  %s\n", ks_setmetrics[m].name, a, b, d, R->v[m].note);
                }
            }
        }
        if (report) {
            char *html = ks_report_set(res, s->ng, N, s);
            rc |= agg_write_text("set", report, html, force);
            x_free(html);
        }
    }
    x_free(res);
    ks_summary_del(s);
    ks_group_rule_free(&rule);
    return rc;
}
