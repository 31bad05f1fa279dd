/* test_agg_score.c - percentiles against a profile, facet and kitsch scores,
 * reason wording, NaN counting, profile JSON round trip: hand-checked. */
#include "ktest.h"
#include "aggregate.h"
#include "profile.h"
#include <stdlib.h>
#include <string.h>

int main(void)
{
    ks_profile *p = ks_profile_new();
    x_free(p->label);
    p->label = x_strdup("test reference");
    double v[101];
    for (int i = 0; i < 101; i++) v[i] = i + 1; /* 1..101: q[i] = i + 1 */
    ks_profile_set_feature(p, KS_F_TEXT_SENT_LEN_CV, v, 101);
    for (int i = 0; i < 101; i++) v[i] = i + 1;
    ks_profile_set_feature(p, KS_F_TEXT_COMPRESS_RATIO, v, 101);
    for (int i = 0; i < 101; i++) v[i] = 5; /* all tied */
    ks_profile_set_feature(p, KS_F_TEXT_MTLD, v, 101);
    const ks_profile_feat *f = &p->feat[KS_F_TEXT_SENT_LEN_CV];
    KT_NEAR(0.5, ks_profile_cdf(f, 51), 1e-15);
    KT_NEAR(0.0, ks_profile_cdf(f, 0.5), 0);
    KT_NEAR(1.0, ks_profile_cdf(f, 200), 0);
    KT_NEAR(51.0 / 101, ks_profile_cdf(f, 51.5), 1e-12);   /* rank 50.5 of 0..100 */
    KT_NEAR(100.5 / 101, ks_profile_cdf(f, 101), 1e-12);   /* the maximum: not "all" */
    KT_NEAR(0.5 / 101, ks_profile_cdf(f, 1), 1e-12);
    KT_NEAR(0.5, ks_profile_cdf(&p->feat[KS_F_TEXT_MTLD], 5), 0); /* ties count half */
    KT_NAN(ks_profile_cdf(f, NAN));
    KT_NEAR(51, f->median, 0);

    ks_record r;
    ks_record_init(&r);
    r.path = x_strdup("/x/a.txt");
    r.modality = x_strdup("text");
    r.status = KS_STATUS_OK;
    r.feat[KS_F_TEXT_SENT_LEN_CV] = 11;      /* dir -1: rank 10 of 101, 89.6 % above */
    r.feat[KS_F_TEXT_COMPRESS_RATIO] = 71;   /* dir +1: rank 70, 69.8 % below */
    r.feat[KS_F_TEXT_WORDS] = 1e6;           /* context: never scored */
    /* MTLD left NaN: profiled, not measured */
    ks_score sc;
    ks_score_record(p, &r, &sc);
    KT_NEAR(1 - 10.5 / 101, sc.adj[KS_F_TEXT_SENT_LEN_CV], 1e-12);
    KT_NEAR(70.5 / 101, sc.adj[KS_F_TEXT_COMPRESS_RATIO], 1e-12);
    KT_NAN(sc.adj[KS_F_TEXT_WORDS]);
    KT_EQ_INT(2, sc.n_scored);
    KT_EQ_INT(1, sc.n_nan);
    /* both are predictability features; averaging facet empty */
    KT_NEAR(0.5 * (1 - 10.5 / 101 + 70.5 / 101), sc.facet[KS_PREDICTABILITY], 1e-12);
    KT_NAN(sc.facet[KS_AVERAGING]);
    KT_NEAR(50 * (1 - 10.5 / 101 + 70.5 / 101), sc.score, 1e-9);
    KT_EQ_INT(2, sc.nreasons);
    KT_EQ_INT(KS_F_TEXT_SENT_LEN_CV, sc.reasons[0].feature);
    KT_STR("coefficient of variation of sentence lengths: more uniform than 89 % of the test reference", sc.reasons[0].text);
    /* beyond every reference value */
    r.feat[KS_F_TEXT_SENT_LEN_CV] = 0.1;
    ks_score_record(p, &r, &sc);
    KT_STR("coefficient of variation of sentence lengths: more uniform than all of the test reference", sc.reasons[0].text);
    /* a learnt sign flips the side and the wording falls back to higher/lower */
    p->feat[KS_F_TEXT_SENT_LEN_CV].learnt_sign = +1;
    ks_score_record(p, &r, &sc);
    KT_NEAR(0.0, sc.adj[KS_F_TEXT_SENT_LEN_CV], 1e-12);
    p->feat[KS_F_TEXT_SENT_LEN_CV].learnt_sign = 0;
    /* no profile or failed record: nothing scored, NaN */
    ks_score_record(NULL, &r, &sc);
    KT_NAN(sc.score);

    /* JSON round trip keeps quantiles exactly */
    char *txt = ks_profile_dump(p);
    ks_profile *q = NULL;
    char err[200];
    KT_EQ_INT(0, ks_profile_parse(txt, strlen(txt), &q, err, sizeof err));
    KT_TRUE(q && memcmp(q->feat[KS_F_TEXT_SENT_LEN_CV].q, p->feat[KS_F_TEXT_SENT_LEN_CV].q, sizeof(double) * KS_PROFILE_NQ) == 0);
    KT_STR("test reference", q ? q->label : NULL);
    ks_profile_del(q);
    KT_TRUE(ks_profile_parse("{\"kind\":\"other\"}", 16, &q, err, sizeof err) < 0);
    KT_TRUE(q == NULL);
    x_free(txt);
    ks_profile_del(q);
    ks_profile_del(p);
    ks_record_clear(&r);
    return kt_done();
}
