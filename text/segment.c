/* segment.c - word, sentence and paragraph segmentation for prose.
 *
 * Rules (after the sentence-boundary heuristics of Grefenstette & Tapanainen
 * 1994 and Kiss & Strunk 2006, simplified to what fiction needs):
 *   - a sentence ends at . ! ? ‽ or an ellipsis, followed (after closing
 *     quotes/brackets and spaces) by the end, a line break, an upper-case
 *     letter, a digit, a caseless letter or an opening quote/bracket/dash;
 *     a lower-case continuation ("Stop!" she said) does not end it;
 *   - "." after a known abbreviation (Mr., Dr., e.g.) or a single capital
 *     initial does not end a sentence;
 *   - paragraphs are separated by blank lines; a text without any blank line
 *     but with several lines takes each line as a paragraph;
 *   - a paragraph end always ends the sentence; a Markdown header line
 *     ("# Title") is its own unit, flagged and kept out of sentence stats;
 *     a list item ("- ", "* ", "1. ") starts a new sentence;
 *   - words between quotation marks are dialogue; an unclosed quote ends at
 *     the paragraph (fiction omits the closing mark of multi-paragraph speech).
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include "segment.h"

#include "kitsch.h"
#include "normalize.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

uint64_t ks_text_word_hash(const char *folded, size_t n)
{
    return ks_text_word_hash_inline(folded, n);
}

uint64_t ks_text_ngram_hash(const uint64_t *h, int n)
{
    return ks_text_ngram_hash_inline(h, n);
}

/* English function words (our own list of closed-class words: articles,
 * pronouns, auxiliaries, prepositions, conjunctions), used to strip n-grams
 * to content words as in Monroe et al. 2008's phrase features. */
static const char *const stop_words[] = {
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for",
    "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
    "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
    "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
    "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself",
    "yourselves", "i'm", "it's", "he's", "she's", "that's", "there's", "they're", "we're",
    "you're", "i've", "i'd", "i'll", "don't", "didn't", "doesn't", "isn't", "wasn't", "weren't",
    "couldn't", "wouldn't", "can't", "won't", "let's", "s", "t", "'s",
};
enum { N_STOP = sizeof stop_words / sizeof stop_words[0] };
static int stop_ready;

int ks_text_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Stop words in an open-addressing table of 1024 slots (load < 1/6): one
 * or two probes per word instead of a binary search. 0 marks an empty slot
 * (a word hash of 0 is never a stop word: the table then holds none). */
enum { STOP_SLOTS = 1024 };
static uint64_t stop_tab[STOP_SLOTS];

static void stop_init(void)
{
    for (size_t i = 0; i < N_STOP; i++) {
        uint64_t h = ks_text_word_hash(stop_words[i], strlen(stop_words[i]));
        size_t j = (size_t)(h & (STOP_SLOTS - 1));
        while (stop_tab[j] && stop_tab[j] != h)
            j = (j + 1) & (STOP_SLOTS - 1);
        stop_tab[j] = h;
    }
    stop_ready = 1;
}

static inline int is_stop(uint64_t h)
{
    if (!stop_ready) /* analyzers run one per process: no lock needed */
        stop_init();
    if (h == 0)
        return 0;
    size_t j = (size_t)(h & (STOP_SLOTS - 1));
    while (stop_tab[j]) {
        if (stop_tab[j] == h)
            return 1;
        j = (j + 1) & (STOP_SLOTS - 1);
    }
    return 0;
}

int ks_text_is_stop(uint64_t h) { return is_stop(h); }

/* Abbreviations whose final period does not end a sentence (folded). */
static const char *const abbrevs[] = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "rev", "gen", "col", "capt", "lt", "sgt",
    "mt", "vs", "etc", "e.g", "i.e", "cf", "fig", "no", "vol", "approx", "dept", "inc", "ltd",
    "co", "sen", "gov", "pres", "messrs", "mme", "mlle",
};

enum { N_ABBREV = sizeof abbrevs / sizeof abbrevs[0] };
/* by_first[c - 'a']: bit i set if abbrevs[i] starts with c (all start with
 * a lower-case letter), so a period after a word tries only those. */
static uint64_t abbrev_by_first[26];
static int abbrev_ready;

static int is_abbrev(const char *s, size_t n)
{
    char tmp[16];
    if (n >= sizeof tmp || n == 0)
        return 0;
    if (!abbrev_ready) {
        for (size_t i = 0; i < N_ABBREV; i++)
            abbrev_by_first[abbrevs[i][0] - 'a'] |= (uint64_t)1 << i;
        abbrev_ready = 1;
    }
    for (size_t i = 0; i < n; i++)
        tmp[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
    tmp[n] = '\0';
    if (tmp[0] < 'a' || tmp[0] > 'z')
        return 0;
    for (uint64_t m = abbrev_by_first[tmp[0] - 'a']; m; m &= m - 1) {
        size_t i = 0;
        while (!((m >> i) & 1))
            i++;
        if (strcmp(tmp, abbrevs[i]) == 0)
            return 1;
    }
    return 0;
}

/* Code point decode + class with an inline ASCII path: this loop sees every
 * byte of the text, and most text is mostly ASCII. */
static inline int decode_class(const unsigned char *s, size_t n, int32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    return ks_text_decode(s, n, cp);
}

/* Classes of the ASCII bytes (from ks_text_cp_class), looked up per byte. */
static unsigned char ascii_cls[128];
static unsigned char ascii_word[128]; /* letter or digit */
static unsigned char ascii_lc[128];   /* lower case */
/* Per byte: its lower case if it is an ASCII letter or digit, else 0 (so
 * the word loop's common case is one load and one test). */
static unsigned char word_lc[256];
static int ascii_ready;

static int is_wordchar(int cls)
{
    return cls == KS_CP_UPPER || cls == KS_CP_LOWER || cls == KS_CP_LETTER || cls == KS_CP_DIGIT ||
           cls == KS_CP_MARK;
}

static void ascii_init(void)
{
    for (int c = 0; c < 128; c++) {
        ascii_cls[c] = (unsigned char)ks_text_cp_class(c);
        ascii_word[c] = (unsigned char)is_wordchar(ascii_cls[c]);
        ascii_lc[c] = (unsigned char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        word_lc[c] = ascii_word[c] ? ascii_lc[c] : 0;
    }
    ascii_ready = 1;
}

static inline int cp_class(int32_t c)
{
    if (c >= 0 && c < 0x80)
        return ascii_cls[c];
    return ks_text_cp_class(c);
}

static int is_apostrophe(int32_t c) { return c == '\'' || c == 0x2019; }
static int is_hyphen(int32_t c) { return c == '-' || c == 0x2010 || c == 0x2011; }
static int is_terminator(int32_t c) { return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0x203D; }
static int is_closer(int32_t c)
{
    return c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == 0xBB || c == ')' || c == ']' ||
           c == '*' || c == '_';
}
static int is_opener(int32_t c)
{
    return c == '"' || c == '\'' || c == 0x201C || c == 0x2018 || c == 0xAB || c == '(' || c == '[' ||
           c == 0x2014 || c == 0x2013 || c == '-' || c == '*' || c == '_' || c == 0xBF || c == 0xA1;
}

typedef struct builder {
    ks_tdoc *d;
    size_t capw, caps, capp;
    size_t sent_w0, para_w0;
    uint32_t sent_off, para_off;
    int sent_header;
} builder;

static void end_sentence(builder *b, uint32_t end)
{
    ks_tdoc *d = b->d;
    if (d->nw > b->sent_w0) {
        if (d->nsent == b->caps) {
            b->caps = b->caps ? 2 * b->caps : 64;
            d->sent = x_realloc(d->sent, b->caps * sizeof *d->sent);
        }
        ks_tspan *s = &d->sent[d->nsent++];
        s->w0 = (uint32_t)b->sent_w0;
        s->nw = (uint32_t)(d->nw - b->sent_w0);
        s->off = b->sent_off;
        s->end = end;
        s->header = b->sent_header;
    }
    b->sent_w0 = d->nw;
    b->sent_header = 0;
}

static void end_paragraph(builder *b, uint32_t end)
{
    ks_tdoc *d = b->d;
    end_sentence(b, end);
    if (d->nw > b->para_w0) {
        if (d->npara == b->capp) {
            b->capp = b->capp ? 2 * b->capp : 16;
            d->para = x_realloc(d->para, b->capp * sizeof *d->para);
        }
        ks_tspan *p = &d->para[d->npara++];
        p->w0 = (uint32_t)b->para_w0;
        p->nw = (uint32_t)(d->nw - b->para_w0);
        p->off = b->para_off;
        p->end = end;
        p->header = 0;
    }
    b->para_w0 = d->nw;
}

/* Fold one word into buf: ASCII lower-casing inline, the rest through
 * utf8proc's case folding; U+2019 becomes ASCII '. Returns the length. */
size_t ks_text_fold_word_ex(const char *s, size_t n, char *buf, size_t cap, int *ascii_only)
{
    size_t m = 0;
    int ascii = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            ascii = 0;
            break;
        }
        if (m + 1 >= cap)
            break;
        buf[m++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    *ascii_only = ascii;
    if (ascii) {
        buf[m] = '\0';
        return m;
    }
    /* Replace U+2019 (E2 80 99) by ' before folding. */
    char *tmp = x_malloc(n + 1);
    size_t t = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x99) {
            tmp[t++] = '\'';
            i += 2;
        } else {
            tmp[t++] = s[i];
        }
    }
    m = ks_text_fold(tmp, t, buf, cap);
    if (m == 0) { /* too long to fold into buf: identify it by its bytes */
        m = t < cap - 1 ? t : cap - 1;
        memcpy(buf, tmp, m);
        buf[m] = '\0';
    }
    x_free(tmp);
    return m;
}

/* Dense type ids through an open-addressing table sized by the number of
 * types seen so far (grown at half load), not by the number of words: types
 * are far fewer than tokens (Heaps' law), and a small table stays in cache. */
static void assign_types(ks_tdoc *d)
{
    size_t cap = 4096, nt = 0;
    uint64_t *keys = x_malloc(cap * sizeof *keys);
    uint32_t *ids = x_malloc(cap * sizeof *ids);
    unsigned char *used = x_calloc(cap, 1);
    d->type = x_malloc_big((d->nw ? d->nw : 1) * sizeof *d->type);
    for (size_t i = 0; i < d->nw; i++) {
        if (2 * (nt + 1) > cap) {
            size_t nc = cap * 4;
            uint64_t *nk = x_malloc_big(nc * sizeof *nk);
            uint32_t *ni = x_malloc_big(nc * sizeof *ni);
            unsigned char *nu = x_calloc(nc, 1);
            for (size_t j = 0; j < cap; j++) {
                if (!used[j])
                    continue;
                size_t q = (size_t)(keys[j] & (nc - 1));
                while (nu[q])
                    q = (q + 1) & (nc - 1);
                nu[q] = 1;
                nk[q] = keys[j];
                ni[q] = ids[j];
            }
            x_free(keys);
            x_free(ids);
            x_free(used);
            keys = nk;
            ids = ni;
            used = nu;
            cap = nc;
        }
        uint64_t h = d->w[i].h;
        size_t j = (size_t)(h & (cap - 1));
        while (used[j] && keys[j] != h)
            j = (j + 1) & (cap - 1);
        if (!used[j]) {
            used[j] = 1;
            keys[j] = h;
            ids[j] = (uint32_t)nt++;
        }
        d->type[i] = ids[j];
    }
    d->ntypes = nt;
    x_free(keys);
    x_free(ids);
    x_free(used);
}

void ks_tdoc_build(ks_tdoc *d, const char *text, size_t n)
{
    memset(d, 0, sizeof *d);
    if (!ascii_ready)
        ascii_init();
    d->text = text;
    d->n = n;
    builder b = {0};
    b.d = d;
    /* ~1 word per 5.5 bytes of English: pre-size to avoid repeated copies */
    b.capw = n / 5 + 16;
    d->w = x_malloc_big(b.capw * sizeof *d->w);
    const unsigned char *s = (const unsigned char *)text;

    /* Any blank line? If not, lines are paragraphs. */
    int lines = 0, blank = 0;
    for (size_t i = 0; i < n && !blank; i++) {
        if (s[i] != '\n')
            continue;
        lines++;
        size_t j = i + 1;
        while (j < n && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j < n && s[j] == '\n')
            blank = 1;
    }
    d->para_by_line = !blank && lines > 0;

    int in_quote = 0, line_start = 1, header_line = 0;
    char fbuf[256];
    size_t i = 0;
    while (i < n) {
        if (line_start) {
            /* Markdown header or list item at the start of a line. */
            size_t j = i;
            while (j < n && (s[j] == ' ' || s[j] == '\t'))
                j++;
            size_t k = j;
            while (k < n && s[k] == '#' && k - j < 7)
                k++;
            if (k > j && k - j <= 6 && k < n && s[k] == ' ') {
                end_sentence(&b, (uint32_t)i);
                header_line = 1;
                b.sent_header = 1;
                b.sent_off = (uint32_t)i;
                d->markdown_header = 1;
                i = k + 1;
                line_start = 0;
                continue;
            }
            int list = 0;
            if (j + 1 < n && (s[j] == '-' || s[j] == '*' || s[j] == '+') && s[j + 1] == ' ')
                list = 1;
            else if (j + 2 < n && s[j] == 0xE2 && s[j + 1] == 0x80 && s[j + 2] == 0xA2) /* • */
                list = 1;
            else {
                size_t q = j;
                while (q < n && s[q] >= '0' && s[q] <= '9' && q - j < 4)
                    q++;
                if (q > j && q + 1 < n && (s[q] == '.' || s[q] == ')') && s[q + 1] == ' ')
                    list = 1;
            }
            if (list)
                end_sentence(&b, (uint32_t)i);
            line_start = 0;
        }
        if (s[i] == ' ' || s[i] == '\t') { /* the commonest byte between words */
            i++;
            continue;
        }
        int32_t c;
        int len = decode_class(s + i, n - i, &c);
        int cls = cp_class(c);
        if (is_wordchar(cls) && cls != KS_CP_MARK) {
            /* A word: letters/digits/marks with internal connectors. */
            size_t start = i, j = i + (size_t)len;
            int first_cls = cls, all_ascii = c < 0x80;
            /* While the word is ASCII, its folded hash (FNV-1a, as
             * ks_text_word_hash) is computed as it is scanned. */
            uint64_t x = KS_TEXT_WORD_H0;
            if (all_ascii)
                x = (x ^ ascii_lc[c]) * 0x100000001b3ull;
            while (j < n) {
                int32_t c2;
                int l2, k2;
                unsigned char wl = word_lc[s[j]];
                if (wl) { /* the common case: an ASCII letter or digit */
                    x = (x ^ wl) * 0x100000001b3ull;
                    j++;
                    continue;
                }
                if (s[j] < 0x80) {
                    c2 = s[j];
                    l2 = 1;
                    k2 = ascii_cls[s[j]];
                } else {
                    l2 = decode_class(s + j, n - j, &c2);
                    k2 = cp_class(c2);
                    all_ascii = 0;
                    if (is_wordchar(k2)) {
                        j += (size_t)l2;
                        continue;
                    }
                }
                if (j + (size_t)l2 < n && (is_apostrophe(c2) || is_hyphen(c2) || c2 == '.' || c2 == ',')) {
                    int32_t c3;
                    int prev_digit = cp_class((int32_t)s[j - 1]) == KS_CP_DIGIT;
                    (void)decode_class(s + j + l2, n - j - (size_t)l2, &c3);
                    int k3 = cp_class(c3);
                    int ok = (c2 == '.' || c2 == ',') ? (prev_digit && k3 == KS_CP_DIGIT)
                                                      : (is_wordchar(k3) && k3 != KS_CP_MARK);
                    if (ok) {
                        if (l2 == 1)
                            x = (x ^ ascii_lc[c2]) * 0x100000001b3ull;
                        j += (size_t)l2;
                        continue;
                    }
                }
                break;
            }
            uint64_t wh;
            if (all_ascii && j - start <= sizeof fbuf - 1) {
                wh = ks_text_mix64(x);
            } else if (all_ascii) {
                /* ASCII but longer than ks_text_fold_word_ex keeps: hash
                 * its first sizeof fbuf - 1 bytes. */
                size_t wl = sizeof fbuf - 1;
                x = KS_TEXT_WORD_H0;
                for (size_t q = start; q < start + wl; q++) {
                    unsigned char ch = s[q];
                    x ^= (uint64_t)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
                    x *= 0x100000001b3ull;
                }
                wh = ks_text_mix64(x);
            } else {
                int ascii;
                size_t fl = ks_text_fold_word_ex((const char *)s + start, j - start, fbuf, sizeof fbuf, &ascii);
                wh = ks_text_word_hash(fbuf, fl);
            }
            if (d->nw == b.capw) {
                b.capw = b.capw ? 2 * b.capw : 256;
                d->w = x_realloc(d->w, b.capw * sizeof *d->w);
            }
            if (d->nw == b.sent_w0 && !header_line)
                b.sent_off = (uint32_t)start;
            if (d->nw == b.para_w0)
                b.para_off = (uint32_t)start;
            ks_tword *w = &d->w[d->nw];
            w->h = wh;
            w->off = (uint32_t)start;
            w->len = (uint16_t)(j - start > 65535 ? 65535 : j - start);
            w->flags = 0;
            if (first_cls == KS_CP_UPPER)
                w->flags |= KS_W_CAP;
            if (in_quote)
                w->flags |= KS_W_DIALOGUE;
            if (d->nw == b.sent_w0)
                w->flags |= KS_W_SENT_START;
            if (header_line)
                w->flags |= KS_W_HEADER;
            if (is_stop(w->h))
                w->flags |= KS_W_STOP;
            d->nw++;
            i = j;
            continue;
        }
        if (cls == KS_CP_NEWLINE || c == '\n') {
            size_t j = i, nl = 0;
            while (j < n) {
                int32_t c2;
                int l2 = decode_class(s + j, n - j, &c2);
                int k2 = cp_class(c2);
                if (k2 == KS_CP_NEWLINE)
                    nl++;
                else if (k2 != KS_CP_SPACE)
                    break;
                j += (size_t)l2;
            }
            if (nl >= 2 || d->para_by_line) {
                end_paragraph(&b, (uint32_t)i);
                in_quote = 0;
            } else if (header_line) {
                end_sentence(&b, (uint32_t)i);
            }
            header_line = 0;
            line_start = 1;
            i = j;
            continue;
        }
        if (c == 0x201C || c == 0xAB) {
            in_quote = 1;
        } else if (c == 0x201D || c == 0xBB) {
            in_quote = 0;
        } else if (c == '"') {
            in_quote = !in_quote;
        } else if (is_terminator(c)) {
            /* The whole terminator run: "?!", "...", ". . ." */
            int single_period = (c == '.');
            size_t j = i + (size_t)len;
            for (;;) {
                size_t q = j;
                while (q < n && s[q] == ' ')
                    q++;
                if (q >= n)
                    break;
                int32_t c2;
                int l2 = decode_class(s + q, n - q, &c2);
                if (!is_terminator(c2) || (q > j && c2 != '.'))
                    break;
                single_period = 0;
                j = q + (size_t)l2;
            }
            /* Closers: quotes, brackets, emphasis marks. */
            while (j < n) {
                int32_t c2;
                int l2 = decode_class(s + j, n - j, &c2);
                if (!is_closer(c2))
                    break;
                if (c2 == 0x201D || c2 == 0xBB || (c2 == '"' && in_quote))
                    in_quote = 0;
                else if (c2 == '"')
                    in_quote = 1;
                j += (size_t)l2;
            }
            /* What follows decides. */
            size_t q = j;
            int saw_space = 0, saw_nl = 0;
            int32_t nc = 0;
            int ncls = KS_CP_OTHER;
            while (q < n) {
                int l2 = decode_class(s + q, n - q, &nc);
                ncls = cp_class(nc);
                if (ncls == KS_CP_SPACE) {
                    saw_space = 1;
                } else if (ncls == KS_CP_NEWLINE) {
                    saw_nl = 1;
                } else {
                    break;
                }
                q += (size_t)l2;
            }
            int brk;
            if (q >= n || saw_nl)
                brk = 1;
            else if (!saw_space && j == i + (size_t)len)
                brk = 0; /* "3.5", "e.g.x", "file.txt": no space after the period */
            else if (ncls == KS_CP_LOWER || nc == ',' || nc == ';' || nc == ':')
                brk = 0;
            else
                brk = ncls == KS_CP_UPPER || ncls == KS_CP_DIGIT || ncls == KS_CP_LETTER || is_opener(nc);
            if (brk && single_period && d->nw > b.sent_w0) {
                const ks_tword *pw = &d->w[d->nw - 1];
                if (pw->off + pw->len == i) {
                    const char *ws = text + pw->off;
                    if (is_abbrev(ws, pw->len))
                        brk = 0;
                    else if (pw->len == 1 && ws[0] >= 'A' && ws[0] <= 'Z')
                        brk = 0; /* an initial: "J. R. R. Tolkien" */
                }
            }
            if (brk)
                end_sentence(&b, (uint32_t)j);
            i = j;
            continue;
        }
        i += (size_t)len;
    }
    end_paragraph(&b, (uint32_t)n);
    assign_types(d);
}

void ks_tdoc_free(ks_tdoc *d)
{
    if (!d)
        return;
    x_free(d->w);
    x_free(d->type);
    x_free(d->sent);
    x_free(d->para);
    memset(d, 0, sizeof *d);
}

size_t ks_text_fold_word(const char *s, size_t n, char *buf, size_t cap)
{
    int ascii;
    return ks_text_fold_word_ex(s, n, buf, cap, &ascii);
}
