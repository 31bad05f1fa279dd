/* segment.h - words, sentences and paragraphs of an NFC-normalised text.
 *
 *     ks_tdoc d;
 *     ks_tdoc_build(&d, nfc, n);     // never fails (OOM aborts)
 *     for (size_t i = 0; i < d.nw; i++) ... d.w[i].h, d.type[i] ...
 *     ks_tdoc_free(&d);
 *
 * A word is a run of letters, digits and combining marks with internal
 * apostrophes (' or U+2019), hyphens, and digit separators ("3.5", "1,000").
 * Words are identified by the 64-bit hash of their case-folded form, with
 * U+2019 folded to ASCII ', so "Don’t" and "don't" are the same word. */
#ifndef KS_TEXT_SEGMENT_H
#define KS_TEXT_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

enum {
    KS_W_CAP = 1,        /* first letter is upper/title case */
    KS_W_DIALOGUE = 2,   /* inside quotation marks */
    KS_W_SENT_START = 4, /* first word of a sentence */
    KS_W_HEADER = 8,     /* on a Markdown header line */
    KS_W_STOP = 16       /* an English function word (see segment.c) */
};

typedef struct ks_tword {
    uint64_t h;     /* hash of the folded form */
    uint32_t off;   /* byte span in the text */
    uint16_t len;   /* saturates at 65535 */
    uint16_t flags;
} ks_tword;

typedef struct ks_tspan {
    uint32_t w0, nw;    /* words [w0, w0+nw) */
    uint32_t off, end;  /* byte span */
    int header;         /* a Markdown header line (not a sentence of prose) */
} ks_tspan;

typedef struct ks_tdoc {
    const char *text;   /* not owned */
    size_t n;
    ks_tword *w;
    size_t nw;
    uint32_t *type;     /* dense type id per word, 0..ntypes-1 */
    size_t ntypes;
    ks_tspan *sent;     /* sentences, incl. header lines (flagged) */
    size_t nsent;
    ks_tspan *para;     /* paragraphs with at least one word */
    size_t npara;
    int markdown_header; /* saw a "# " line */
    int para_by_line;    /* no blank lines: each line was taken as a paragraph */
} ks_tdoc;

void ks_tdoc_build(ks_tdoc *d, const char *text, size_t n);
void ks_tdoc_free(ks_tdoc *d);

/* The hashes below are inlined in the hot loops. They must stay equal to
 * ks_hash64(folded, n, 0x6b77) and to the n-gram hash records were written
 * with (sketches and MinHash values are compared across runs). */
static inline uint64_t ks_text_mix64(uint64_t x)
{
    /* = ks_mix64 (splitmix64 finaliser, Steele, Lea & Flood 2014) */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

/* FNV-1a 64 seeded as ks_hash64 does with the word seed "kw" (0x6b77). */
#define KS_TEXT_WORD_H0 (0xcbf29ce484222325ull ^ ks_text_mix64(0x6b77))
static inline uint64_t ks_text_word_hash_inline(const char *folded, size_t n)
{
    const unsigned char *p = (const unsigned char *)folded;
    uint64_t h = KS_TEXT_WORD_H0;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return ks_text_mix64(h);
}

static inline uint64_t ks_text_ngram_hash_inline(const uint64_t *h, int n)
{
    uint64_t x = 0x9e3779b97f4a7c15ull * (uint64_t)n;
    for (int i = 0; i < n; i++)
        x = ks_text_mix64(x + h[i]);
    return x;
}

/* Hash of a folded word, and of an n-gram of word hashes (order-sensitive). */
uint64_t ks_text_word_hash(const char *folded, size_t n);
uint64_t ks_text_ngram_hash(const uint64_t *h, int n);
/* Fold a word span (ASCII inline, otherwise utf8proc case folding; U+2019
 * becomes '): the form whose hash identifies the word. */
size_t ks_text_fold_word_ex(const char *s, size_t n, char *buf, size_t cap, int *ascii_only);
size_t ks_text_fold_word(const char *s, size_t n, char *buf, size_t cap);
/* qsort comparator for uint64_t. */
int ks_text_cmp_u64(const void *a, const void *b);
/* Is hash h one of the English function words (stop words)? */
int ks_text_is_stop(uint64_t h);

#endif
