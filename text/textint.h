/* textint.h - internal interfaces between the text analyzer's files. */
#ifndef KS_TEXT_INT_H
#define KS_TEXT_INT_H

#include "kitsch.h"
#include "segment.h"

/* Excerpts carried in records (descriptor text.excerpt): at most this many
 * bytes, 6 bytes per double (48 bits: exact). */
#define KS_TEXT_EXCERPT_MAX 768

/* Core v1 measures (text.c): length, compression, diversity, repetition. */
void ks_text_measure(const ks_tdoc *d, ks_record *r);
/* The text.sketch3/4 descriptor from the work's n-gram hashes, sorted (style.c). */
void ks_text_sketch_sorted(const uint64_t *g, size_t m, int id, ks_record *r);
/* Fail r (with the loader's message) if --lexicon names an unusable file. */
int ks_text_lexicon_check(const ks_options *opt, ks_record *r);
/* Style and lexicon measures (style.c): returns 0 or a KS_E_* (bad lexicon). */
int ks_text_measure_style(const ks_tdoc *d, const ks_options *opt, ks_record *r);

#endif
