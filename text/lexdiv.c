/* lexdiv.c - lexical diversity and repetition. */
#include "lexdiv.h"

#include "kitsch.h"
#include "segment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* MATTR: Covington & McFall 2010, "Cutting the Gordian knot: the
 * moving-average type-token ratio". Mean TTR over every window of `window`
 * consecutive tokens. Undefined for texts shorter than one window. */
double ks_mattr(const uint32_t *type, size_t n, size_t ntypes, size_t window)
{
    if (n < window || window == 0)
        return NAN;
    uint32_t *cnt = x_calloc(ntypes ? ntypes : 1, sizeof *cnt);
    size_t distinct = 0;
    for (size_t i = 0; i < window; i++)
        if (cnt[type[i]]++ == 0)
            distinct++;
    double sum = (double)distinct;
    for (size_t i = window; i < n; i++) {
        if (cnt[type[i]]++ == 0)
            distinct++;
        if (--cnt[type[i - window]] == 0)
            distinct--;
        sum += (double)distinct;
    }
    x_free(cnt);
    return sum / (double)(n - window + 1) / (double)window;
}

/* One direction of MTLD (McCarthy & Jarvis 2010, "MTLD, vocd-D, and HD-D",
 * Behavior Research Methods 42(2)): walk the text keeping a running TTR;
 * each time it falls to the threshold a factor is complete and the count
 * restarts; the leftover adds a partial factor (1 - ttr) / (1 - threshold).
 * MTLD = tokens / factors. */
static double mtld_pass(const uint32_t *type, size_t n, uint32_t *stamp, int reverse, double threshold)
{
    double factors = 0;
    size_t tokens = 0, types = 0;
    uint32_t gen = 1;
    for (size_t k = 0; k < n; k++) {
        uint32_t t = type[reverse ? n - 1 - k : k];
        tokens++;
        if (stamp[t] != gen) {
            stamp[t] = gen;
            types++;
        }
        double ttr = (double)types / (double)tokens;
        if (ttr <= threshold) {
            factors += 1;
            tokens = types = 0;
            gen++;
        }
    }
    if (tokens > 0) {
        double ttr = (double)types / (double)tokens;
        factors += (1 - ttr) / (1 - threshold);
    }
    return factors > 0 ? (double)n / factors : NAN;
}

double ks_mtld(const uint32_t *type, size_t n, size_t ntypes, double threshold)
{
    if (n < 10) /* a handful of words cannot complete a factor */
        return NAN;
    uint32_t *stamp = x_calloc(ntypes ? ntypes : 1, sizeof *stamp);
    double f = mtld_pass(type, n, stamp, 0, threshold);
    memset(stamp, 0, (ntypes ? ntypes : 1) * sizeof *stamp);
    double b = mtld_pass(type, n, stamp, 1, threshold);
    x_free(stamp);
    if (isnan(f) || isnan(b))
        return NAN;
    return (f + b) / 2;
}

/* HD-D: McCarthy & Jarvis 2007, "vocd: A theoretical and empirical
 * evaluation", Language Testing 24(4). For each type with frequency f in N
 * tokens, the hypergeometric probability that a random sample of `sample`
 * tokens contains it at least once is 1 - C(N-f, s)/C(N, s); HD-D is the sum
 * of these over types (the expected number of types in the sample) divided
 * by s, i.e. an expected TTR of s-token samples. */
double ks_hdd(const uint32_t *type, size_t n, size_t ntypes, int sample)
{
    if (n < (size_t)sample || sample <= 0)
        return NAN;
    uint32_t *cnt = x_calloc(ntypes ? ntypes : 1, sizeof *cnt);
    for (size_t i = 0; i < n; i++)
        cnt[type[i]]++;
    double sum = 0;
    double N = (double)n, s = (double)sample;
    double lc_ns = lgamma(N + 1) - lgamma(s + 1) - lgamma(N - s + 1);
    /* p0 depends on the frequency only, and most types share a handful of
     * small frequencies (Zipf): compute it once per frequency. */
    enum { MEMO = 4096 };
    double *memo = x_malloc(MEMO * sizeof *memo);
    unsigned char *have = x_calloc(MEMO, 1);
    for (size_t t = 0; t < ntypes; t++) {
        uint32_t fi = cnt[t];
        if (fi == 0)
            continue;
        double f = (double)fi;
        double p0 = 0;
        if (fi < MEMO && have[fi]) {
            p0 = memo[fi];
        } else {
            if (N - f >= s) /* C(N-f, s)/C(N, s) */
                p0 = exp(lgamma(N - f + 1) - lgamma(s + 1) - lgamma(N - f - s + 1) - lc_ns);
            if (fi < MEMO) {
                memo[fi] = p0;
                have[fi] = 1;
            }
        }
        sum += 1 - p0;
    }
    x_free(memo);
    x_free(have);
    x_free(cnt);
    return sum / s;
}

/* MSD radix sort, 8 bits per level, out of place (a and b alternate as
 * source and destination); buckets of at most 48 keys are finished by
 * insertion sort. Only the first level walks the whole array in memory:
 * below it a bucket (n / 256 keys) fits in cache. Several times faster than
 * qsort, and than an 8-pass LSD radix sort on multi-megabyte arrays. */
enum { RADIX_SMALL = 48 };

static void insertion_u64(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static void msd_to(uint64_t *src, uint64_t *dst, size_t n, int hi);

/* Digit width for a bucket of n keys whose hi top bits are still unsorted:
 * 8 bits while the bucket is large (the scatter then writes to 256 streams,
 * kind to caches), then wide enough (up to 12 bits) that the sub-buckets
 * are a few keys each and insertion sort finishes them. */
static int digit_bits(size_t n, int hi)
{
    int b = 8;
    if (n <= ((size_t)1 << 16))
        while (b < 12 && ((size_t)1 << b) < n / 2)
            b++;
    return b < hi ? b : hi;
}

/* Sort a[0..n) in place, b[0..n) is scratch; keys agree on all bits above
 * the hi lowest ones. */
static void msd_in(uint64_t *a, uint64_t *b, size_t n, int hi)
{
    for (;;) {
        if (hi <= 0)
            return; /* all keys equal */
        if (n <= RADIX_SMALL) {
            insertion_u64(a, n);
            return;
        }
        int bits = digit_bits(n, hi), sh = hi - bits;
        size_t nb = (size_t)1 << bits, mask = nb - 1;
        size_t pos[1 << 12];
        memset(pos, 0, nb * sizeof pos[0]);
        for (size_t i = 0; i < n; i++)
            pos[(a[i] >> sh) & mask]++;
        if (pos[(a[0] >> sh) & mask] == n) { /* one bucket: next digit */
            hi = sh;
            continue;
        }
        size_t p = 0;
        for (size_t k = 0; k < nb; k++) {
            size_t c = pos[k];
            pos[k] = p;
            p += c;
        }
        for (size_t i = 0; i < n; i++)
            b[pos[(a[i] >> sh) & mask]++] = a[i];
        /* pos[k] is now the end of bucket k */
        p = 0;
        for (size_t k = 0; k < nb; k++) {
            size_t c = pos[k] - p;
            if (c == 1)
                a[p] = b[p];
            else if (c)
                msd_to(b + p, a + p, c, sh);
            p = pos[k];
        }
        return;
    }
}

/* Sort src[0..n) into dst[0..n) (src is scratch afterwards). */
static void msd_to(uint64_t *src, uint64_t *dst, size_t n, int hi)
{
    if (n <= RADIX_SMALL || hi <= 0) {
        memcpy(dst, src, n * sizeof *dst);
        if (hi > 0)
            insertion_u64(dst, n);
        return;
    }
    int bits = digit_bits(n, hi), sh = hi - bits;
    size_t nb = (size_t)1 << bits, mask = nb - 1;
    size_t pos[1 << 12];
    memset(pos, 0, nb * sizeof pos[0]);
    for (size_t i = 0; i < n; i++)
        pos[(src[i] >> sh) & mask]++;
    if (pos[(src[0] >> sh) & mask] == n) {
        memcpy(dst, src, n * sizeof *dst);
        msd_in(dst, src, n, sh);
        return;
    }
    size_t p = 0;
    for (size_t k = 0; k < nb; k++) {
        size_t c = pos[k];
        pos[k] = p;
        p += c;
    }
    for (size_t i = 0; i < n; i++)
        dst[pos[(src[i] >> sh) & mask]++] = src[i];
    p = 0;
    for (size_t k = 0; k < nb; k++) {
        size_t c = pos[k] - p;
        if (c > 1)
            msd_in(dst + p, src + p, c, sh);
        p = pos[k];
    }
}

void ks_text_sort_u64_scratch(uint64_t *v, size_t n, uint64_t *tmp)
{
    msd_in(v, tmp, n, 64);
}

void ks_text_sort_u64(uint64_t *v, size_t n)
{
    if (n <= RADIX_SMALL) {
        insertion_u64(v, n);
        return;
    }
    uint64_t *tmp = x_malloc_big(n * sizeof *tmp);
    msd_in(v, tmp, n, 64);
    x_free(tmp);
}

/* Repetition inside one work: Holtzman et al. 2020 ("The curious case of
 * neural text degeneration") measure degenerate repetition by repeated
 * n-grams; we report the share of n-gram tokens whose n-gram occurs twice or
 * more in the same work. */
double ks_rep_share_sorted(const uint64_t *g, size_t m)
{
    if (m < 2)
        return NAN;
    size_t rep = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && g[j] == g[i])
            j++;
        if (j - i >= 2)
            rep += j - i;
        i = j;
    }
    return (double)rep / (double)m;
}

uint64_t *ks_ngram_hashes_sorted(const uint64_t *h, size_t n, int order, size_t *m)
{
    *m = n >= (size_t)order ? n - (size_t)order + 1 : 0;
    uint64_t *g = x_malloc((*m ? *m : 1) * sizeof *g);
    for (size_t i = 0; i < *m; i++)
        g[i] = ks_text_ngram_hash_inline(h + i, order);
    ks_text_sort_u64(g, *m);
    return g;
}

double ks_rep_share(const uint64_t *h, size_t n, int order)
{
    if (n < (size_t)order + 1)
        return NAN;
    size_t m;
    uint64_t *g = ks_ngram_hashes_sorted(h, n, order, &m);
    double r = ks_rep_share_sorted(g, m);
    x_free(g);
    return r;
}

double ks_cv(const double *v, size_t n)
{
    if (n < 2)
        return NAN;
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += v[i];
    mean /= (double)n;
    if (mean <= 0)
        return NAN;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - mean) * (v[i] - mean);
    return sqrt(ss / (double)(n - 1)) / mean;
}

/* Bottom-k MinHash (Broder 1997, "On the resemblance and containment of
 * documents"; bottom-k variant Cohen & Kaplan 2007): the k smallest hash
 * values of a work's distinct n-grams. Two works' Jaccard similarity is
 * estimated from the k smallest of the union of their sketches. */
size_t ks_minhash_sorted(const uint64_t *g, size_t m, double *out, size_t k)
{
    size_t w = 0;
    uint64_t last = 0;
    for (size_t i = 0; i < m && w < k; i++) {
        uint64_t v = g[i] >> 12; /* 52 bits: exact in a double; order kept */
        if (w == 0 || v != last)
            out[w++] = (double)v;
        last = v;
    }
    return w;
}

size_t ks_minhash(const uint64_t *h, size_t n, int order, double *out, size_t k)
{
    if (n < (size_t)order)
        return 0;
    size_t m;
    uint64_t *g = ks_ngram_hashes_sorted(h, n, order, &m);
    size_t w = ks_minhash_sorted(g, m, out, k);
    x_free(g);
    return w;
}
