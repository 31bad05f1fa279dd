/* set.c - set-level homogeneity of a set of text records, computed only from
 * the descriptors and excerpt each record carries (so merged shards work
 * without the texts). The caller draws equal-size subsamples across the
 * sets it compares; here we measure exactly the records given. */
#include "text.h"

#include "segment.h"
#include "textint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_PAIRS = 5000, NCD_PAIRS = 1000, EXCERPT_BYTES = 720, CHUNK_BYTES = 32000 };

size_t ks_text_excerpt_unpack(const ks_vec *v, char *buf, size_t cap)
{
    if (v->n < 1 || !(v->v[0] >= 0))
        return 0;
    size_t len = (size_t)v->v[0];
    if (len > (v->n - 1) * 6)
        len = (v->n - 1) * 6;
    if (len + 1 > cap)
        len = cap - 1;
    for (size_t i = 0; i < len; i++) {
        double d = v->v[1 + i / 6];
        /* records may come from anywhere: only exact 48-bit integers unpack */
        uint64_t x = (d >= 0 && d < 281474976710656.0 && d == floor(d)) ? (uint64_t)d : 0;
        buf[i] = (char)((x >> (8 * (i % 6))) & 0xFF);
    }
    buf[len] = '\0';
    return len;
}

typedef struct skv {
    uint64_t h;
    uint32_t doc;
} skv;

static int cmp_skv(const void *a, const void *b)
{
    const skv *x = a, *y = b;
    if (x->h != y->h)
        return (x->h > y->h) - (x->h < y->h);
    return (x->doc > y->doc) - (x->doc < y->doc);
}

/* A sketch read from a record file is trusted only if well formed: k an
 * integer in [2, 52] and every hash an exact integer below 2^52. */
static int sketch_ok(const ks_vec *v)
{
    if (v->n < 1 || !(v->v[0] >= 2 && v->v[0] <= 52) || v->v[0] != floor(v->v[0]))
        return 0;
    for (size_t j = 1; j < v->n; j++)
        if (!(v->v[j] >= 0 && v->v[j] < 4503599627370496.0) || v->v[j] != floor(v->v[j]))
            return 0;
    return 1;
}

/* Gather every record's sketch at the common (coarsest) sampling rate:
 * entries (hash, doc), sorted by hash. *k_out = the common k. */
static skv *gather(const ks_record *const *recs, size_t n, int id, size_t *nout, int *k_out, size_t *ndocs)
{
    int k = 2;
    *ndocs = 0;
    for (size_t i = 0; i < n; i++) {
        const ks_vec *v = &recs[i]->desc[id];
        if (sketch_ok(v) && v->v[0] > k)
            k = (int)v->v[0];
    }
    size_t cap = 0;
    for (size_t i = 0; i < n; i++)
        cap += recs[i]->desc[id].n;
    skv *e = x_malloc((cap ? cap : 1) * sizeof *e);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const ks_vec *v = &recs[i]->desc[id];
        if (!sketch_ok(v))
            continue;
        (*ndocs)++;
        for (size_t j = 1; j < v->n; j++) {
            uint64_t h = (uint64_t)v->v[j]; /* top 52 bits of the 64-bit hash */
            if ((h >> (52 - k)) != 0)
                continue;
            e[m].h = h;
            e[m].doc = (uint32_t)i;
            m++;
        }
    }
    qsort(e, m, sizeof *e, cmp_skv);
    *nout = m;
    *k_out = k;
    return e;
}

/* Shaib et al. 2024 ("Standardizing the measurement of text diversity"),
 * self-repetition with n = 4: for each work, the number of occurrences of its
 * distinct 4-grams in the other works of the set, summed; the score is the
 * mean over works of log(1 + that sum). The 4-grams come from sketches
 * sampled at rate 2^-k, so sums are scaled by 2^k (an unbiased estimate of
 * the full sum). Also: the share of a work's sampled distinct 3-grams that
 * occur in at least 2 other works. */
static void self_repetition(const ks_record *const *recs, size_t n, ks_set_value *out)
{
    size_t m, docs;
    int k;
    skv *e = gather(recs, n, KS_D_TEXT_SKETCH4, &m, &k, &docs);
    if (docs >= 2) {
        double *sum = x_calloc(n, sizeof *sum);
        for (size_t i = 0; i < m;) {
            size_t j = i + 1;
            while (j < m && e[j].h == e[i].h)
                j++;
            /* distinct docs in [i, j): entries are unique per doc (sketches hold distinct n-grams) */
            for (size_t t = i; t < j; t++)
                sum[e[t].doc] += (double)(j - i - 1);
            i = j;
        }
        double tot = 0, scale = (double)(1ull << k);
        for (size_t i = 0; i < n; i++)
            if (sketch_ok(&recs[i]->desc[KS_D_TEXT_SKETCH4]))
                tot += log(1 + scale * sum[i]);
        out[KS_S_TEXT_SELF_REP].value = tot / (double)docs;
        out[KS_S_TEXT_SELF_REP].n = (int64_t)docs;
        snprintf(out[KS_S_TEXT_SELF_REP].note, sizeof out[0].note,
                 "4-gram sketches at rate 1/%.0f, sums scaled by %.0f", scale, scale);
        x_free(sum);
    }
    x_free(e);

    e = gather(recs, n, KS_D_TEXT_SKETCH3, &m, &k, &docs);
    if (docs >= 3) {
        size_t *own = x_calloc(n, sizeof *own), *shared = x_calloc(n, sizeof *shared);
        for (size_t i = 0; i < m;) {
            size_t j = i + 1;
            while (j < m && e[j].h == e[i].h)
                j++;
            for (size_t t = i; t < j; t++) {
                own[e[t].doc]++;
                if (j - i - 1 >= 2)
                    shared[e[t].doc]++;
            }
            i = j;
        }
        double tot = 0;
        size_t used = 0;
        for (size_t i = 0; i < n; i++)
            if (own[i]) {
                tot += (double)shared[i] / (double)own[i];
                used++;
            }
        if (used) {
            out[KS_S_TEXT_SHARED3].value = tot / (double)used;
            out[KS_S_TEXT_SHARED3].n = (int64_t)used;
            snprintf(out[KS_S_TEXT_SHARED3].note, sizeof out[0].note, "3-gram sketches at rate 1/%.0f",
                     (double)(1ull << k));
        }
        x_free(own);
        x_free(shared);
    }
    x_free(e);
}

/* Pairs to use: all when few, else a uniform sample (with replacement). */
static size_t pick_pairs(size_t n, size_t maxp, struct ks_rng *g, size_t *a, size_t *b)
{
    size_t all = n * (n - 1) / 2, m = 0;
    if (all <= maxp) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                a[m] = i;
                b[m] = j;
                m++;
            }
        return m;
    }
    for (m = 0; m < maxp; m++) {
        size_t i = ks_rng_below(g, n), j = ks_rng_below(g, n - 1);
        if (j >= i)
            j++;
        a[m] = i;
        b[m] = j;
    }
    return m;
}

/* Bottom-k Jaccard estimate (Broder 1997; Cohen & Kaplan 2007): among the k
 * smallest hashes of the union of two bottom-k sketches, the share present
 * in both. */
static double bottomk_jaccard(const ks_vec *x, const ks_vec *y)
{
    size_t k = x->n < y->n ? x->n : y->n, i = 0, j = 0, seen = 0, both = 0;
    if (k == 0)
        return NAN;
    while (seen < k && i < x->n && j < y->n) {
        if (x->v[i] == y->v[j]) {
            both++;
            i++;
            j++;
        } else if (x->v[i] < y->v[j]) {
            i++;
        } else {
            j++;
        }
        seen++;
    }
    return (double)both / (double)seen;
}

static void minhash_jaccard(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out)
{
    const ks_record **r = x_malloc((n ? n : 1) * sizeof *r);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (recs[i]->desc[KS_D_TEXT_MINHASH].n > 0)
            r[m++] = recs[i];
    if (m >= 2) {
        size_t *a = x_malloc(MAX_PAIRS * sizeof *a), *b = x_malloc(MAX_PAIRS * sizeof *b);
        size_t np = pick_pairs(m, MAX_PAIRS, g, a, b);
        double tot = 0;
        for (size_t p = 0; p < np; p++)
            tot += bottomk_jaccard(&r[a[p]]->desc[KS_D_TEXT_MINHASH], &r[b[p]]->desc[KS_D_TEXT_MINHASH]);
        out[KS_S_TEXT_MINHASH_J].value = tot / (double)np;
        out[KS_S_TEXT_MINHASH_J].n = (int64_t)np;
        snprintf(out[KS_S_TEXT_MINHASH_J].note, sizeof out[0].note, "pairs: %zu of %zu", np, m * (m - 1) / 2);
        x_free(a);
        x_free(b);
    }
    x_free(r);
}

/* Normalised compression distance (Cilibrasi & Vitanyi 2005, "Clustering by
 * compression"): NCD(x,y) = (C(xy) - min(C(x),C(y))) / max(C(x),C(y)), with
 * C = deflate-9 size, on excerpts cut to the same EXCERPT_BYTES. And the
 * set compression ratio: raw / deflate size of the excerpts concatenated in
 * a random order, in chunks of at most deflate's 32 KB window. */
static void compression(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out)
{
    char **ex = x_malloc((n ? n : 1) * sizeof *ex);
    size_t m = 0, shorter = 0;
    char buf[KS_TEXT_EXCERPT_MAX + 1];
    for (size_t i = 0; i < n; i++) {
        const ks_vec *v = &recs[i]->desc[KS_D_TEXT_EXCERPT];
        if (v->n < 1)
            continue;
        if (ks_text_excerpt_unpack(v, buf, sizeof buf) < EXCERPT_BYTES) {
            shorter++;
            continue;
        }
        ex[m] = x_malloc(EXCERPT_BYTES);
        memcpy(ex[m], buf, EXCERPT_BYTES);
        m++;
    }
    if (m >= 2) {
        size_t *c1 = x_malloc(m * sizeof *c1);
        for (size_t i = 0; i < m; i++)
            c1[i] = ks_deflate_size(ex[i], EXCERPT_BYTES, 9);
        size_t *a = x_malloc(NCD_PAIRS * sizeof *a), *b = x_malloc(NCD_PAIRS * sizeof *b);
        size_t np = pick_pairs(m, NCD_PAIRS, g, a, b);
        char pair[2 * EXCERPT_BYTES];
        double tot = 0;
        for (size_t p = 0; p < np; p++) {
            memcpy(pair, ex[a[p]], EXCERPT_BYTES);
            memcpy(pair + EXCERPT_BYTES, ex[b[p]], EXCERPT_BYTES);
            double cxy = (double)ks_deflate_size(pair, sizeof pair, 9);
            double cx = (double)c1[a[p]], cy = (double)c1[b[p]];
            double lo = cx < cy ? cx : cy, hi = cx < cy ? cy : cx;
            tot += (cxy - lo) / hi;
        }
        out[KS_S_TEXT_NCD].value = tot / (double)np;
        out[KS_S_TEXT_NCD].n = (int64_t)np;
        snprintf(out[KS_S_TEXT_NCD].note, sizeof out[0].note,
                 "pairs: %zu of %zu; excerpts of %d bytes; %zu works shorter than that left out", np,
                 m * (m - 1) / 2, EXCERPT_BYTES, shorter);

        /* Set compression ratio over a shuffled order, 32 KB chunks. */
        size_t *ord = x_malloc(m * sizeof *ord);
        for (size_t i = 0; i < m; i++)
            ord[i] = i;
        for (size_t i = m; i > 1; i--) {
            size_t j = ks_rng_below(g, i), t = ord[i - 1];
            ord[i - 1] = ord[j];
            ord[j] = t;
        }
        size_t per = CHUNK_BYTES / EXCERPT_BYTES;
        char *chunk = x_malloc(per * EXCERPT_BYTES);
        double raw = 0, comp = 0;
        for (size_t i = 0; i + 1 < m; i += per) {
            size_t k = m - i < per ? m - i : per;
            if (k < 2)
                break;
            for (size_t t = 0; t < k; t++)
                memcpy(chunk + t * EXCERPT_BYTES, ex[ord[i + t]], EXCERPT_BYTES);
            raw += (double)(k * EXCERPT_BYTES);
            comp += (double)ks_deflate_size(chunk, k * EXCERPT_BYTES, 9);
        }
        if (comp > 0) {
            out[KS_S_TEXT_SET_CR].value = raw / comp;
            out[KS_S_TEXT_SET_CR].n = (int64_t)m;
            snprintf(out[KS_S_TEXT_SET_CR].note, sizeof out[0].note,
                     "%zu excerpts of %d bytes in chunks of <= %zu; %zu shorter works left out", m, EXCERPT_BYTES,
                     per, shorter);
        }
        x_free(chunk);
        x_free(ord);
        x_free(a);
        x_free(b);
        x_free(c1);
    }
    for (size_t i = 0; i < m; i++)
        x_free(ex[i]);
    x_free(ex);
}

static int cmp_dbl(const void *a, const void *b) { return ks_cmp_double(a, b); }

/* Duplicated openings: share of works whose first-5-word hash or
 * first-sentence hash equals that of another work in the set. */
static void openings(const ks_record *const *recs, size_t n, ks_set_value *out)
{
    double *h5 = x_malloc((n ? n : 1) * sizeof *h5), *hs = x_malloc((n ? n : 1) * sizeof *hs);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const ks_vec *v = &recs[i]->desc[KS_D_TEXT_OPENING];
        if (v->n == 2) {
            h5[m] = v->v[0];
            hs[m] = v->v[1];
            m++;
        }
    }
    if (m >= 2) {
        double *s5 = x_malloc(m * sizeof *s5), *ss = x_malloc(m * sizeof *ss);
        memcpy(s5, h5, m * sizeof *s5);
        memcpy(ss, hs, m * sizeof *ss);
        qsort(s5, m, sizeof *s5, cmp_dbl);
        qsort(ss, m, sizeof *ss, cmp_dbl);
        size_t dup = 0;
        for (size_t i = 0; i < m; i++) {
            int d5 = 0, dsn = 0;
            double *p = bsearch(&h5[i], s5, m, sizeof *s5, cmp_dbl);
            if (p && ((p > s5 && p[-1] == h5[i]) || (p + 1 < s5 + m && p[1] == h5[i])))
                d5 = 1;
            p = bsearch(&hs[i], ss, m, sizeof *ss, cmp_dbl);
            if (p && ((p > ss && p[-1] == hs[i]) || (p + 1 < ss + m && p[1] == hs[i])))
                dsn = 1;
            dup += (d5 || dsn);
        }
        out[KS_S_TEXT_DUP_OPENING].value = (double)dup / (double)m;
        out[KS_S_TEXT_DUP_OPENING].n = (int64_t)m;
        x_free(s5);
        x_free(ss);
    }
    x_free(h5);
    x_free(hs);
}

int ks_text_set_metrics(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out)
{
    self_repetition(recs, n, out);
    minhash_jaccard(recs, n, g, out);
    compression(recs, n, g, out);
    openings(recs, n, out);
    return 0;
}
