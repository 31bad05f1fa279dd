/* aggregate.h - from records to what users read: per-work kitsch scores with
 * reasons, human-vs-AI comparisons, set-level homogeneity, mergeable summaries.
 *
 * Memory stays flat in the number of records: records are streamed; what is
 * kept is a bottom-k sample per group (the k records with the smallest hash of
 * path+sha256). Bottom-k samples merge exactly (the bottom-k of a union is the
 * bottom-k of the parts' bottom-k), so `kitsch summarize` per shard followed by
 * `kitsch merge` gives the same profile, compare table and set metrics as one
 * run. Up to k records per group everything is exact; beyond, statistics are
 * computed on a uniform random sample of k and the outputs say so.
 *
 *     ks_summary *s = ks_summary_new(10000, 0);
 *     ks_group_rule rule; ks_group_rule_fixed(&rule, "human");
 *     ks_summary_add_file(s, "human.jsonl", &rule, &stats, err, sizeof err);
 *     ...
 *     ks_summary_del(s);
 */
#ifndef KITSCH_AGGREGATE_H
#define KITSCH_AGGREGATE_H

#include <stdio.h>
#include <regex.h>
#include "kitsch.h"
#include "profile.h"

#define KS_SUMMARY_KIND "kitsch-summary"

/* ---- bottom-k samples and summaries ---- */
typedef struct ks_sample_item {
    uint64_t key;
    ks_record *rec;           /* descriptors/info kept only if the summary keeps them */
} ks_sample_item;

typedef struct ks_sample {
    char *name;               /* group name */
    ks_sample_item *items;    /* max-heap on (key, path) while filling */
    size_t n, cap;
    int64_t seen, ok, errors; /* exact counts over every record added */
    int64_t feat_n[KS_NFEATURES]; /* exact non-NaN counts over every ok record */
} ks_sample;

typedef struct ks_summary {
    size_t k;                 /* per-group sample capacity */
    int keep_desc;            /* keep descriptors (needed by `kitsch set`) */
    ks_sample *g;
    size_t ng;
} ks_summary;

ks_summary *ks_summary_new(size_t k, int keep_desc);
void ks_summary_del(ks_summary *s);
ks_sample *ks_summary_group(ks_summary *s, const char *name); /* find or create */
/* Add a record (copied as needed) to group g. */
void ks_sample_add(ks_summary *s, ks_sample *g, const ks_record *r);
/* Sort items by key (deterministic order for everything downstream). */
void ks_sample_finish(ks_sample *g);
/* Merge every group of src into dst (same group names merge). */
void ks_summary_merge(ks_summary *dst, const ks_summary *src);
char *ks_summary_dump(const ks_summary *s); /* one line of JSON, groups by name */
void ks_summary_sort_groups(ks_summary *s);  /* invalidates ks_sample pointers */
int ks_summary_parse(const char *text, size_t len, ks_summary **out, char *err, size_t errlen);

/* How records are assigned to groups. */
enum { KS_GROUP_FIXED, KS_GROUP_PARENT, KS_GROUP_REGEX };
typedef struct ks_group_rule {
    int mode;
    char label[256];
    regex_t re;
    int re_ok;
} ks_group_rule;
void ks_group_rule_fixed(ks_group_rule *g, const char *label);
void ks_group_rule_parent(ks_group_rule *g);
int ks_group_rule_regex(ks_group_rule *g, const char *re, char *err, size_t errlen);
void ks_group_rule_free(ks_group_rule *g);
/* Group name of a path into buf. */
const char *ks_group_of(const ks_group_rule *g, const char *path, char *buf, size_t len);
/* First capture group (or whole match) of re in s, or NULL if no match. */
const char *ks_regex_capture(const regex_t *re, const char *s, char *buf, size_t len);

/* Parse one record line: a fast strict scanner for the usual shape of ok
 * records, falling back to ks_record_parse (json.h) for anything else.
 * Same result and return convention as ks_record_parse. */
int ks_record_read_line(const char *line, size_t len, ks_record *r, char *err, size_t errlen);
/* The scanner alone: 0 = parsed, 1 = not its shape (r cleared). */
int ks_record_parse_fast(const char *line, size_t len, ks_record *r);

/* Read a JSON Lines file of records, or a summary file (detected by its
 * "kind"), into s. With a summary file and a FIXED rule all of its groups go
 * into the one label; otherwise its group names are kept. Counts parse
 * failures in *bad_lines. Returns 0 or a KS_E_* code with err filled. */
int ks_summary_add_file(ks_summary *s, const char *path, const ks_group_rule *rule, int64_t *bad_lines,
                        char *err, size_t errlen);

/* ---- reference profiles from a sample (kitsch calibrate) ---- */
/* Quantiles etc. of every feature over the sample's ok records of modality
 * (NULL = all). */
void ks_profile_from_sample(ks_profile *p, const ks_sample *g, const char *modality);

/* ---- scoring one work against a profile (kitsch score) ---- */
typedef struct ks_reason {
    int feature;              /* KS_F_ id */
    double adj;               /* direction-adjusted percentile, 0..1 */
    char text[320];           /* plain words */
} ks_reason;

typedef struct ks_score {
    double score;             /* 0..100, NaN if nothing could be scored */
    double facet[3];          /* by enum ks_facet; [KS_CONTEXT] unused (NaN) */
    double model_p;           /* learnt model probability (NaN: no model) */
    double adj[KS_NFEATURES]; /* NaN where not scored */
    int n_scored;             /* features that entered the score */
    int n_nan;                /* profiled, directional features the work did not measure (NaN) */
    int n_unprofiled;         /* measured, directional features the profile lacks */
    int nreasons;
    ks_reason reasons[3];
    const char *profile_label;
} ks_score;

/* Sign used for feature id: the profile's learnt sign if present, else the
 * registry direction. */
int ks_score_sign(const ks_profile *p, int id);
void ks_score_record(const ks_profile *p, const ks_record *r, ks_score *out);
/* "sentence lengths ...: more uniform than 91 % of the human reference" */
void ks_reason_text(const ks_profile *p, int id, double adj, char *buf, size_t len);

/* ---- comparing two groups (kitsch compare) ---- */
typedef struct ks_cmp_row {
    int feature;
    int64_t na, nb;           /* non-NaN values used */
    double med_a, med_b;
    double auroc;             /* P(B > A) */
    double delta, delta_lo, delta_hi; /* Cliff's delta B vs A and bootstrap 95 % CI */
    double p, q;              /* Mann-Whitney two-sided, BH q */
    int64_t npairs;           /* paired mode: pairs with both groups measured */
    double p_paired, q_paired, wilcoxon_t;
    int data_sign;            /* +1 B higher, -1 B lower, 0 CI includes 0 */
    int disagrees;            /* data_sign opposes the registry direction (with B = suspected kitsch) */
} ks_cmp_row;

typedef struct ks_cmp_opts {
    int kfolds;               /* 5 */
    double lambda;            /* 1.0 */
    int boot;                 /* 1000 */
    uint64_t seed;
    const regex_t *paired_by; /* NULL: unpaired */
    int include_context;      /* 1: context features enter the model too */
    const regex_t *exclude;   /* features whose name matches are left out entirely */
} ks_cmp_opts;

/* Above this many values (A + B) the delta CI is DeLong's, not bootstrap. */
#define KS_BOOT_MAX_N 4000

typedef struct ks_cmp_result {
    int ci_delong;            /* 1: some CIs are DeLong asymptotic, not bootstrap */
    ks_cmp_row *rows;
    size_t nrows;
    size_t na_used, nb_used;  /* ok records in the samples */
    int64_t na_seen, nb_seen; /* ok records read */
    int paired;
    size_t npair_ids;
    /* combined model */
    size_t model_k;
    int *model_ids;
    double *model_mean, *model_sd, *model_w; /* fitted on all rows */
    double cv_auroc;
    int kfolds;
    double lambda;
    double *roc_fpr, *roc_tpr; /* out-of-fold ROC */
    size_t roc_n;
    /* single context features alone (length/size confounds) */
    size_t nconf;
    int *conf_ids;
    double *conf_auroc;       /* P(B > A) of the feature alone */
    double *conf_cv_auroc;    /* cross-validated one-feature model (direction learnt) */
} ks_cmp_result;

void ks_cmp_opts_default(ks_cmp_opts *o);
int ks_compare(const ks_sample *a, const ks_sample *b, const ks_cmp_opts *o, ks_cmp_result *out);
void ks_cmp_result_free(ks_cmp_result *r);
/* Store the fitted model and learnt signs (and the quantiles of A as the
 * reference) into a profile. */
void ks_cmp_to_profile(const ks_cmp_result *c, const ks_sample *a, const char *label_b, ks_profile *p);

/* ---- set-level homogeneity (kitsch set) ---- */
typedef struct ks_set_entry { const char *modality; ks_set_fn fn; } ks_set_entry;

typedef struct ks_set_group_result {
    const char *name;
    const char *modality;     /* majority modality of the group's ok records */
    int64_t n_available;      /* ok records of that modality in the sample */
    int64_t n_seen;           /* ok records read */
    ks_set_value v[KS_NSETMETRICS]; /* value = mean over subsamples, CI = 2.5/97.5 % */
    int status;               /* 0 ok, else KS_E_* (e.g. too few records) */
    char note[200];
} ks_set_group_result;

typedef struct ks_set_opts {
    size_t n;                 /* equal subsample size; 0 = smallest group */
    int reps;                 /* subsamples per group (default 20) */
    uint64_t seed;
} ks_set_opts;

/* Measures every group of s at one equal N; fills res[0..s->ng-1]; *n_used = N. */
int ks_set_measure(ks_summary *s, const ks_set_entry *fns, size_t nfns, const ks_set_opts *o,
                   ks_set_group_result *res, size_t *n_used);

#endif
