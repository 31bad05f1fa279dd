/* lexicon.h - over-used phrase lexicons: mining (weighted log-odds with an
 * informative Dirichlet prior, Monroe, Colaresi & Quinn 2008) and matching.
 *
 * Lexicon file (TSV, UTF-8; '#' lines are comments):
 *     kind <TAB> phrase <TAB> n <TAB> z <TAB> count_ai <TAB> count_human <TAB> df_ai <TAB> df_human
 * kind is word (one content word), ngram (2 or 3 content words after
 * stop-word removal, within a sentence) or name (a word written capitalised
 * mid-sentence: a character name). Only kind and phrase are needed to match.
 *
 *     ks_lexicon *lx; char msg[200];
 *     if (ks_lexicon_load("my.tsv", &lx, msg, sizeof msg) < 0) ...
 *     ks_lexicon_hits(lx, &doc, &hits);
 *     ks_lexicon_del(lx);
 */
#ifndef KS_TEXT_LEXICON_H
#define KS_TEXT_LEXICON_H

#include <stddef.h>

#include "segment.h"

enum { KS_LEX_WORD = 0, KS_LEX_NGRAM = 1, KS_LEX_NAME = 2, KS_LEX_KINDS = 3 };

typedef struct ks_lexicon ks_lexicon;

int ks_lexicon_parse(const char *tsv, size_t n, ks_lexicon **out, char *msg, size_t msglen);
int ks_lexicon_load(const char *path, ks_lexicon **out, char *msg, size_t msglen);
/* The lexicon built into the binary (text/lexicon_default.tsv); parsed on
 * first use and kept for the life of the process. */
const ks_lexicon *ks_lexicon_default(void);
void ks_lexicon_del(ks_lexicon *l);
size_t ks_lexicon_count(const ks_lexicon *l, int kind);

typedef struct ks_lexhits {
    size_t hits[KS_LEX_KINDS]; /* matched tokens (words, names) or n-grams */
} ks_lexhits;
void ks_lexicon_hits(const ks_lexicon *l, const ks_tdoc *d, ks_lexhits *out);

/* ---- mining ---- */
typedef struct ks_lexmine_opts {
    double alpha0;   /* prior strength: pseudo-count total of the pooled-frequency prior */
    int min_df;      /* keep only phrases found in >= min_df AI documents */
    double min_z;    /* keep only z >= min_z (AI over-use) */
    int top[KS_LEX_KINDS]; /* at most this many entries per kind */
} ks_lexmine_opts;
void ks_lexmine_opts_default(ks_lexmine_opts *o);

typedef struct ks_lexmine ks_lexmine;
ks_lexmine *ks_lexmine_new(void);
/* Add one document (side: 0 human, 1 AI). Returns 0, or KS_E_ENCODING /
 * KS_E_TOO_SHORT with a message (the document is then skipped). */
int ks_lexmine_add(ks_lexmine *m, int side, const char *text, size_t n, char *msg, size_t msglen);
size_t ks_lexmine_docs(const ks_lexmine *m, int side);
/* The lexicon as TSV text (x_free it); *nent = entries written. */
char *ks_lexmine_tsv(ks_lexmine *m, const ks_lexmine_opts *o, size_t *nent);
void ks_lexmine_del(ks_lexmine *m);

/* Content-word n-grams: calls fn for every 2- and 3-gram of non-stop words
 * inside one sentence (header lines skipped). idx = word indices. */
typedef void (*ks_ngram_fn)(void *ctx, const ks_tdoc *d, const size_t *idx, int n, uint64_t h);
void ks_text_content_ngrams(const ks_tdoc *d, ks_ngram_fn fn, void *ctx);

#endif
