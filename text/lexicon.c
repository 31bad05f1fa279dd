/* lexicon.c - mining and matching over-used phrase lexicons.
 *
 * Mining follows Monroe, Colaresi & Quinn 2008, "Fightin' Words: Lexical
 * feature selection and evaluation for identifying the content of political
 * conflict", Political Analysis 16(4), sec. 3.5: the log-odds ratio of a
 * phrase between two corpora with an informative Dirichlet prior, divided by
 * its approximate standard deviation (their eqs. 16, 18, 19, 22):
 *     delta_w = log((y_a + a_w) / (n_a + a_0 - y_a - a_w))
 *             - log((y_h + a_w) / (n_h + a_0 - y_h - a_w))
 *     var_w  ~= 1/(y_a + a_w) + 1/(y_h + a_w),   z_w = delta_w / sqrt(var_w)
 * with the prior a_w = a_0 * (y_a + y_h) / (n_a + n_h) taken from the pooled
 * corpus (the common choice when no separate background corpus is given).
 */
#include "lexicon.h"

#include "kitsch.h"
#include "normalize.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small open-addressing set/map of 64-bit hashes ---- */
typedef struct hset {
    uint64_t *k;
    uint32_t *v;
    unsigned char *used;
    size_t cap, n;
} hset;

static void hset_init(hset *s, size_t cap)
{
    s->cap = 16;
    while (s->cap < cap * 2)
        s->cap <<= 1;
    s->k = x_malloc(s->cap * sizeof *s->k);
    s->v = x_malloc(s->cap * sizeof *s->v);
    s->used = x_calloc(s->cap, 1);
    s->n = 0;
}

static void hset_free(hset *s)
{
    x_free(s->k);
    x_free(s->v);
    x_free(s->used);
    memset(s, 0, sizeof *s);
}

/* Returns the slot of h, inserting it (with value v) if absent. */
static size_t hset_put(hset *s, uint64_t h, uint32_t v, int *added);
static void hset_grow(hset *s)
{
    hset t;
    hset_init(&t, s->cap);
    for (size_t i = 0; i < s->cap; i++)
        if (s->used[i]) {
            int a;
            hset_put(&t, s->k[i], s->v[i], &a);
        }
    hset_free(s);
    *s = t;
}

static size_t hset_put(hset *s, uint64_t h, uint32_t v, int *added)
{
    if ((s->n + 1) * 2 > s->cap)
        hset_grow(s);
    size_t j = (size_t)(h & (s->cap - 1));
    while (s->used[j] && s->k[j] != h)
        j = (j + 1) & (s->cap - 1);
    *added = !s->used[j];
    if (*added) {
        s->used[j] = 1;
        s->k[j] = h;
        s->v[j] = v;
        s->n++;
    }
    return j;
}

static int hset_has(const hset *s, uint64_t h)
{
    if (!s->cap)
        return 0;
    size_t j = (size_t)(h & (s->cap - 1));
    while (s->used[j]) {
        if (s->k[j] == h)
            return 1;
        j = (j + 1) & (s->cap - 1);
    }
    return 0;
}

/* ---- content n-grams ---- */

void ks_text_content_ngrams(const ks_tdoc *d, ks_ngram_fn fn, void *ctx)
{
    size_t *idx = x_malloc((d->nw + 1) * sizeof *idx);
    for (size_t s = 0; s < d->nsent; s++) {
        const ks_tspan *sp = &d->sent[s];
        if (sp->header)
            continue;
        size_t m = 0;
        for (size_t i = sp->w0; i < (size_t)sp->w0 + sp->nw; i++)
            if (!(d->w[i].flags & KS_W_STOP))
                idx[m++] = i;
        for (int n = 2; n <= 3; n++)
            for (size_t i = 0; i + (size_t)n <= m; i++) {
                uint64_t hh[3];
                for (int k = 0; k < n; k++)
                    hh[k] = d->w[idx[i + (size_t)k]].h;
                fn(ctx, d, idx + i, n, ks_text_ngram_hash_inline(hh, n));
            }
    }
    x_free(idx);
}

/* ---- lexicon ---- */
struct ks_lexicon {
    hset set[KS_LEX_KINDS];
    size_t count[KS_LEX_KINDS];
};

static int kind_of(const char *s, size_t n)
{
    if (n == 4 && memcmp(s, "word", 4) == 0) return KS_LEX_WORD;
    if (n == 5 && memcmp(s, "ngram", 5) == 0) return KS_LEX_NGRAM;
    if (n == 4 && memcmp(s, "name", 4) == 0) return KS_LEX_NAME;
    return -1;
}

int ks_lexicon_parse(const char *tsv, size_t n, ks_lexicon **out, char *msg, size_t msglen)
{
    ks_lexicon *l = x_calloc(1, sizeof *l);
    int rc = 0;
    for (int k = 0; k < KS_LEX_KINDS; k++)
        hset_init(&l->set[k], 64);
    size_t line = 0, i = 0;
    char *nfc = NULL;
    while (i < n) {
        size_t e = i;
        while (e < n && tsv[e] != '\n')
            e++;
        line++;
        const char *s = tsv + i;
        size_t len = e - i;
        i = e + 1;
        if (len && s[len - 1] == '\r')
            len--;
        if (len == 0 || s[0] == '#')
            continue;
        const char *t1 = memchr(s, '\t', len);
        if (!t1) {
            snprintf(msg, msglen, "lexicon line %zu: expected kind<TAB>phrase", line);
            rc = KS_E_PARSE;
            goto done;
        }
        int kind = kind_of(s, (size_t)(t1 - s));
        if (kind < 0) {
            if (t1 - s == 4 && memcmp(s, "kind", 4) == 0)
                continue; /* the header row */
            snprintf(msg, msglen, "lexicon line %zu: unknown kind '%.*s' (word, ngram or name)", line,
                     (int)(t1 - s), s);
            rc = KS_E_PARSE;
            goto done;
        }
        const char *p = t1 + 1;
        const char *t2 = memchr(p, '\t', len - (size_t)(p - s));
        size_t plen = t2 ? (size_t)(t2 - p) : len - (size_t)(p - s);
        char emsg[160];
        if (ks_text_validate(p, plen, emsg, sizeof emsg) < 0) {
            snprintf(msg, msglen, "lexicon line %zu: %s", line, emsg);
            rc = KS_E_PARSE;
            goto done;
        }
        size_t m = 0;
        if (ks_text_nfc(p, plen, &nfc, &m, emsg, sizeof emsg) < 0) {
            snprintf(msg, msglen, "lexicon line %zu: %s", line, emsg);
            rc = KS_E_PARSE;
            goto done;
        }
        ks_tdoc d;
        ks_tdoc_build(&d, nfc, m);
        int bad = 0;
        uint64_t h = 0;
        if (kind == KS_LEX_NGRAM) {
            /* Phrases are matched after stop-word removal, like the miner. */
            uint64_t hh[3];
            int k = 0;
            for (size_t w = 0; w < d.nw; w++)
                if (!(d.w[w].flags & KS_W_STOP)) {
                    if (k == 3) { bad = 1; break; }
                    hh[k++] = d.w[w].h;
                }
            if (k < 2)
                bad = 1;
            else
                h = ks_text_ngram_hash(hh, k);
        } else {
            if (d.nw != 1)
                bad = 1;
            else
                h = d.w[0].h;
        }
        ks_tdoc_free(&d);
        x_free(nfc);
        nfc = NULL;
        if (bad) {
            snprintf(msg, msglen, "lexicon line %zu: a %s must be %s", line, kind == KS_LEX_NGRAM ? "ngram" : "word/name",
                     kind == KS_LEX_NGRAM ? "2 or 3 content (non-stop) words" : "exactly one word");
            rc = KS_E_PARSE;
            goto done;
        }
        int added;
        hset_put(&l->set[kind], h, 0, &added);
        if (added)
            l->count[kind]++;
    }
done:
    x_free(nfc);
    if (rc < 0) {
        ks_lexicon_del(l);
        l = NULL;
    }
    *out = l;
    return rc;
}

int ks_lexicon_load(const char *path, ks_lexicon **out, char *msg, size_t msglen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(msg, msglen, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? KS_E_NOT_FOUND : KS_E_IO;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = x_malloc(cap);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            if (cap > ((size_t)64 << 20)) {
                fclose(f);
                x_free(buf);
                snprintf(msg, msglen, "%s: lexicon larger than 64 MiB", path);
                return KS_E_TOO_LARGE;
            }
            cap *= 2;
            buf = x_realloc(buf, cap);
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        x_free(buf);
        snprintf(msg, msglen, "%s: read error", path);
        return KS_E_IO;
    }
    int rc = ks_lexicon_parse(buf, n, out, msg, msglen);
    x_free(buf);
    return rc;
}

extern const unsigned char ks_text_lexicon_default_tsv[];
extern const size_t ks_text_lexicon_default_len;

const ks_lexicon *ks_lexicon_default(void)
{
    static ks_lexicon *def;
    if (!def) {
        char msg[200];
        /* The embedded file is checked by the tests; a parse failure here
         * would be a build bug, so fall back to an empty lexicon. */
        if (ks_lexicon_parse((const char *)ks_text_lexicon_default_tsv, ks_text_lexicon_default_len, &def, msg,
                             sizeof msg) < 0 || !def)
            ks_lexicon_parse("", 0, &def, msg, sizeof msg);
    }
    return def;
}

void ks_lexicon_del(ks_lexicon *l)
{
    if (!l)
        return;
    for (int k = 0; k < KS_LEX_KINDS; k++)
        hset_free(&l->set[k]);
    x_free(l);
}

size_t ks_lexicon_count(const ks_lexicon *l, int kind) { return l->count[kind]; }

static void hit_ngram(void *ctx, const ks_tdoc *d, const size_t *idx, int n, uint64_t h)
{
    (void)d; (void)idx; (void)n;
    void **c = ctx;
    const ks_lexicon *l = c[0];
    ks_lexhits *out = c[1];
    if (hset_has(&l->set[KS_LEX_NGRAM], h))
        out->hits[KS_LEX_NGRAM]++;
}

void ks_lexicon_hits(const ks_lexicon *l, const ks_tdoc *d, ks_lexhits *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < d->nw; i++) {
        const ks_tword *w = &d->w[i];
        if (w->flags & (KS_W_STOP | KS_W_HEADER))
            continue;
        if (hset_has(&l->set[KS_LEX_WORD], w->h))
            out->hits[KS_LEX_WORD]++;
        if ((w->flags & KS_W_CAP) && hset_has(&l->set[KS_LEX_NAME], w->h))
            out->hits[KS_LEX_NAME]++;
    }
    if (l->count[KS_LEX_NGRAM]) {
        void *ctx[2] = {(void *)l, out};
        ks_text_content_ngrams(d, hit_ngram, ctx);
    }
}

/* ---- mining ---- */

typedef struct gram {
    uint64_t h;
    uint32_t str;       /* offset of the folded phrase in the string arena */
    uint8_t n;          /* 1, 2, 3 */
    uint32_t cnt[2], df[2], last[2];
    uint32_t capmid, mid; /* words: capitalised mid-sentence / all mid-sentence uses */
} gram;

struct ks_lexmine {
    hset idx;            /* hash -> index into g */
    gram *g;
    size_t ng, capg;
    char *str;
    size_t nstr, capstr;
    uint32_t docs[2];
    double total[2][4];  /* tokens per side and order */
};

ks_lexmine *ks_lexmine_new(void)
{
    ks_lexmine *m = x_calloc(1, sizeof *m);
    hset_init(&m->idx, 1 << 14);
    return m;
}

void ks_lexmine_del(ks_lexmine *m)
{
    if (!m)
        return;
    hset_free(&m->idx);
    x_free(m->g);
    x_free(m->str);
    x_free(m);
}

size_t ks_lexmine_docs(const ks_lexmine *m, int side) { return m->docs[side]; }

static uint32_t add_str(ks_lexmine *m, const char *s, size_t n)
{
    if (m->nstr + n + 1 > m->capstr) {
        m->capstr = (m->capstr + n + 1) * 2;
        m->str = x_realloc(m->str, m->capstr);
    }
    uint32_t off = (uint32_t)m->nstr;
    memcpy(m->str + m->nstr, s, n);
    m->str[m->nstr + n] = '\0';
    m->nstr += n + 1;
    return off;
}

static gram *count_gram(ks_lexmine *m, int side, const ks_tdoc *d, const size_t *idx, int n, uint64_t h)
{
    /* Words and n-grams share one table: their hashes come from different
     * functions, so they do not collide in practice. */
    int added;
    size_t slot = hset_put(&m->idx, h, (uint32_t)m->ng, &added);
    gram *g;
    if (added) {
        if (m->ng == m->capg) {
            m->capg = m->capg ? 2 * m->capg : 1 << 14;
            m->g = x_realloc(m->g, m->capg * sizeof *m->g);
        }
        g = &m->g[m->ng++];
        memset(g, 0, sizeof *g);
        g->h = h;
        g->n = (uint8_t)n;
        char buf[3 * 256 + 4];
        size_t len = 0;
        for (int k = 0; k < n; k++) {
            const ks_tword *w = &d->w[idx[k]];
            if (k)
                buf[len++] = ' ';
            len += ks_text_fold_word(d->text + w->off, w->len, buf + len, 256);
        }
        g->str = add_str(m, buf, len);
    } else {
        g = &m->g[m->idx.v[slot]];
    }
    g->cnt[side]++;
    uint32_t doc = m->docs[side] + 1;
    if (g->last[side] != doc) {
        g->last[side] = doc;
        g->df[side]++;
    }
    m->total[side][n]++;
    return g;
}

static void mine_ngram(void *ctx, const ks_tdoc *d, const size_t *idx, int n, uint64_t h)
{
    void **c = ctx;
    count_gram(c[0], *(int *)c[1], d, idx, n, h);
}

int ks_lexmine_add(ks_lexmine *m, int side, const char *text, size_t n, char *msg, size_t msglen)
{
    char *nfc = NULL;
    size_t len = 0;
    int rc = ks_text_validate(text, n, msg, msglen);
    if (rc < 0)
        return rc;
    rc = ks_text_nfc(text, n, &nfc, &len, msg, msglen);
    if (rc < 0)
        return rc;
    ks_tdoc d;
    ks_tdoc_build(&d, nfc, len);
    if (d.nw == 0) {
        snprintf(msg, msglen, "no words");
        ks_tdoc_free(&d);
        x_free(nfc);
        return KS_E_TOO_SHORT;
    }
    for (size_t i = 0; i < d.nw; i++) {
        const ks_tword *w = &d.w[i];
        if (w->flags & (KS_W_STOP | KS_W_HEADER))
            continue;
        gram *g = count_gram(m, side, &d, &i, 1, w->h);
        if (!(w->flags & KS_W_SENT_START)) {
            g->mid++;
            if (w->flags & KS_W_CAP)
                g->capmid++;
        }
    }
    void *ctx[2] = {m, &side};
    ks_text_content_ngrams(&d, mine_ngram, ctx);
    m->docs[side]++;
    ks_tdoc_free(&d);
    x_free(nfc);
    return 0;
}

void ks_lexmine_opts_default(ks_lexmine_opts *o)
{
    o->alpha0 = 1000;
    o->min_df = 5;
    o->min_z = 1.0; /* ranking by z is what matters; the floor only drops noise */
    o->top[KS_LEX_WORD] = 400;
    o->top[KS_LEX_NGRAM] = 400;
    o->top[KS_LEX_NAME] = 40;
}

typedef struct scored {
    size_t i;
    double z;
    int kind;
} scored;

static int cmp_scored(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    return (x->z < y->z) - (x->z > y->z); /* descending z */
}

/* A word is a character name when it is written capitalised in at least 90 %
 * of its (at least 3) uses away from a sentence start, and is not "I". */
static int name_like(const ks_lexmine *m, const gram *g)
{
    const char *s = m->str + g->str;
    if (g->n != 1 || g->mid < 3 || (double)g->capmid < 0.9 * (double)g->mid)
        return 0;
    if (strcmp(s, "i") == 0 || strncmp(s, "i'", 2) == 0)
        return 0;
    return 1;
}

char *ks_lexmine_tsv(ks_lexmine *m, const ks_lexmine_opts *o, size_t *nent)
{
    scored *sc = x_malloc((m->ng ? m->ng : 1) * sizeof *sc);
    size_t ns = 0;
    for (size_t i = 0; i < m->ng; i++) {
        const gram *g = &m->g[i];
        if ((int)g->df[1] < o->min_df)
            continue;
        double ya = g->cnt[1], yh = g->cnt[0];
        double na = m->total[1][g->n], nh = m->total[0][g->n];
        if (na <= 0 || nh <= 0)
            continue;
        double a0 = o->alpha0;
        double aw = a0 * (ya + yh) / (na + nh);
        double delta = log((ya + aw) / (na + a0 - ya - aw)) - log((yh + aw) / (nh + a0 - yh - aw));
        double var = 1.0 / (ya + aw) + 1.0 / (yh + aw);
        double z = delta / sqrt(var);
        if (!(z >= o->min_z))
            continue;
        sc[ns].i = i;
        sc[ns].z = z;
        sc[ns].kind = g->n > 1 ? KS_LEX_NGRAM : name_like(m, g) ? KS_LEX_NAME : KS_LEX_WORD;
        ns++;
    }
    qsort(sc, ns, sizeof *sc, cmp_scored);
    size_t cap = 4096 + ns * 96, len = 0;
    char *out = x_malloc(cap);
    len += (size_t)snprintf(out + len, cap - len,
                            "# kitsch lexicon: weighted log-odds, informative Dirichlet prior (Monroe et al. 2008)\n"
                            "# docs: ai %u, human %u; alpha0 %g, min_df %d, min_z %g\n"
                            "kind\tphrase\tn\tz\tcount_ai\tcount_human\tdf_ai\tdf_human\n",
                            m->docs[1], m->docs[0], o->alpha0, o->min_df, o->min_z);
    static const char *const kname[] = {"word", "ngram", "name"};
    int taken[KS_LEX_KINDS] = {0};
    size_t ne = 0;
    for (size_t k = 0; k < ns; k++) {
        const gram *g = &m->g[sc[k].i];
        if (taken[sc[k].kind] >= o->top[sc[k].kind])
            continue;
        taken[sc[k].kind]++;
        const char *s = m->str + g->str;
        if (len + strlen(s) + 128 > cap) {
            cap = 2 * cap + strlen(s);
            out = x_realloc(out, cap);
        }
        len += (size_t)snprintf(out + len, cap - len, "%s\t%s\t%d\t%.3f\t%u\t%u\t%u\t%u\n", kname[sc[k].kind], s,
                                g->n, sc[k].z, g->cnt[1], g->cnt[0], g->df[1], g->df[0]);
        ne++;
    }
    x_free(sc);
    *nent = ne;
    return out;
}
