/* lexdiv.h - lexical diversity and repetition measures over a word stream
 * given as dense type ids (0..ntypes-1). Each returns NaN when the text is
 * too short for the measure to be defined. */
#ifndef KS_TEXT_LEXDIV_H
#define KS_TEXT_LEXDIV_H

#include <stddef.h>
#include <stdint.h>

double ks_mattr(const uint32_t *type, size_t n, size_t ntypes, size_t window);
double ks_mtld(const uint32_t *type, size_t n, size_t ntypes, double threshold);
double ks_hdd(const uint32_t *type, size_t n, size_t ntypes, int sample);
/* Share of word n-gram tokens whose n-gram occurs more than once. */
double ks_rep_share(const uint64_t *h, size_t n, int order);
/* Sample coefficient of variation (sd with n-1 / mean); NaN for n < 2. */
double ks_cv(const double *v, size_t n);
/* Bottom-k MinHash of the distinct n-gram hashes: writes k values (the k
 * smallest 52-bit hashes, ascending, as exact doubles); returns how many were
 * written (< k when the text has fewer distinct n-grams). */
size_t ks_minhash(const uint64_t *h, size_t n, int order, double *out, size_t k);

/* The same from n-gram hashes already sorted (ks_ngram_hashes_sorted). */
uint64_t *ks_ngram_hashes_sorted(const uint64_t *h, size_t n, int order, size_t *m);
double ks_rep_share_sorted(const uint64_t *g, size_t m);
size_t ks_minhash_sorted(const uint64_t *g, size_t m, double *out, size_t k);
/* Sort 64-bit keys ascending (radix sort). */
void ks_text_sort_u64(uint64_t *v, size_t n);
/* The same with caller-owned scratch of n keys (no allocation). */
void ks_text_sort_u64_scratch(uint64_t *v, size_t n, uint64_t *tmp);

#endif
