/* test_agg_parse.c - the fast record scanner (aggregate.c) gives exactly the
 * records json.c's reference parser gives, and hands unusual lines back. */
#include "ktest.h"
#include "aggregate.h"
#include "json.h"
#include <stdlib.h>
#include <string.h>

static int same(const ks_record *a, const ks_record *b)
{
    if (strcmp(a->path, b->path) || strcmp(a->modality, b->modality) || strcmp(a->sha256, b->sha256) ||
        strcmp(a->config, b->config) || strcmp(a->tool, b->tool) || a->seq != b->seq || a->bytes != b->bytes ||
        a->status != b->status)
        return 0;
    if (!(a->elapsed_ms == b->elapsed_ms || (isnan(a->elapsed_ms) && isnan(b->elapsed_ms))))
        return 0;
    for (int i = 0; i < KS_NFEATURES; i++)
        if (!(a->feat[i] == b->feat[i] || (isnan(a->feat[i]) && isnan(b->feat[i]))))
            return 0;
    for (int d = 0; d < KS_NDESCRIPTORS; d++) {
        if (a->desc[d].n != b->desc[d].n)
            return 0;
        for (size_t k = 0; k < a->desc[d].n; k++)
            if (a->desc[d].v[k] != b->desc[d].v[k])
                return 0;
    }
    for (int i = 0; i < KS_NINFO; i++)
        if ((a->info[i] == NULL) != (b->info[i] == NULL) || (a->info[i] && strcmp(a->info[i], b->info[i])))
            return 0;
    return 1;
}

int main(void)
{
    ks_record r, f, g;
    ks_record_init(&r);
    ks_record_init(&f);
    ks_record_init(&g);
    ks_rng rng;
    ks_rng_seed(&rng, 99);
    char err[200];
    for (int t = 0; t < 200; t++) {
        ks_record_clear(&r);
        char path[64];
        snprintf(path, sizeof path, "/some dir/ü/work%03d.txt", t);
        r.path = x_strdup(path);
        r.modality = x_strdup("text");
        snprintf(r.sha256, sizeof r.sha256, "%064d", t);
        snprintf(r.config, sizeof r.config, "0123456789abcdef");
        r.seq = t;
        r.bytes = 1000 + t;
        r.elapsed_ms = t * 0.37;
        r.status = KS_STATUS_OK;
        for (int i = 0; i < KS_NFEATURES; i++) {
            double u = ks_rng_uniform(&rng);
            r.feat[i] = u < 0.3 ? NAN : u < 0.4 ? 0.0 : u < 0.5 ? -1e-300 * u : (u - 0.5) * 1e6 / (t + 1);
        }
        double d[7] = {1, 2.5, -3e-7, 0, 1e300, 4503599627370495.0, 0.1};
        if (KS_NDESCRIPTORS > 0 && t % 2)
            ks_record_set_desc(&r, t % KS_NDESCRIPTORS, d, 7);
        if (KS_NINFO > 0 && t % 3 == 0)
            ks_record_set_info(&r, t % KS_NINFO, "magic");
        char *line = ks_record_dump(&r);
        size_t len = strlen(line);
        int fr = ks_record_parse_fast(line, len, &f);
        KT_EQ_INT(0, fr);
        KT_EQ_INT(0, ks_record_parse(line, len, &g, err, sizeof err));
        KT_TRUE(same(&f, &g));
        x_free(line);
    }
    /* escapes, error records and foreign keys go to the reference parser */
    const char *esc = "{\"schema\":\"kitsch/1\",\"path\":\"/a\\\"b.txt\",\"modality\":\"text\",\"status\":\"ok\",\"features\":{}}";
    KT_EQ_INT(1, ks_record_parse_fast(esc, strlen(esc), &f));
    KT_EQ_INT(0, ks_record_read_line(esc, strlen(esc), &f, err, sizeof err));
    KT_STR("/a\"b.txt", f.path);
    const char *er = "{\"schema\":\"kitsch/1\",\"path\":\"/x\",\"modality\":\"text\",\"status\":\"error\",\"error\":{\"code\":\"encoding\",\"message\":\"bad\"},\"features\":{}}";
    KT_EQ_INT(1, ks_record_parse_fast(er, strlen(er), &f));
    KT_EQ_INT(0, ks_record_read_line(er, strlen(er), &f, err, sizeof err));
    KT_EQ_INT(KS_STATUS_ERROR, f.status);
    KT_EQ_INT(KS_E_ENCODING, f.err);
    const char *bad = "{\"schema\":\"kitsch/1\",\"path\":\"/x\"";
    KT_EQ_INT(1, ks_record_parse_fast(bad, strlen(bad), &f));
    KT_TRUE(ks_record_read_line(bad, strlen(bad), &f, err, sizeof err) < 0);
    const char *other = "{\"schema\":\"other/1\",\"path\":\"/x\",\"status\":\"ok\"}";
    KT_EQ_INT(1, ks_record_parse_fast(other, strlen(other), &f));
    ks_record_clear(&r);
    ks_record_clear(&f);
    ks_record_clear(&g);
    return kt_done();
}
