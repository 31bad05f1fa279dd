/* util.c - memory, hashing, PRNG, sorting and file helpers shared by all. */
#define _POSIX_C_SOURCE 200809L
#include "kitsch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void (*oom_hook)(void);

void ks_set_oom_hook(void (*hook)(void)) { oom_hook = hook; }

/* Out of memory is not recoverable in an analyzer: abort (after letting the
 * worker say "memory" through its hook) instead of threading NULL checks. */
static void oom(void)
{
    if (oom_hook)
        oom_hook();
    abort();
}

void *x_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *x_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *x_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

char *x_strdup(const char *s) { return x_strndup(s, strlen(s)); }

char *x_strndup(const char *s, size_t n)
{
    char *d = x_malloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void x_free(void *p) { free(p); }

void *x_malloc_big(size_t bytes)
{
    void *p = x_malloc(bytes ? bytes : 1);
#if defined(MADV_HUGEPAGE)
    const size_t huge = (size_t)2 << 20;
    if (bytes >= huge) {
        uintptr_t a = ((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1);
        uintptr_t e = ((uintptr_t)p + bytes) & ~(uintptr_t)(huge - 1);
        if (e > a)
            (void)madvise((void *)a, (size_t)(e - a), MADV_HUGEPAGE);
    }
#endif
    return p;
}

void ks_malloc_keep(void)
{
#ifdef __GLIBC__
    /* both are needed: the threshold keeps large blocks off mmap, the trim
     * limit keeps the freed top of the heap mapped (either alone left the
     * page faults as they were) */
    (void)mallopt(M_MMAP_THRESHOLD, 32 << 20); /* glibc's maximum */
    (void)mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

/* ---- options ---- */

void ks_options_default(ks_options *o)
{
    memset(o, 0, sizeof *o);
    o->max_text_bytes = 64ll << 20;
    o->max_file_bytes = 8ll << 30;
    o->max_audio_seconds = 1200;
    o->audio_rate = 22050;
    o->image_short_side = 256;
    o->max_image_pixels = 100ll * 1000 * 1000;
    o->thumbnails = 1;
}

void ks_options_hash(const ks_options *o, char out[17])
{
    /* Only options that change feature values enter the hash, in a fixed
     * textual form, so that equal settings give equal hashes everywhere. */
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "t%lld|a%.3f|r%d|s%d|p%lld|l%s", (long long)o->max_text_bytes,
                     o->max_audio_seconds, o->audio_rate, o->image_short_side,
                     (long long)o->max_image_pixels, o->lexicon_path ? o->lexicon_path : "-");
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof buf)
        n = (int)sizeof buf - 1;
    snprintf(out, 17, "%016llx", (unsigned long long)ks_hash64(buf, (size_t)n, 0x6b69747363680001ull));
}

/* ---- records ---- */

void ks_record_init(ks_record *r)
{
    memset(r, 0, sizeof *r);
    for (int i = 0; i < KS_NFEATURES; i++)
        r->feat[i] = NAN;
    r->seq = -1;
    r->bytes = -1;
    r->elapsed_ms = NAN;
}

void ks_record_clear(ks_record *r)
{
    if (!r)
        return;
    x_free(r->path);
    x_free(r->modality);
    for (int i = 0; i < KS_NDESCRIPTORS; i++)
        x_free(r->desc[i].v);
    for (int i = 0; i < KS_NINFO; i++)
        x_free(r->info[i]);
    ks_record_init(r);
}

int ks_record_fail(ks_record *r, int err, const char *fmt, ...)
{
    va_list ap;
    r->status = KS_STATUS_ERROR;
    r->err = err;
    va_start(ap, fmt);
    vsnprintf(r->err_msg, sizeof r->err_msg, fmt, ap);
    va_end(ap);
    return err;
}

int ks_errf(char *err, size_t errlen, int err_code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return err_code;
}

void ks_record_set_desc(ks_record *r, int id, const double *v, size_t n)
{
    x_free(r->desc[id].v);
    r->desc[id].v = NULL;
    r->desc[id].n = 0;
    if (n == 0)
        return;
    r->desc[id].v = x_malloc(n * sizeof *v);
    memcpy(r->desc[id].v, v, n * sizeof *v);
    r->desc[id].n = n;
}

void ks_record_set_info(ks_record *r, int id, const char *value)
{
    x_free(r->info[id]);
    r->info[id] = value ? x_strdup(value) : NULL;
}

int ks_read_all(const ks_input *in, int64_t cap, char **buf, size_t *len, ks_record *r)
{
    *buf = NULL;
    *len = 0;
    if (in->size > cap)
        return ks_record_fail(r, KS_E_TOO_LARGE, "%lld bytes exceeds the cap of %lld bytes",
                              (long long)in->size, (long long)cap);
    size_t want = (size_t)(in->size > 0 ? in->size : 0);
    size_t capn = want + 1, n = 0;
    char *b = x_malloc_big(capn);
    for (;;) {
        if (n + 1 >= capn) {
            /* The file grew or fstat lied (procfs): keep reading up to cap. */
            if ((int64_t)capn > cap) {
                x_free(b);
                return ks_record_fail(r, KS_E_TOO_LARGE, "more than %lld bytes", (long long)cap);
            }
            capn = capn * 2;
            b = x_realloc(b, capn);
        }
        ssize_t k = pread(in->fd, b + n, capn - 1 - n, (off_t)n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            x_free(b);
            return ks_record_fail(r, e == EISDIR ? KS_E_NOT_FILE : KS_E_IO, "read failed: %s", strerror(e));
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

/* ---- hashing ---- */

uint64_t ks_mix64(uint64_t x)
{
    /* splitmix64 finaliser (Steele, Lea & Flood 2014): full avalanche. */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

uint64_t ks_hash64(const void *data, size_t n, uint64_t seed)
{
    /* FNV-1a 64 over bytes, then a finaliser: stable across platforms and
     * releases, because shard assignment and sketches depend on it. */
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ull ^ ks_mix64(seed);
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return ks_mix64(h);
}

/* ---- SHA-256 (FIPS 180-4) ---- */

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t S1 = ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = hh + S1 + ch + K256[i] + w[i];
        uint32_t S0 = ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22);
        uint32_t mj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + mj;
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/* The same compression with the x86 SHA extensions (SHA-NI, on every AMD
 * Zen and Intel since Ice Lake): hashing each input was 5 % of an image's
 * analysis with the portable code above. Chosen at run time by cpuid; the
 * portable code stays the reference (tests/test_common.c checks that both
 * agree on FIPS vectors and on every length from 0 to 300 bytes). */
#include <cpuid.h>
#include <immintrin.h>

__attribute__((target("sha,sse4.1"))) static void sha256_block_ni(uint32_t h[8], const unsigned char *p)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1); /* CDAB */
    __m128i st1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B); /* EFGH */
    __m128i st0 = _mm_alignr_epi8(tmp, st1, 8);                                     /* ABEF */
    st1 = _mm_blend_epi16(st1, tmp, 0xF0);                                          /* CDGH */
    const __m128i save0 = st0, save1 = st1;
    __m128i w[16];
    for (int i = 0; i < 16; i++) {
        if (i < 4)
            w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
        else /* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time */
            w[i] = _mm_sha256msg2_epu32(
                _mm_add_epi32(_mm_sha256msg1_epu32(w[i - 4], w[i - 3]), _mm_alignr_epi8(w[i - 1], w[i - 2], 4)),
                w[i - 1]);
        __m128i m = _mm_add_epi32(w[i], _mm_loadu_si128((const __m128i *)&K256[4 * i]));
        st1 = _mm_sha256rnds2_epu32(st1, st0, m);
        st0 = _mm_sha256rnds2_epu32(st0, st1, _mm_shuffle_epi32(m, 0x0E));
    }
    st0 = _mm_add_epi32(st0, save0);
    st1 = _mm_add_epi32(st1, save1);
    tmp = _mm_shuffle_epi32(st0, 0x1B);  /* FEBA */
    st1 = _mm_shuffle_epi32(st1, 0xB1);  /* DCHG */
    st0 = _mm_blend_epi16(tmp, st1, 0xF0); /* DCBA */
    st1 = _mm_alignr_epi8(st1, tmp, 8);  /* HGFE */
    _mm_storeu_si128((__m128i *)&h[0], st0);
    _mm_storeu_si128((__m128i *)&h[4], st1);
}

static int have_sha_ni(void)
{
    static int known = -1;
    if (known < 0) {
        unsigned a, b, c, d;
        known = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 29 & 1) && __get_cpuid(1, &a, &b, &c, &d) &&
                (c >> 19 & 1); /* SHA and SSE4.1 */
    }
    return known;
}

static int g_sha_portable;

int ks_sha256_portable(int on)
{
    g_sha_portable = on;
    return have_sha_ni();
}

static void sha256_blocks(uint32_t h[8], const unsigned char *p, size_t n)
{
    int ni = !g_sha_portable && have_sha_ni();
    for (size_t i = 0; i < n; i++)
        (ni ? sha256_block_ni : sha256_block)(h, p + 64 * i);
}
#else
int ks_sha256_portable(int on)
{
    (void)on;
    return 0;
}

static void sha256_blocks(uint32_t h[8], const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sha256_block(h, p + 64 * i);
}
#endif

void ks_sha256_init(ks_sha256 *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->nbuf = 0;
}

void ks_sha256_update(ks_sha256 *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    s->len += n;
    if (s->nbuf) {
        size_t k = 64 - s->nbuf < n ? 64 - s->nbuf : n;
        memcpy(s->buf + s->nbuf, p, k);
        s->nbuf += k;
        p += k;
        n -= k;
        if (s->nbuf == 64) {
            sha256_blocks(s->h, s->buf, 1);
            s->nbuf = 0;
        }
    }
    if (n >= 64) {
        sha256_blocks(s->h, p, n / 64);
        p += n / 64 * 64;
        n %= 64;
    }
    if (n) {
        memcpy(s->buf, p, n);
        s->nbuf = n;
    }
}

void ks_sha256_final(ks_sha256 *s, char out[65])
{
    uint64_t bits = s->len * 8;
    unsigned char pad = 0x80, zero = 0, lenb[8];
    ks_sha256_update(s, &pad, 1);
    while (s->nbuf != 56)
        ks_sha256_update(s, &zero, 1);
    for (int i = 0; i < 8; i++)
        lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
    ks_sha256_update(s, lenb, 8);
    for (int i = 0; i < 8; i++)
        snprintf(out + 8 * i, 9, "%08x", s->h[i]);
}

void ks_sha256_hex(const void *data, size_t n, char out[65])
{
    ks_sha256 s;
    ks_sha256_init(&s);
    ks_sha256_update(&s, data, n);
    ks_sha256_final(&s, out);
}

/* ---- PRNG: xoshiro256** (Blackman & Vigna 2018), seeded by splitmix64 ---- */

void ks_rng_seed(ks_rng *g, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        seed += 0x9e3779b97f4a7c15ull;
        g->s[i] = ks_mix64(seed);
    }
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t ks_rng_next(ks_rng *g)
{
    uint64_t *s = g->s;
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

double ks_rng_uniform(ks_rng *g) { return (double)(ks_rng_next(g) >> 11) * 0x1.0p-53; }

size_t ks_rng_below(ks_rng *g, size_t n)
{
    if (n <= 1)
        return 0;
    /* Lemire-style rejection keeps it unbiased. */
    uint64_t lim = UINT64_MAX - UINT64_MAX % n, x;
    do
        x = ks_rng_next(g);
    while (x >= lim);
    return (size_t)(x % n);
}

/* ---- sorting ---- */

int64_t ks_to_i64(double x, int64_t fallback)
{
    return x >= -4.6e18 && x <= 4.6e18 ? (int64_t)x : fallback;
}

int ks_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ks_quantile_sorted(const double *v, size_t n, double q)
{
    /* Hyndman & Fan type 7 (R's default), so results match R and numpy. */
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

double ks_median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, ks_cmp_double);
    return ks_quantile_sorted(v, n, 0.5);
}

/* ---- crash-safe writes ---- */

int ks_write_file_atomic(const char *path, const void *data, size_t n)
{
    size_t plen = strlen(path);
    char *tmp = x_malloc(plen + 32);
    char *dir = x_strdup(path);
    int fd = -1, rc = KS_E_IO;
    snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        goto done;
    for (size_t off = 0; off < n;) {
        ssize_t k = write(fd, (const char *)data + off, n - off);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            goto done;
        }
        off += (size_t)k;
    }
    /* A failed fsync means the data may not be on disk: that is fatal to
     * this write, never ignored (fsyncgate, PostgreSQL 2018). */
    if (fsync(fd) != 0)
        goto done;
    if (close(fd) != 0) {
        fd = -1;
        goto done;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto done;
    {
        char *slash = strrchr(dir, '/');
        if (slash)
            *(slash == dir ? slash + 1 : slash) = '\0';
        else
            strcpy(dir, ".");
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
            goto done;
        int frc = fsync(dfd);
        close(dfd);
        if (frc != 0)
            goto done;
    }
    rc = 0;
done:
    if (fd >= 0) {
        close(fd);
    }
    if (rc != 0)
        unlink(tmp);
    x_free(tmp);
    x_free(dir);
    return rc;
}
