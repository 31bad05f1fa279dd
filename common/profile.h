/* profile.h - reference profiles: what "typical for the reference" means per
 * feature, so a single work can be placed as a percentile.
 *
 * A profile holds, per feature, n, 101 quantiles (0 %, 1 %, ..., 100 %) of the
 * reference values, the median and MAD; optionally a learnt combined model
 * (logistic weights on standardised features) and learnt signs from
 * `kitsch compare --fit`. Profiles are built from a ks_sample (aggregate.h),
 * whose bottom-k sampling is exactly mergeable, so a profile calibrated from
 * merged shard summaries equals the one from a single run.
 *
 *     ks_profile *p = NULL;
 *     char err[200];
 *     if (ks_profile_load("profile.json", &p, err, sizeof err) < 0) ...
 *     double pct = ks_profile_cdf(&p->feat[KS_F_TEXT_MTLD], value);  // share below
 *     ks_profile_del(p);
 */
#ifndef KITSCH_PROFILE_H
#define KITSCH_PROFILE_H

#include "kitsch.h"

#define KS_PROFILE_NQ 101
#define KS_PROFILE_KIND "kitsch-profile"

typedef struct ks_profile_feat {
    int64_t n;                   /* reference values (0: feature absent) */
    double q[KS_PROFILE_NQ];     /* q[i] = quantile i/100 (type 7) */
    double median, mad;          /* robust location / scale (MAD x 1.4826) */
    int learnt_sign;             /* +1/-1 from data (compare --fit), 0 = use registry */
} ks_profile_feat;

typedef struct ks_profile_model {
    size_t k;                    /* features in the model; 0 = no model */
    int *ids;                    /* KS_F_ ids */
    double *mean, *sd;           /* standardisation */
    double *w;                   /* k weights + intercept w[k] */
    double lambda;
    double cv_auroc;             /* grouped k-fold cross-validated AUROC */
    char *positive;              /* label of the class the model scores high (e.g. "ai") */
} ks_profile_model;

typedef struct ks_profile {
    char *label;                 /* "human reference", shown in reasons */
    char *modality;              /* "text", ... or "" for mixed */
    char *source;                /* where it came from (free text) */
    int64_t n_records;
    int64_t n_sampled;           /* records the quantiles were computed from */
    ks_profile_feat feat[KS_NFEATURES];
    ks_profile_model model;
} ks_profile;

ks_profile *ks_profile_new(void);
void ks_profile_del(ks_profile *p);

/* Quantiles, median and MAD of feature values (NaN removed by the caller);
 * v is reordered. */
void ks_profile_set_feature(ks_profile *p, int id, double *v, size_t n);

/* Share of the reference below x, ties (and a value equal to a reference
 * value) counted half: a mid-rank percentile (rank + 0.5) / n, with the rank
 * interpolated in the stored quantile function; 0 below the reference
 * minimum, 1 above its maximum; NaN if the feature is absent or x is NaN. */
double ks_profile_cdf(const ks_profile_feat *f, double x);

/* Model probability of the positive class for a record's features (NaN if no
 * model; missing features are imputed with the model mean, i.e. contribute 0). */
double ks_profile_model_predict(const ks_profile *p, const double *feat);

char *ks_profile_dump(const ks_profile *p);   /* indented JSON text */
int ks_profile_parse(const char *text, size_t len, ks_profile **out, char *err, size_t errlen);
int ks_profile_load(const char *path, ks_profile **out, char *err, size_t errlen);
int ks_profile_save(const ks_profile *p, const char *path); /* atomic write */

/* The profile compiled into the binary for a modality ("text", "image",
 * "audio", "video"), or NULL when none was built yet. */
const char *ks_profile_embedded_json(const char *modality);
/* Parsed embedded profile (cached; do not free), or NULL. */
const ks_profile *ks_profile_embedded(const char *modality);

#endif
