/* style.c - per-work style measures of issue 3 (lexicon hit rates, LLM
 * tics) and the descriptors the set-level measures need. */
#include "textint.h"
#include "text.h"

#include "lexdiv.h"
#include "lexicon.h"
#include "normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lexicon hit rates: the phrases a mined lexicon (Monroe et al. 2008 log-odds,
 * lexicon.c) marks as over-used by AI, counted per 1,000 words. */
static ks_lexicon *cached;
static char *cached_path;
/* A failed load is remembered too: inside the sandbox a retry could only
 * fail with a misleading "operation not permitted". */
static int failed_rc;
static char failed_msg[256];

/* Load (once per process) the lexicon named by opt->lexicon_path. */
static int load_lexicon(const ks_options *opt, char *msg, size_t msglen)
{
    if (cached_path && strcmp(cached_path, opt->lexicon_path) == 0) {
        if (failed_rc < 0)
            snprintf(msg, msglen, "%s", failed_msg);
        return failed_rc;
    }
    ks_lexicon *l = NULL;
    int rc = ks_lexicon_load(opt->lexicon_path, &l, msg, msglen);
    ks_lexicon_del(cached);
    x_free(cached_path);
    cached = l;
    cached_path = x_strdup(opt->lexicon_path);
    failed_rc = rc < 0 ? rc : 0;
    snprintf(failed_msg, sizeof failed_msg, "%s", rc < 0 ? msg : "");
    return failed_rc;
}

int ks_text_prepare(const ks_options *opt, char *msg, size_t msglen)
{
    if (opt && opt->lexicon_path)
        return load_lexicon(opt, msg, msglen);
    (void)ks_lexicon_default();
    return 0;
}

int ks_text_lexicon_check(const ks_options *opt, ks_record *r)
{
    char msg[256];
    if (!opt || !opt->lexicon_path)
        return 0;
    int rc = load_lexicon(opt, msg, sizeof msg);
    return rc < 0 ? ks_record_fail(r, rc, "--lexicon: %s", msg) : 0;
}

static int lexicon_features(const ks_tdoc *d, const ks_options *opt, ks_record *r)
{
    const ks_lexicon *lx;
    char info[200];
    if (opt && opt->lexicon_path) {
        char msg[256];
        int rc = load_lexicon(opt, msg, sizeof msg);
        if (rc < 0)
            return ks_record_fail(r, rc, "--lexicon: %s", msg);
        lx = cached;
        snprintf(info, sizeof info, "%.120s (%zu words, %zu phrases, %zu names)", opt->lexicon_path,
                 ks_lexicon_count(lx, KS_LEX_WORD), ks_lexicon_count(lx, KS_LEX_NGRAM), ks_lexicon_count(lx, KS_LEX_NAME));
    } else {
        lx = ks_lexicon_default();
        snprintf(info, sizeof info, "default (%zu words, %zu phrases, %zu names)", ks_lexicon_count(lx, KS_LEX_WORD),
                 ks_lexicon_count(lx, KS_LEX_NGRAM), ks_lexicon_count(lx, KS_LEX_NAME));
    }
    ks_record_set_info(r, KS_I_TEXT_LEXICON, info);
    ks_lexhits h;
    ks_lexicon_hits(lx, d, &h);
    double k = 1000.0 / (double)d->nw;
    r->feat[KS_F_TEXT_LEX_WORDS] = (double)h.hits[KS_LEX_WORD] * k;
    r->feat[KS_F_TEXT_LEX_NGRAMS] = (double)h.hits[KS_LEX_NGRAM] * k;
    r->feat[KS_F_TEXT_LEX_NAMES] = (double)h.hits[KS_LEX_NAME] * k;
    r->feat[KS_F_TEXT_LEX_ALL] = (double)(h.hits[0] + h.hits[1] + h.hits[2]) * k;
    return 0;
}

/* The literals the heuristics below look for (ASCII lower case; matched
 * case-insensitively with ’ = ', by the hash of the folded word). */
static const char *const restate[] = {"it's", "it", "this", "that's", "that", "they're", "they", "he", "she",
                                      "he's", "she's", "we", "we're", "i'm", "you're"};
static const char *const be[] = {"is", "was", "were", "are", "am"};
static const char *const one[] = {"realized", "realised", "realizing", "realising", "understood", "testament",
                                  "reminder", "lesson", "truly", "forever", "newfound"};
static const char *const two[][2] = {{"in", "the"}, {"after", "all"}, {"more", "than"}, {"first", "time"},
                                     {"true", "meaning"}, {"what", "mattered"}, {"was", "enough"},
                                     {"deep", "down"}, {"never", "forget"}, {"learned", "that"},
                                     {"knew", "that"}, {"that", "moment"}};
enum { N_RESTATE = sizeof restate / sizeof restate[0], N_BE = sizeof be / sizeof be[0],
       N_ONE = sizeof one / sizeof one[0], N_TWO = sizeof two / sizeof two[0] };

/* Hashes of the literals, computed once per process (they were re-hashed on
 * every comparison: a large share of the analyzer's time). */
static uint64_t H_NOT, H_NEVER, H_AND, H_OR, H_BUT, H_END, H_EVER, H_ANYTHING;
static uint64_t H_RESTATE[N_RESTATE], H_BE[N_BE], H_ONE[N_ONE], H_TWO[N_TWO][2];
static int restate_has_apos[N_RESTATE];

static uint64_t lit_hash(const char *lit) { return ks_text_word_hash(lit, strlen(lit)); }

static void init_lits(void)
{
    static int ready;
    if (ready) /* analyzers run one per process: no lock needed */
        return;
    H_NOT = lit_hash("not");
    H_NEVER = lit_hash("never");
    H_AND = lit_hash("and");
    H_OR = lit_hash("or");
    H_BUT = lit_hash("but");
    H_END = lit_hash("end");
    H_EVER = lit_hash("ever");
    H_ANYTHING = lit_hash("anything");
    for (size_t k = 0; k < N_RESTATE; k++) {
        H_RESTATE[k] = lit_hash(restate[k]);
        restate_has_apos[k] = strchr(restate[k], '\'') != NULL;
    }
    for (size_t k = 0; k < N_BE; k++)
        H_BE[k] = lit_hash(be[k]);
    for (size_t k = 0; k < N_ONE; k++)
        H_ONE[k] = lit_hash(one[k]);
    for (size_t k = 0; k < N_TWO; k++) {
        H_TWO[k][0] = lit_hash(two[k][0]);
        H_TWO[k][1] = lit_hash(two[k][1]);
    }
    ready = 1;
}

/* Is word i the literal whose hash is lh? */
static inline int word_is(const ks_tdoc *d, size_t i, uint64_t lh) { return d->w[i].h == lh; }

/* Does word i end in "n't" (or "n’t"), any case? */
static int ends_nt(const ks_tdoc *d, size_t i)
{
    const ks_tword *w = &d->w[i];
    const unsigned char *s = (const unsigned char *)d->text + w->off;
    size_t n = w->len;
    if (n >= 3 && (s[n - 1] | 32) == 't' && s[n - 2] == '\'' && (s[n - 3] | 32) == 'n')
        return 1;
    if (n >= 5 && (s[n - 1] | 32) == 't' && s[n - 2] == 0x99 && s[n - 3] == 0x80 && s[n - 4] == 0xE2 &&
        (s[n - 5] | 32) == 'n')
        return 1;
    return 0;
}

/* Text between word i-1 and word i (the gap before word i). */
static void gap(const ks_tdoc *d, size_t i, const char **s, size_t *n)
{
    size_t a = i ? d->w[i - 1].off + d->w[i - 1].len : 0;
    *s = d->text + a;
    *n = d->w[i].off - a;
}

static int gap_has(const ks_tdoc *d, size_t i, const char *any)
{
    const char *s;
    size_t n;
    gap(d, i, &s, &n);
    for (size_t k = 0; k < n; k++) {
        if (strchr(any, s[k]) && s[k])
            return 1;
        /* em dash U+2014 = E2 80 94, en dash U+2013 = E2 80 93 */
        if (strchr(any, 'D') && k + 2 < n && (unsigned char)s[k] == 0xE2 && (unsigned char)s[k + 1] == 0x80 &&
            ((unsigned char)s[k + 2] == 0x94 || (unsigned char)s[k + 2] == 0x93))
            return 1;
    }
    return 0;
}

static int is_negation(const ks_tdoc *d, size_t i)
{
    return d->w[i].h == H_NOT || d->w[i].h == H_NEVER || ends_nt(d, i);
}

/* Contrast constructions (heuristic, no published formula): a negation
 * ("not", "never", "...n't") followed within 8 words, after a comma, dash,
 * semicolon, colon or full stop, by "but" or by a restating pronoun + be
 * ("it's", "it was", "this is", "they were"...): "not a house, but a home",
 * "It isn't fear - it's hope", "It wasn't luck. It was grit." Each negation
 * counts at most once. */
static size_t count_contrasts(const ks_tdoc *d)
{
    size_t count = 0;
    for (size_t i = 0; i < d->nw; i++) {
        if (!is_negation(d, i))
            continue;
        for (size_t j = i + 1; j < d->nw && j <= i + 8; j++) {
            if (!gap_has(d, j, ",;:.D"))
                continue;
            int hit = 0;
            if (word_is(d, j, H_BUT))
                hit = 1;
            for (size_t k = 0; !hit && k < N_RESTATE; k++) {
                if (!word_is(d, j, H_RESTATE[k]))
                    continue;
                if (restate_has_apos[k])
                    hit = 1;
                else if (j + 1 < d->nw)
                    for (size_t b = 0; b < N_BE; b++)
                        if (word_is(d, j + 1, H_BE[b]) && !is_negation(d, j + 2 < d->nw ? j + 2 : j + 1))
                            hit = 1;
            }
            if (hit) {
                count++;
                break;
            }
        }
    }
    return count;
}

/* Tricolons (heuristic): three short items (1-4 words each) joined as
 * "A, B, and C" (serial comma) or "A, B and C" where the first item is itself
 * opened by a comma, inside one sentence. */
static size_t count_tricolons(const ks_tdoc *d)
{
    size_t count = 0;
    for (size_t s = 0; s < d->nsent; s++) {
        const ks_tspan *sp = &d->sent[s];
        size_t w0 = sp->w0, w1 = sp->w0 + sp->nw;
        for (size_t j = w0 + 2; j + 1 < w1; j++) {
            if (d->w[j].h != H_AND && d->w[j].h != H_OR)
                continue;
            if (gap_has(d, j, ";:.!?D"))
                continue;
            /* item B = words [b0, j): a comma before b0, none inside */
            size_t b0 = 0;
            for (size_t k = j - 1; k >= w0 + 1 && j - k <= 4; k--) {
                if (gap_has(d, k, ",")) {
                    b0 = k;
                    break;
                }
                if (gap_has(d, k, ";:.!?D"))
                    break;
            }
            if (!b0)
                continue;
            if (gap_has(d, j, ",")) { /* serial comma: "A, B, and C" */
                count++;
                continue;
            }
            /* "A, B and C": item A must be opened by a comma as well */
            for (size_t k = b0 - 1; k >= w0 + 1 && b0 - k <= 4; k--) {
                if (gap_has(d, k, ",")) {
                    count++;
                    break;
                }
                if (gap_has(d, k, ";:.!?D"))
                    break;
            }
        }
    }
    return count;
}

/* Closing epiphany (heuristic phrase list, ours): summary or moral phrasing
 * in the last 15 % of the words, per 100 words of that ending. */
static double closing_epiphany(const ks_tdoc *d)
{
    if (d->nw < 20)
        return NAN;
    size_t start = d->nw - (d->nw * 15 + 99) / 100;
    size_t hits = 0;
    for (size_t i = start; i < d->nw; i++) {
        for (size_t k = 0; k < N_ONE; k++)
            if (word_is(d, i, H_ONE[k]))
                hits++;
        if (i + 1 < d->nw)
            for (size_t k = 0; k < N_TWO; k++)
                if (word_is(d, i, H_TWO[k][0]) && word_is(d, i + 1, H_TWO[k][1])) {
                    /* "in the" only as "in the end" */
                    if (k == 0 && !(i + 2 < d->nw && word_is(d, i + 2, H_END)))
                        continue;
                    /* "more than" only as "more than ever" / "more than anything" */
                    if (k == 2 && !(i + 2 < d->nw && (word_is(d, i + 2, H_EVER) || word_is(d, i + 2, H_ANYTHING))))
                        continue;
                    hits++;
                }
    }
    return 100.0 * (double)hits / (double)(d->nw - start);
}

/* Case-insensitive ASCII search. */
static int contains_ci(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m) {
            char c = s[i + k];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c + 32);
            if (c != lit[k])
                break;
            k++;
        }
        if (k == m)
            return 1;
    }
    return 0;
}

static const char *const chat_pats[] = {"certainly!", "as an ai", "i hope you enjoyed", "here's a story",
                                        "here is a story", "here's a short story", "here is a short story",
                                        "\nhuman:", "\nassistant:", "\nuser:", "sure! here", "i'd be happy to"};
enum { N_CHAT = sizeof chat_pats / sizeof chat_pats[0] };

/* Does any pattern occur (case-insensitively) anywhere in s? One pass over
 * the text instead of one per pattern: at each byte only the patterns that
 * start with that letter are tried. */
static int contains_any_ci(const char *s, size_t n)
{
    /* first[c] / second[c]: the patterns whose first / second character
     * is c (either case); every pattern is longer than two characters. */
    static uint16_t first[256], second[256];
    static size_t plen[N_CHAT];
    static int ready;
    if (!ready) {
        for (size_t k = 0; k < N_CHAT; k++) {
            for (int pos = 0; pos < 2; pos++) {
                uint16_t *tab = pos ? second : first;
                unsigned char c = (unsigned char)chat_pats[k][pos];
                tab[c] |= (uint16_t)(1u << k);
                if (c >= 'a' && c <= 'z')
                    tab[c - 32] |= (uint16_t)(1u << k);
            }
            plen[k] = strlen(chat_pats[k]);
        }
        ready = 1;
    }
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned mask = first[u[i]] & second[u[i + 1]];
        while (mask) {
            int k = __builtin_ctz(mask);
            mask &= mask - 1;
            if (i + plen[k] <= n && contains_ci(s + i, plen[k], chat_pats[k]))
                return 1;
        }
    }
    return 0;
}

static int chat_artefacts(const ks_tdoc *d)
{
    if (d->markdown_header)
        return 1;
    const char *b = strstr(d->text, "**");
    if (b && strstr(b + 2, "**"))
        return 1;
    if (contains_any_ci(d->text, d->n))
        return 1;
    for (size_t k = 0; k < N_CHAT; k++)
        if (chat_pats[k][0] == '\n' && contains_ci(d->text, d->n < 16 ? d->n : 16, chat_pats[k] + 1))
            return 1;
    return 0;
}

static size_t count_dashes(const ks_tdoc *d, size_t *chars)
{
    const unsigned char *s = (const unsigned char *)d->text;
    size_t n = d->n, dash = 0, cp = 0;
    const uint64_t lo = 0x0101010101010101ull, hi = 0x8080808080808080ull, minus = 0x2d2d2d2d2d2d2d2dull;
    for (size_t i = 0; i < n; i++) {
        /* Eight ASCII bytes without a '-' (the common case): eight code
         * points and no dash start here. */
        while (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            uint64_t y = x ^ minus; /* a zero byte where x has '-' */
            if (((x | ((y - lo) & ~y)) & hi) != 0)
                break;
            cp += 8;
            i += 8;
        }
        if (i >= n)
            break;
        if ((s[i] & 0xC0) != 0x80)
            cp++;
        if (i + 2 < n && s[i] == 0xE2 && s[i + 1] == 0x80) {
            if (s[i + 2] == 0x94)
                dash++; /* em dash */
            else if (s[i + 2] == 0x93 && i > 0 && s[i - 1] == ' ' && i + 3 < n && s[i + 3] == ' ')
                dash++; /* spaced en dash used as a dash */
        } else if (s[i] == '-' && i + 1 < n && s[i + 1] == '-' && (i + 2 >= n || s[i + 2] != '-') &&
                   (i == 0 || s[i - 1] != '-')) {
            dash++; /* typewriter "--" */
        }
    }
    *chars = cp;
    return dash;
}

/* Sampled n-gram sketch (see text.sketch3 in features_text.def): keep the
 * distinct n-grams whose hash has k leading zero bits, k >= 2, raising k
 * until at most 256 remain, so two works' sketches can be intersected
 * exactly at the coarser of their rates. */
static void sketch_tail(uint64_t *g, size_t ng, int id, ks_record *r)
{
    /* g: the sampled hashes (top two bits zero), sorted; made distinct here */
    size_t u = 0;
    for (size_t i = 0; i < ng; i++)
        if (i == 0 || g[i] != g[u - 1])
            g[u++] = g[i];
    int k = 2;
    size_t keep = u;
    while (keep > 256) {
        k++;
        keep = 0;
        while (keep < u && (g[keep] >> (64 - k)) == 0)
            keep++;
    }
    double *v = x_malloc((keep + 1) * sizeof *v);
    v[0] = k;
    for (size_t i = 0; i < keep; i++)
        v[i + 1] = (double)(g[i] >> 12);
    ks_record_set_desc(r, id, v, keep + 1);
    x_free(v);
}

static void sketch(const ks_tdoc *d, int order, int id, ks_record *r)
{
    if (d->nw < (size_t)order)
        return;
    size_t m = d->nw - (size_t)order + 1;
    /* About a quarter of the n-grams are sampled: grow on demand rather
     * than reserve (and touch) room for all of them. */
    size_t cap = m / 4 + 64, ng = 0;
    uint64_t *g = x_malloc_big(cap * sizeof *g);
    for (size_t i = 0; i < m; i++) {
        uint64_t hh[4];
        for (int k = 0; k < order; k++)
            hh[k] = d->w[i + (size_t)k].h;
        uint64_t h = ks_text_ngram_hash_inline(hh, order);
        if ((h >> 62) == 0) {
            if (ng == cap) {
                cap *= 2;
                g = x_realloc(g, cap * sizeof *g);
            }
            g[ng++] = h;
        }
    }
    ks_text_sort_u64(g, ng);
    sketch_tail(g, ng, id, r);
    x_free(g);
}

void ks_text_sketch_sorted(const uint64_t *g, size_t m, int id, ks_record *r)
{
    /* The sampled hashes are a prefix of the sorted array. */
    size_t ng = 0;
    while (ng < m && (g[ng] >> 62) == 0)
        ng++;
    uint64_t *c = x_malloc((ng ? ng : 1) * sizeof *c);
    memcpy(c, g, ng * sizeof *c);
    sketch_tail(c, ng, id, r);
    x_free(c);
}

static void opening_and_excerpt(const ks_tdoc *d, ks_record *r)
{
    double op[2];
    size_t n5 = d->nw < 5 ? d->nw : 5;
    size_t first = 0;
    while (first < d->nsent && d->sent[first].header)
        first++;
    size_t s0 = first < d->nsent ? d->sent[first].w0 : 0;
    size_t sn = first < d->nsent ? d->sent[first].nw : 0;
    uint64_t *h = x_malloc((sn > 5 ? sn : 5) * sizeof *h);
    size_t w0 = s0;
    for (size_t i = 0; i < n5 && w0 + i < d->nw; i++)
        h[i] = d->w[w0 + i].h;
    op[0] = (double)(ks_text_ngram_hash(h, (int)(w0 + n5 <= d->nw ? n5 : d->nw - w0)) >> 12);
    for (size_t i = 0; i < sn; i++)
        h[i] = d->w[s0 + i].h;
    op[1] = (double)(ks_text_ngram_hash(h, (int)sn) >> 12);
    x_free(h);
    ks_record_set_desc(r, KS_D_TEXT_OPENING, op, 2);

    /* Excerpt: words from the first prose word on, whitespace collapsed. */
    char buf[KS_TEXT_EXCERPT_MAX + 8];
    size_t len = 0, start = d->w[w0 < d->nw ? w0 : 0].off;
    int space = 0, full = 0;
    for (size_t i = start; i < d->n; i++) {
        unsigned char c = (unsigned char)d->text[i];
        if (c == ' ' || c == '\n' || c == '\t') {
            space = 1;
            continue;
        }
        if (len + 2 > KS_TEXT_EXCERPT_MAX) {
            full = 1;
            break;
        }
        if (space && len)
            buf[len++] = ' ';
        space = 0;
        buf[len++] = (char)c;
    }
    /* Cut back to a word end (so never inside a UTF-8 sequence). */
    if (full) {
        while (len > 0 && buf[len - 1] != ' ')
            len--;
        while (len > 0 && buf[len - 1] == ' ')
            len--;
    }
    size_t nv = 1 + (len + 5) / 6;
    double v[1 + (KS_TEXT_EXCERPT_MAX + 5) / 6];
    v[0] = (double)len;
    for (size_t k = 1; k < nv; k++) {
        uint64_t x = 0;
        for (size_t b = 0; b < 6; b++) {
            size_t at = (k - 1) * 6 + b;
            x |= (uint64_t)(at < len ? (unsigned char)buf[at] : 0) << (8 * b);
        }
        v[k] = (double)x;
    }
    ks_record_set_desc(r, KS_D_TEXT_EXCERPT, v, nv);
}

int ks_text_measure_style(const ks_tdoc *d, const ks_options *opt, ks_record *r)
{
    init_lits();
    int rc = lexicon_features(d, opt, r);
    if (rc < 0)
        return rc;
    size_t chars;
    size_t dashes = count_dashes(d, &chars);
    r->feat[KS_F_TEXT_EMDASH] = 1000.0 * (double)dashes / (double)chars;
    r->feat[KS_F_TEXT_CONTRAST] = 1000.0 * (double)count_contrasts(d) / (double)chars;
    size_t nsent = 0;
    for (size_t i = 0; i < d->nsent; i++)
        nsent += !d->sent[i].header;
    if (nsent > 0)
        r->feat[KS_F_TEXT_TRICOLON] = (double)count_tricolons(d) / (double)nsent;
    r->feat[KS_F_TEXT_EPIPHANY] = closing_epiphany(d);
    size_t dia = 0;
    for (size_t i = 0; i < d->nw; i++)
        dia += (d->w[i].flags & KS_W_DIALOGUE) != 0;
    r->feat[KS_F_TEXT_DIALOGUE] = (double)dia / (double)d->nw;
    r->feat[KS_F_TEXT_CHAT] = chat_artefacts(d);
    /* text.sketch3 was made by ks_text_measure from its sorted 3-grams */
    sketch(d, 4, KS_D_TEXT_SKETCH4, r);
    opening_and_excerpt(d, r);
    return 0;
}
