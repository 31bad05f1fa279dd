/* cmd_compare.c - `kitsch compare A B`: which features separate two groups of
 * works (e.g. human vs AI), by how much, how surely, and can a combined model
 * tell them apart better than length alone. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agg_cli.h"
#include "cli.h"
#include "json.h"
#include "report.h"

const char cmd_compare_help[] =
    "Usage: kitsch compare [OPTIONS] A B\n"
    "\n"
    "Compare two groups of works feature by feature. A and B are each a records\n"
    "file (JSON Lines from `kitsch analyze`), a summary from `kitsch summarize`\n"
    "or `kitsch merge`, or a folder (analysed on the fly). Put the reference\n"
    "(e.g. human-made works) in A and the group suspected of kitsch (e.g. AI) in B.\n"
    "\n"
    "Per feature: n, medians, Cliff's delta of B vs A with a bootstrap 95 % CI,\n"
    "AUROC = P(B > A), Mann-Whitney p and Benjamini-Hochberg q. 'data' shows the\n"
    "sign the data supports (+ B higher, - B lower, 0 CI includes 0); '!' marks a\n"
    "feature whose data sign contradicts the registry's theory direction.\n"
    "\n"
    "Combined model: L2-regularised logistic regression on standardised\n"
    "directional features, k-fold cross-validated AUROC (folds grouped by pair id\n"
    "with --paired-by). Beside it, each context feature (words, duration,\n"
    "resolution) alone: if length alone separates the groups as well as the\n"
    "model, the difference may be length, not kitsch.\n"
    "\n"
    "Groups larger than --k records are compared on a uniform bottom-k sample\n"
    "(the same one a sharded run keeps); the output says so.\n"
    "\n"
    "Options:\n"
    "      --label-a NAME     name of group A (default: human)\n"
    "      --label-b NAME     name of group B (default: ai)\n"
    "      --paired-by REGEX  pair works by the first capture group of REGEX in the\n"
    "                         path (e.g. '/(p[0-9]+)\\.txt$'); adds the Wilcoxon\n"
    "                         signed-rank test on per-pair mean differences\n"
    "      --format F         table (default), json or csv on stdout\n"
    "      --report FILE      also write a self-contained HTML report\n"
    "      --fit              save the fitted model, learnt signs and A's quantiles\n"
    "  -o, --output FILE      profile file for --fit (refuses to overwrite)\n"
    "      --force            overwrite existing output files\n"
    "      --folds K          cross-validation folds (default 5)\n"
    "      --lambda L         L2 penalty (default 1)\n"
    "      --boot R           bootstrap resamples for the delta CI (default 1000)\n"
    "      --k K              per-group sample size (default 20000)\n"
    "      --with-context     let context features (length...) enter the model\n"
    "      --exclude REGEX    leave out features whose name matches (e.g. 'lexicon'\n"
    "                         when the lexicon was mined on the same works)\n"
    "      --seed S           random seed (default fixed: results are reproducible)\n"
    "\n"
    "Examples:\n"
    "  kitsch compare human.jsonl ai.jsonl\n"
    "  kitsch compare --paired-by '/(p[0-9]+)\\.txt$' human.jsonl ai.jsonl --report cmp.html\n"
    "  kitsch compare human.jsonl ai.jsonl --fit -o myprofile.json\n"
    "  kitsch score new.jsonl --profile myprofile.json\n";

static ks_json *compare_json(const ks_cmp_result *c, const ks_sample *a, const ks_sample *b, const char *la,
                             const char *lb)
{
    ks_json *o = ks_json_object(), *rows = ks_json_array();
    ks_json_set(o, "kind", ks_json_string("kitsch-compare"));
    ks_json_set(o, "label_a", ks_json_string(la));
    ks_json_set(o, "label_b", ks_json_string(lb));
    ks_json_set(o, "n_a", ks_json_integer(a->ok));
    ks_json_set(o, "n_b", ks_json_integer(b->ok));
    ks_json_set(o, "errors_a", ks_json_integer(a->errors));
    ks_json_set(o, "errors_b", ks_json_integer(b->errors));
    ks_json_set(o, "sampled_a", ks_json_integer((int64_t)c->na_used));
    ks_json_set(o, "sampled_b", ks_json_integer((int64_t)c->nb_used));
    ks_json_set(o, "paired", ks_json_bool(c->paired));
    ks_json_set(o, "delta_ci_method", ks_json_string(c->ci_delong ? "DeLong asymptotic (large groups)" : "percentile bootstrap"));
    if (c->paired)
        ks_json_set(o, "pair_ids", ks_json_integer((int64_t)c->npair_ids));
    for (size_t i = 0; i < c->nrows; i++) {
        const ks_cmp_row *r = &c->rows[i];
        ks_json *ro = ks_json_object();
        ks_json_set(ro, "feature", ks_json_string(ks_features[r->feature].name));
        ks_json_set(ro, "direction", ks_json_integer(ks_features[r->feature].direction));
        ks_json_set(ro, "n_a", ks_json_integer(r->na));
        ks_json_set(ro, "n_b", ks_json_integer(r->nb));
        ks_json_set(ro, "median_a", ks_json_number(r->med_a));
        ks_json_set(ro, "median_b", ks_json_number(r->med_b));
        ks_json_set(ro, "cliff_delta", ks_json_number(r->delta));
        ks_json_set(ro, "delta_ci95", ks_json_array());
        ks_json_append(ks_json_get(ro, "delta_ci95"), ks_json_number(r->delta_lo));
        ks_json_append(ks_json_get(ro, "delta_ci95"), ks_json_number(r->delta_hi));
        ks_json_set(ro, "auroc", ks_json_number(r->auroc));
        ks_json_set(ro, "p_mannwhitney", ks_json_number(r->p));
        ks_json_set(ro, "q_bh", ks_json_number(r->q));
        if (c->paired) {
            ks_json_set(ro, "pairs", ks_json_integer(r->npairs));
            ks_json_set(ro, "p_wilcoxon", ks_json_number(r->p_paired));
            ks_json_set(ro, "q_wilcoxon_bh", ks_json_number(r->q_paired));
        }
        ks_json_set(ro, "data_sign", ks_json_integer(r->data_sign));
        ks_json_set(ro, "disagrees_with_theory", ks_json_bool(r->disagrees));
        ks_json_append(rows, ro);
    }
    ks_json_set(o, "features", rows);
    ks_json *m = ks_json_object(), *terms = ks_json_array();
    ks_json_set(m, "cv_auroc", ks_json_number(c->cv_auroc));
    ks_json_set(m, "folds", ks_json_integer(c->kfolds));
    ks_json_set(m, "grouped_by_pair", ks_json_bool(c->paired));
    ks_json_set(m, "lambda", ks_json_number(c->lambda));
    for (size_t j = 0; j < c->model_k; j++) {
        ks_json *t = ks_json_object();
        ks_json_set(t, "feature", ks_json_string(ks_features[c->model_ids[j]].name));
        ks_json_set(t, "weight", ks_json_number(c->model_w[j]));
        ks_json_append(terms, t);
    }
    ks_json_set(m, "terms", terms);
    ks_json_set(o, "model", m);
    ks_json *conf = ks_json_array();
    for (size_t j = 0; j < c->nconf; j++) {
        ks_json *t = ks_json_object();
        ks_json_set(t, "feature", ks_json_string(ks_features[c->conf_ids[j]].name));
        ks_json_set(t, "auroc", ks_json_number(c->conf_auroc[j]));
        ks_json_set(t, "cv_auroc", ks_json_number(c->conf_cv_auroc[j]));
        ks_json_append(conf, t);
    }
    ks_json_set(o, "context_alone", conf);
    return o;
}

static void print_table(FILE *f, const ks_cmp_result *c, const ks_sample *a, const ks_sample *b, const char *la,
                        const char *lb)
{
    fprintf(f, "A = %s: %lld ok records (%lld errors); B = %s: %lld ok (%lld errors)\n", la, (long long)a->ok,
            (long long)a->errors, lb, (long long)b->ok, (long long)b->errors);
    if ((int64_t)c->na_used < a->ok || (int64_t)c->nb_used < b->ok)
        fprintf(f, "statistics on uniform bottom-k samples: %zu of A, %zu of B\n", c->na_used, c->nb_used);
    if (c->paired)
        fprintf(f, "paired by pattern: %zu pair ids; Wilcoxon on per-pair mean differences\n", c->npair_ids);
    fprintf(f, "delta CI: %s\n", c->ci_delong ? "DeLong asymptotic (groups too large for a cheap bootstrap)"
                                               : "percentile bootstrap");
    fprintf(f, "\n%-28s %3s %6s %6s %10s %10s %7s %17s %6s %9s %9s", "feature", "dir", "n_A", "n_B",
            "median_A", "median_B", "delta", "95% CI", "AUROC", "p", "q");
    if (c->paired)
        fprintf(f, " %5s %9s %9s", "pairs", "p_pair", "q_pair");
    fprintf(f, " data\n");
    for (size_t i = 0; i < c->nrows; i++) {
        const ks_cmp_row *r = &c->rows[i];
        char ci[40];
        snprintf(ci, sizeof ci, "[%+.3f,%+.3f]", r->delta_lo, r->delta_hi);
        fprintf(f, "%-28s %+3d %6lld %6lld %10.4g %10.4g %+7.3f %17s %6.3f %9.2e %9.2e", ks_features[r->feature].name,
                ks_features[r->feature].direction, (long long)r->na, (long long)r->nb, r->med_a, r->med_b, r->delta,
                ci, r->auroc, r->p, r->q);
        if (c->paired)
            fprintf(f, " %5lld %9.2e %9.2e", (long long)r->npairs, r->p_paired, r->q_paired);
        fprintf(f, " %s%s\n", r->data_sign > 0 ? "+" : r->data_sign < 0 ? "-" : "0",
                r->disagrees ? " ! data contradicts theory" : "");
    }
    fprintf(f, "\ncombined model (L2 logistic, %zu directional features, %d-fold CV%s): AUROC %.3f\n", c->model_k,
            c->kfolds, c->paired ? " grouped by pair id" : "", c->cv_auroc);
    for (size_t j = 0; j < c->nconf; j++)
        fprintf(f, "  context alone: %-22s AUROC %.3f (P(B>A)), cross-validated %.3f\n",
                ks_features[c->conf_ids[j]].name, c->conf_auroc[j], c->conf_cv_auroc[j]);
}

static void print_csv(FILE *f, const ks_cmp_result *c)
{
    fprintf(f, "feature,direction,n_a,n_b,median_a,median_b,cliff_delta,delta_lo,delta_hi,auroc,p,q,pairs,p_wilcoxon,"
               "q_wilcoxon,data_sign,disagrees\n");
    for (size_t i = 0; i < c->nrows; i++) {
        const ks_cmp_row *r = &c->rows[i];
        fprintf(f, "%s,%d,%lld,%lld,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%lld,%.17g,%.17g,%d,%d\n",
                ks_features[r->feature].name, ks_features[r->feature].direction, (long long)r->na, (long long)r->nb,
                r->med_a, r->med_b, r->delta, r->delta_lo, r->delta_hi, r->auroc, r->p, r->q, (long long)r->npairs,
                r->p_paired, r->q_paired, r->data_sign, r->disagrees);
    }
    fprintf(f, "#model_cv_auroc,%.17g\n", c->cv_auroc);
    for (size_t j = 0; j < c->nconf; j++)
        fprintf(f, "#context_alone,%s,%.17g,%.17g\n", ks_features[c->conf_ids[j]].name, c->conf_auroc[j],
                c->conf_cv_auroc[j]);
}

int cmd_compare(int argc, char **argv);
int cmd_compare(int argc, char **argv)
{
    enum { O_LA = 256, O_LB, O_PAIR, O_FORMAT, O_REPORT, O_FIT, O_FORCE, O_FOLDS, O_LAMBDA, O_BOOT, O_K, O_CTX, O_SEED, O_EXCL };
    static const struct option longopts[] = {
        {"label-a", required_argument, 0, O_LA}, {"label-b", required_argument, 0, O_LB},
        {"paired-by", required_argument, 0, O_PAIR}, {"format", required_argument, 0, O_FORMAT},
        {"report", required_argument, 0, O_REPORT}, {"fit", no_argument, 0, O_FIT},
        {"output", required_argument, 0, 'o'}, {"force", no_argument, 0, O_FORCE},
        {"folds", required_argument, 0, O_FOLDS}, {"lambda", required_argument, 0, O_LAMBDA},
        {"boot", required_argument, 0, O_BOOT}, {"k", required_argument, 0, O_K},
        {"with-context", no_argument, 0, O_CTX}, {"seed", required_argument, 0, O_SEED},
        {"exclude", required_argument, 0, O_EXCL},
        {0, 0, 0, 0}};
    const char *la = "human", *lb = "ai", *pair = NULL, *excl = NULL, *format = "table", *report = NULL, *out = NULL;
    int fit = 0, force = 0, c, rc = 0;
    size_t k = 20000, tmp;
    ks_cmp_opts co;
    ks_cmp_opts_default(&co);
    char *end;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
        switch (c) {
        case O_LA: la = optarg; break;
        case O_LB: lb = optarg; break;
        case O_PAIR: pair = optarg; break;
        case O_FORMAT:
            format = optarg;
            if (strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "csv"))
                return cli_usage("compare", "--format takes table, json or csv");
            break;
        case O_REPORT: report = optarg; break;
        case O_FIT: fit = 1; break;
        case 'o': out = optarg; break;
        case O_FORCE: force = 1; break;
        case O_FOLDS:
            if (agg_parse_size("compare", "--folds", optarg, 2, 50, &tmp))
                return 2;
            co.kfolds = (int)tmp;
            break;
        case O_LAMBDA:
            co.lambda = strtod(optarg, &end);
            if (*end || !(co.lambda > 0))
                return cli_usage("compare", "--lambda takes a positive number");
            break;
        case O_BOOT:
            if (agg_parse_size("compare", "--boot", optarg, 10, 100000, &tmp))
                return 2;
            co.boot = (int)tmp;
            break;
        case O_K:
            if (agg_parse_size("compare", "--k", optarg, 2, 10000000, &k))
                return 2;
            break;
        case O_CTX: co.include_context = 1; break;
        case O_SEED: co.seed = strtoull(optarg, &end, 10); break;
        case O_EXCL: excl = optarg; break;
        case ':': return cli_usage("compare", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("compare", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return cli_usage("compare", "give exactly two inputs, A and B");
    if (fit && !out)
        return cli_usage("compare", "--fit needs -o PROFILE.json");
    if (out && !fit)
        return cli_usage("compare", "-o is the profile written by --fit; add --fit");
    ks_group_rule pr;
    memset(&pr, 0, sizeof pr);
    if (pair) {
        char err[300];
        if (ks_group_rule_regex(&pr, pair, err, sizeof err) < 0)
            return cli_usage("compare", "--paired-by: %s", err);
        co.paired_by = &pr.re;
    }
    ks_group_rule xr;
    memset(&xr, 0, sizeof xr);
    if (excl) {
        char err[300];
        if (ks_group_rule_regex(&xr, excl, err, sizeof err) < 0) {
            ks_group_rule_free(&pr);
            return cli_usage("compare", "--exclude: %s", err);
        }
        co.exclude = &xr.re;
    }
    ks_summary *s = ks_summary_new(k, 0);
    ks_group_rule ra, rb;
    ks_group_rule_fixed(&ra, "A");
    ks_group_rule_fixed(&rb, "B");
    ks_sample *ga = ks_summary_group(s, "A"), *gb = ks_summary_group(s, "B");
    (void)ga;
    (void)gb;
    ks_cmp_result res;
    memset(&res, 0, sizeof res);
    if (agg_read_into("compare", s, argv[optind], &ra) || agg_read_into("compare", s, argv[optind + 1], &rb)) {
        rc = 1;
        goto done;
    }
    ga = ks_summary_group(s, "A");
    gb = ks_summary_group(s, "B");
    ks_sample_finish(ga);
    ks_sample_finish(gb);
    if (ga->ok < 2 || gb->ok < 2) {
        cli_error("compare", "need at least 2 ok records in each group (A: %lld, B: %lld)", (long long)ga->ok,
                  (long long)gb->ok);
        rc = 1;
        goto done;
    }
    ks_compare(ga, gb, &co, &res);
    if (strcmp(format, "table") == 0) {
        print_table(stdout, &res, ga, gb, la, lb);
    } else if (strcmp(format, "csv") == 0) {
        print_csv(stdout, &res);
    } else {
        ks_json *j = compare_json(&res, ga, gb, la, lb);
        char *txt = ks_json_dumps(j, 1);
        printf("%s\n", txt);
        x_free(txt);
        ks_json_del(j);
    }
    if (report) {
        char *html = ks_report_compare(&res, ga, gb, la, lb);
        rc |= agg_write_text("compare", report, html, force);
        x_free(html);
    }
    if (fit) {
        ks_profile *p = ks_profile_new();
        ks_cmp_to_profile(&res, ga, lb, p);
        x_free(p->label);
        size_t n = strlen(la) + 16;
        p->label = x_malloc(n);
        snprintf(p->label, n, "%s reference", la);
        x_free(p->source);
        n = strlen(argv[optind]) + strlen(argv[optind + 1]) + 64;
        p->source = x_malloc(n);
        snprintf(p->source, n, "kitsch compare --fit: A=%s B=%s", argv[optind], argv[optind + 1]);
        FILE *chk = force ? NULL : fopen(out, "r");
        if (chk) {
            fclose(chk);
            cli_error("compare", "%s exists; use --force to overwrite", out);
            rc = 1;
        } else if (ks_profile_save(p, out) != 0) {
            cli_error("compare", "cannot write %s", out);
            rc = 1;
        } else {
            fprintf(stderr, "kitsch compare: wrote profile %s (model of %zu features, CV AUROC %.3f)\n", out,
                    res.model_k, res.cv_auroc);
        }
        ks_profile_del(p);
    }
done:
    ks_cmp_result_free(&res);
    ks_summary_del(s);
    ks_group_rule_free(&pr);
    ks_group_rule_free(&xr);
    return rc;
}
