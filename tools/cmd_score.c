/* cmd_score.c - `kitsch score`: place each work against a reference profile
 * and say in plain words why it scores as it does. Streams records: memory
 * does not grow with the number of records. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agg_cli.h"
#include "cli.h"
#include "json.h"
#include "report.h"

const char cmd_score_help[] =
    "Usage: kitsch score [OPTIONS] INPUT...\n"
    "\n"
    "Score each work 0-100 against a reference profile. INPUT is a records file\n"
    "(JSON Lines from `kitsch analyze`, '-' = stdin) or a folder (analysed on the\n"
    "fly). Without --profile, each record is scored against the reference profile\n"
    "compiled in for its modality (built from human-made works by\n"
    "eval/build_profiles.sh).\n"
    "\n"
    "Per feature: the direction-adjusted percentile = share of the reference\n"
    "below the work's value (for features where higher = more kitsch) or above it\n"
    "(lower = more kitsch). Context features (length, duration...) are not scored.\n"
    "Facet scores (averaging, predictability) are the means of their features'\n"
    "percentiles; the kitsch score is 100 x the mean of the facets: 50 = typical\n"
    "of the reference, near 100 = more averaged and predictable than almost all of\n"
    "it. The top 3 reasons name the most extreme features. Features the work did\n"
    "not measure (NaN) or the profile lacks are skipped and counted, never zero.\n"
    "With a profile from `kitsch compare --fit`, learnt signs replace the theory\n"
    "directions and model_p gives the fitted model's probability of group B.\n"
    "\n"
    "Options:\n"
    "      --profile FILE   reference profile (kitsch calibrate / compare --fit)\n"
    "      --format F       jsonl (default: each record with a \"score\" object\n"
    "                       appended), csv, or table\n"
    "  -o, --output FILE    write there instead of stdout (refuses to overwrite)\n"
    "      --force          overwrite existing output files\n"
    "      --report FILE    also write an HTML report ranking the works\n"
    "\n"
    "Examples:\n"
    "  kitsch analyze stories/ -o stories.jsonl && kitsch score stories.jsonl --format table\n"
    "  kitsch score --profile mine.json stories.jsonl -o scored.jsonl\n"
    "  kitsch score examples/text --format csv\n";

enum { FMT_JSONL, FMT_CSV, FMT_TABLE };
#define KEEP 50 /* works kept at each end for the report */

typedef struct kept { ks_report_work w[2 * KEEP]; size_t n; } kept;

static void keep_work(kept *k, const char *path, const ks_score *sc)
{
    /* keep the KEEP highest and KEEP lowest scores: bounded memory */
    if (isnan(sc->score))
        return;
    ks_report_work *slot = NULL;
    if (k->n < 2 * KEEP) {
        slot = &k->w[k->n++];
    } else {
        /* replace the element closest to the median of the kept ones */
        size_t lo = 0, hi = 0;
        for (size_t i = 0; i < k->n; i++) {
            if (k->w[i].score < k->w[lo].score) lo = i;
            if (k->w[i].score > k->w[hi].score) hi = i;
        }
        double mid = 0.5 * (k->w[lo].score + k->w[hi].score);
        size_t m = 0;
        for (size_t i = 0; i < k->n; i++)
            if (fabs(k->w[i].score - mid) < fabs(k->w[m].score - mid)) m = i;
        if (fabs(sc->score - mid) <= fabs(k->w[m].score - mid))
            return;
        slot = &k->w[m];
        x_free(slot->path);
    }
    slot->path = x_strdup(path);
    slot->score = sc->score;
    slot->nreasons = sc->nreasons;
    for (int r = 0; r < sc->nreasons; r++)
        snprintf(slot->reasons[r], sizeof slot->reasons[r], "%s", sc->reasons[r].text);
}

static int cmp_work(const void *a, const void *b)
{
    const ks_report_work *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->path, y->path);
}

static ks_json *score_json(const ks_score *sc, const char *profile_name)
{
    ks_json *o = ks_json_object(), *rs = ks_json_array();
    ks_json_set(o, "kitsch", ks_json_number(sc->score));
    ks_json_set(o, "averaging", ks_json_number(sc->facet[KS_AVERAGING]));
    ks_json_set(o, "predictability", ks_json_number(sc->facet[KS_PREDICTABILITY]));
    ks_json_set(o, "model_p", ks_json_number(sc->model_p));
    ks_json_set(o, "features_scored", ks_json_integer(sc->n_scored));
    ks_json_set(o, "features_not_measured", ks_json_integer(sc->n_nan));
    ks_json_set(o, "features_not_in_profile", ks_json_integer(sc->n_unprofiled));
    ks_json_set(o, "profile", ks_json_string(profile_name));
    for (int r = 0; r < sc->nreasons; r++) {
        ks_json *e = ks_json_object();
        ks_json_set(e, "feature", ks_json_string(ks_features[sc->reasons[r].feature].name));
        ks_json_set(e, "adjusted_percentile", ks_json_number(100 * sc->reasons[r].adj));
        ks_json_set(e, "text", ks_json_string(sc->reasons[r].text));
        ks_json_append(rs, e);
    }
    ks_json_set(o, "reasons", rs);
    return o;
}

static void csv_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (;;) {
        size_t n = strcspn(s, "\"");
        fwrite(s, 1, n, f);
        if (!s[n])
            break;
        fputs("\"\"", f);
        s += n + 1;
    }
    fputc('"', f);
}

int cmd_score(int argc, char **argv);
int cmd_score(int argc, char **argv)
{
    enum { O_PROFILE = 256, O_FORMAT, O_FORCE, O_REPORT };
    static const struct option longopts[] = {
        {"profile", required_argument, 0, O_PROFILE}, {"format", required_argument, 0, O_FORMAT},
        {"output", required_argument, 0, 'o'}, {"force", no_argument, 0, O_FORCE},
        {"report", required_argument, 0, O_REPORT}, {0, 0, 0, 0}};
    const char *profile_path = NULL, *out_path = NULL, *report = NULL;
    int fmt = FMT_JSONL, force = 0, c, rc = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
        switch (c) {
        case O_PROFILE: profile_path = optarg; break;
        case O_FORMAT:
            if (strcmp(optarg, "jsonl") == 0) fmt = FMT_JSONL;
            else if (strcmp(optarg, "csv") == 0) fmt = FMT_CSV;
            else if (strcmp(optarg, "table") == 0) fmt = FMT_TABLE;
            else return cli_usage("score", "--format takes jsonl, csv or table");
            break;
        case 'o': out_path = optarg; break;
        case O_FORCE: force = 1; break;
        case O_REPORT: report = optarg; break;
        case ':': return cli_usage("score", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("score", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("score", "no inputs: give records files or folders");
    ks_profile *user = NULL;
    if (profile_path) {
        char err[300];
        if (ks_profile_load(profile_path, &user, err, sizeof err) < 0) {
            cli_error("score", "%s", err);
            return 1;
        }
    }
    FILE *out = cli_open_output("score", out_path, force);
    if (!out) {
        ks_profile_del(user);
        return 1;
    }
    kept *kp = report ? x_calloc(1, sizeof *kp) : NULL;
    int64_t total = 0, scored = 0, no_profile = 0, bad = 0;
    if (fmt == FMT_CSV)
        fprintf(out, "path,modality,status,kitsch,averaging,predictability,model_p,features_scored,"
                     "features_not_measured,features_not_in_profile,reason1,reason2,reason3\n");
    if (fmt == FMT_TABLE)
        fprintf(out, "%6s %6s %6s  %-40s %s\n", "kitsch", "avg", "pred", "work", "top reason");
    ks_record r;
    ks_record_init(&r);
    char *line = NULL;
    size_t cap = 0;
    for (int i = optind; i < argc && rc == 0; i++) {
        int tmp = 0;
        char *p = agg_input_open("score", argv[i], &tmp);
        if (!p) {
            rc = 1;
            break;
        }
        FILE *f = strcmp(p, "-") == 0 ? stdin : fopen(p, "rb");
        if (!f) {
            cli_error("score", "%s: cannot open", argv[i]);
            agg_input_done(p, tmp);
            rc = 1;
            break;
        }
        ssize_t len;
        char perr[200];
        while ((len = getline(&line, &cap, f)) > 0) {
            if (ks_record_read_line(line, (size_t)len, &r, perr, sizeof perr) < 0) {
                bad++;
                continue;
            }
            total++;
            const ks_profile *prof = user ? user : ks_profile_embedded(r.modality ? r.modality : "");
            ks_score sc;
            ks_score_record(prof, &r, &sc);
            if (!prof && r.status == KS_STATUS_OK)
                no_profile++;
            if (!isnan(sc.score))
                scored++;
            const char *pname = user ? profile_path : (prof ? "embedded" : "none");
            if (kp)
                keep_work(kp, r.path, &sc);
            if (fmt == FMT_JSONL) {
                ks_json *j = ks_record_to_json(&r);
                ks_json_set(j, "score", score_json(&sc, pname));
                char *txt = ks_json_dumps(j, 0);
                fputs(txt, out);
                fputc('\n', out);
                x_free(txt);
                ks_json_del(j);
            } else if (fmt == FMT_CSV) {
                csv_str(out, r.path);
                fprintf(out, ",%s,%s,%.17g,%.17g,%.17g,%.17g,%d,%d,%d", r.modality,
                        r.status == KS_STATUS_OK ? "ok" : "error", sc.score, sc.facet[KS_AVERAGING],
                        sc.facet[KS_PREDICTABILITY], sc.model_p, sc.n_scored, sc.n_nan, sc.n_unprofiled);
                for (int k = 0; k < 3; k++) {
                    fputc(',', out);
                    csv_str(out, k < sc.nreasons ? sc.reasons[k].text : "");
                }
                fputc('\n', out);
            } else {
                char a[16], b[16], d[16];
                agg_fmt(a, sizeof a, sc.score, 1);
                agg_fmt(b, sizeof b, 100 * sc.facet[KS_AVERAGING], 1);
                agg_fmt(d, sizeof d, 100 * sc.facet[KS_PREDICTABILITY], 1);
                const char *why = sc.nreasons ? sc.reasons[0].text
                                  : r.status != KS_STATUS_OK ? "(analysis failed)"
                                  : !prof ? "(no reference profile for this modality)" : "";
                fprintf(out, "%6s %6s %6s  %-40s %s\n", a, b, d, r.path, why);
            }
        }
        if (f != stdin)
            fclose(f);
        agg_input_done(p, tmp);
    }
    free(line);
    ks_record_clear(&r);
    if (fflush(out) != 0 || ferror(out)) {
        cli_error("score", "write error");
        rc = 1;
    }
    if (out != stdout)
        fclose(out);
    if (bad)
        cli_error("score", "%lld line(s) were not kitsch records and were skipped", (long long)bad);
    if (no_profile)
        cli_error("score", "%lld ok record(s) had no reference profile for their modality: score null "
                           "(give --profile, or build one with kitsch calibrate)", (long long)no_profile);
    fprintf(stderr, "kitsch score: %lld records, %lld scored\n", (long long)total, (long long)scored);
    if (kp) {
        qsort(kp->w, kp->n, sizeof kp->w[0], cmp_work);
        char *html = ks_report_score(kp->w, kp->n, total, user ? user->label : "embedded human reference");
        rc |= agg_write_text("score", report, html, force);
        x_free(html);
        for (size_t i = 0; i < kp->n; i++)
            x_free(kp->w[i].path);
        x_free(kp);
    }
    ks_profile_del(user);
    return rc;
}
