/* kitsch.h - the core contract shared by every part of kitsch.
 *
 * Usage (an analyzer, e.g. text/text.c):
 *
 *     #include "kitsch.h"
 *     int ks_text_analyze(const ks_input *in, ks_record *r)
 *     {
 *         char *buf = NULL; size_t n = 0;
 *         int rc = ks_read_all(in, in->opt->max_text_bytes, &buf, &n, r);
 *         if (rc < 0) goto done;                 // r->err_* already filled
 *         r->feat[KS_F_TEXT_WORDS] = count_words(buf, n);
 *     done:
 *         x_free(buf);
 *         return rc;
 *     }
 *
 * Conventions (the whole code base follows them):
 *   - functions that can fail return 0 or a negative KS_E_* code;
 *   - out-of-memory aborts (x_malloc and friends), so callers never check;
 *   - x_free(NULL) and every *_del(NULL) are no-ops;
 *   - NaN means "not measured"; never build with -ffast-math;
 *   - library code (everything outside tools/) never prints and never exits.
 */
#ifndef KITSCH_H
#define KITSCH_H

#include <stddef.h>
#include <stdint.h>
#include <math.h>

#define KS_TOOL_VERSION "0.1.0"
#define KS_SCHEMA "kitsch/1"

/* ---- the registry: every feature, descriptor, info field and set metric,
 * declared once in common/features.def (see the row formats there). ---- */

enum ks_facet { KS_CONTEXT = 0, KS_AVERAGING = 1, KS_PREDICTABILITY = 2 };

enum ks_feature_id {
#define KS_FEATURE(id, name, unit, dir, facet, meaning, cite) KS_F_##id,
#include "features.def"
    KS_NFEATURES
};
enum ks_descriptor_id {
#define KS_DESCRIPTOR(id, name, len, meaning) KS_D_##id,
#include "features.def"
    KS_NDESCRIPTORS
};
enum ks_info_id {
#define KS_INFO(id, name, meaning) KS_I_##id,
#include "features.def"
    KS_NINFO
};
enum ks_setmetric_id {
#define KS_SETMETRIC(id, name, unit, dir, meaning, cite) KS_S_##id,
#include "features.def"
    KS_NSETMETRICS
};

typedef struct ks_feature_def {
    const char *name;    /* "modality.name" */
    const char *unit;
    int direction;       /* +1 higher = more kitsch, -1 lower = more kitsch, 0 context */
    int facet;           /* enum ks_facet */
    const char *meaning; /* one line, plain words */
    const char *cite;
} ks_feature_def;

typedef struct ks_descriptor_def {
    const char *name;
    int len;             /* fixed length, or 0 for variable */
    const char *meaning;
} ks_descriptor_def;

typedef struct ks_info_def {
    const char *name;
    const char *meaning;
} ks_info_def;

typedef struct ks_setmetric_def {
    const char *name;
    const char *unit;
    int direction;
    const char *meaning;
    const char *cite;
} ks_setmetric_def;

extern const ks_feature_def ks_features[KS_NFEATURES];
extern const ks_descriptor_def ks_descriptors[KS_NDESCRIPTORS];
extern const ks_info_def ks_infos[KS_NINFO];
extern const ks_setmetric_def ks_setmetrics[KS_NSETMETRICS];

int ks_feature_find(const char *name);    /* index or -1 */
int ks_descriptor_find(const char *name); /* index or -1 */
int ks_info_find(const char *name);       /* index or -1 */
int ks_setmetric_find(const char *name);  /* index or -1 */
/* "text" for "text.words": copies the prefix into buf. */
const char *ks_feature_modality(int id, char *buf, size_t len);
const char *ks_facet_name(int facet);

/* ---- errors: declared once in common/errors.def ---- */
enum ks_error {
    KS_OK = 0,
#define KS_ERROR(id, val, code, meaning) KS_E_##id = val,
#include "errors.def"
#undef KS_ERROR
};
const char *ks_error_code(int err);    /* stable short code, e.g. "encoding" */
const char *ks_error_meaning(int err); /* one line for humans */
int ks_error_from_code(const char *code); /* inverse of ks_error_code, or KS_E_INTERNAL */

/* ---- memory: abort on exhaustion ---- */
void *x_malloc(size_t n);
void *x_calloc(size_t n, size_t size);
void *x_realloc(void *p, size_t n);
char *x_strdup(const char *s);
char *x_strndup(const char *s, size_t n);
void x_free(void *p);
/* x_malloc for large arrays: also asks for transparent huge pages on the
 * 2 MiB-aligned interior (a hint), because first touching a tens-of-MB
 * buffer 4 KiB at a time costs as much as measuring it. Free with x_free. */
void *x_malloc_big(size_t n);
/* A process may install a hook run before abort() on exhaustion (the worker
 * uses it to report "memory" instead of "crashed"). */
void ks_set_oom_hook(void (*hook)(void));
/* Process policy, for tools/ only (library code never changes process-wide
 * state): keep freed blocks of up to 32 MiB on the heap instead of handing
 * them back to the kernel. A worker decodes file after file, and libjpeg
 * (a whole-image coefficient buffer for every progressive JPEG), the file
 * buffer and the analysis planes are the same few megabytes each time;
 * glibc's default unmaps them and the next file faults every 4 KiB page back
 * in, zeroed: a third of the time on bench/image.sh's photographs. */
void ks_malloc_keep(void);

/* ---- options that change results (hashed into a record's `config`) ---- */
typedef struct ks_options {
    int64_t max_text_bytes;     /* text larger than this: error too_large */
    int64_t max_file_bytes;     /* any input larger than this: error too_large */
    double max_audio_seconds;   /* decode at most this much audio */
    int audio_rate;             /* analysis sample rate, Hz */
    int image_short_side;       /* decode scale target for images, px */
    int64_t max_image_pixels;   /* pixel budget before decoding */
    int thumbnails;             /* 1: images carry a small thumbnail descriptor */
    const char *lexicon_path;   /* text lexicon override, NULL = embedded default */
    const char *forced_modality;/* --modality, NULL = sniff */
} ks_options;

void ks_options_default(ks_options *o);
/* 16 hex digits summarising every option that changes results. */
void ks_options_hash(const ks_options *o, char out[17]);

/* ---- records: one per input; the in-memory form of one JSON line ---- */
typedef struct ks_vec {
    double *v;
    size_t n;
} ks_vec;

enum ks_status { KS_STATUS_OK = 0, KS_STATUS_ERROR = 1 };

typedef struct ks_record {
    char *path;
    char *modality;          /* "text" | "audio" | "image" | "video" | "unknown" */
    char sha256[65];         /* hex, "" when not computed */
    char config[17];
    char tool[32];           /* tool version that wrote it */
    int64_t seq;
    int64_t bytes;
    double elapsed_ms;
    int status;              /* enum ks_status */
    int err;                 /* KS_E_* when status is error */
    char err_msg[512];
    double feat[KS_NFEATURES];      /* NaN = not measured */
    ks_vec desc[KS_NDESCRIPTORS];   /* n == 0: absent */
    char *info[KS_NINFO];           /* NULL: absent */
} ks_record;

void ks_record_init(ks_record *r);   /* all features NaN, nothing set */
void ks_record_clear(ks_record *r);  /* frees owned memory, re-inits */
/* Mark the record failed with err and a printf-style message; returns err. */
int ks_record_fail(ks_record *r, int err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* For code that reports into a caller's message buffer rather than a record
 * (decoders, readers): printf into err and return err_code. */
int ks_errf(char *err, size_t errlen, int err_code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Copy n doubles into descriptor id (replacing any previous one). */
void ks_record_set_desc(ks_record *r, int id, const double *v, size_t n);
void ks_record_set_info(ks_record *r, int id, const char *value);

/* ---- analyzer input ---- */
typedef struct ks_input {
    const char *path;
    int fd;                   /* open O_RDONLY, positioned at 0, owned by caller */
    int64_t size;             /* bytes, from fstat */
    const ks_options *opt;
    /* An analyzer that learns how long its media is reports the duration in
     * seconds; the runner then grants the per-input timeout per minute of
     * media (--timeout: 10 s audio, 60 s video by default), never less than
     * the flat timeout. NULL when nobody is watching. */
    void (*extend_deadline)(void *ctx, double media_seconds);
    void *deadline_ctx;
} ks_input;

typedef int (*ks_analyze_fn)(const ks_input *in, ks_record *r);

/* ---- set-level measures (kitsch set) ----
 * A modality's set function measures one set of ok records of its modality.
 * The caller (tools/cmd_set.c with common/aggregate) draws equal-size
 * subsamples across the sets being compared and averages, so a set function
 * just measures exactly the records it is given. It fills the metrics it owns
 * (value, and n = records or pairs used; note = e.g. "pairs sampled: 5000 of
 * 1.2M") and leaves the rest untouched. */
typedef struct ks_set_value {
    double value;          /* NaN = not measured */
    double ci_lo, ci_hi;   /* filled by the caller from subsamples; NaN if none */
    int64_t n;
    char note[160];
} ks_set_value;
struct ks_rng;
typedef int (*ks_set_fn)(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out);

/* Read the whole input into a NUL-terminated buffer (the NUL is not counted).
 * Fails with too_large beyond cap bytes, io on read errors; fills r on failure. */
int ks_read_all(const ks_input *in, int64_t cap, char **buf, size_t *len, ks_record *r);

/* ---- small shared utilities ---- */
uint64_t ks_hash64(const void *data, size_t n, uint64_t seed); /* stable across platforms */
uint64_t ks_mix64(uint64_t x);                                 /* splitmix64 finaliser */
void ks_sha256_hex(const void *data, size_t n, char out[65]);
typedef struct ks_sha256 { uint32_t h[8]; uint64_t len; unsigned char buf[64]; size_t nbuf; } ks_sha256;
void ks_sha256_init(ks_sha256 *s);
void ks_sha256_update(ks_sha256 *s, const void *data, size_t n);
void ks_sha256_final(ks_sha256 *s, char out[65]);
/* Use the portable SHA-256 code even where SHA-NI exists (tests compare the
 * two); returns whether the hardware path is available. */
int ks_sha256_portable(int on);

/* zlib lives behind these two (common/compress.c is its only user). */
size_t ks_deflate_size(const void *data, size_t n, int level); /* 0 on failure */
const char *ks_zlib_version(void);

/* Deterministic PRNG (xoshiro256**), for sampling and k-means seeding. */
typedef struct ks_rng { uint64_t s[4]; } ks_rng;
void ks_rng_seed(ks_rng *g, uint64_t seed);
uint64_t ks_rng_next(ks_rng *g);
double ks_rng_uniform(ks_rng *g);             /* [0,1) */
size_t ks_rng_below(ks_rng *g, size_t n);     /* [0,n) */

/* Crash-safe whole-file write: temp file in the same directory, fsync,
 * rename, fsync the directory. Returns 0 or KS_E_IO. */
int ks_write_file_atomic(const char *path, const void *data, size_t n);

/* Sort helpers used by many measures (NaNs are removed first by callers). */
double ks_median(double *v, size_t n);        /* reorders v */
double ks_quantile_sorted(const double *v, size_t n, double q); /* type 7 */
int ks_cmp_double(const void *a, const void *b);
/* A double from untrusted input as an integer: `fallback` when NaN, infinite
 * or outside +-2^62 (a plain cast is undefined behaviour there). */
int64_t ks_to_i64(double x, int64_t fallback);

#endif
