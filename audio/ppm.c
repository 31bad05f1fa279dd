/* ppm.c - bounded-order PPM over MIDI pitches, following IDyOM's estimator.
 *
 * Counts live in a trie: the path root -> a -> b -> c holds the number of
 * times the n-gram "a b c" was counted, so the children of the node of a
 * context are the symbols that followed it, with their counts.
 *
 * Prediction (Cleary & Witten 1984; Moffat 1990 escape C; Pearce 2005,
 * IDyOM's ppm-star.lisp for the blending details):
 *   - start at the longest context (<= order) that the model has seen;
 *   - interpolated ("mixtures", IDyOM's default): at each order k, with the
 *     symbols seen after the context t_k(s) (only symbols of the alphabet),
 *     n_k = sum of t_k(s) over symbols NOT seen at order k+1 (exclusion as in
 *     IDyOM's node-count), d_k = distinct symbols (escape C) or symbols seen
 *     exactly once + 1 (escape X), weight w_k = n_k / (n_k + d_k);
 *     P(s) += esc * w_k * t_k(s) / n_k, esc *= 1 - w_k; finally the order -1
 *     model adds esc / (|A| + 1 - |symbols seen at order 0|) to every
 *     symbol, and the result is normalised;
 *   - backoff (classic PPM with full exclusion): a symbol gets
 *     esc * t_k(s) / (n_k + d_k) at the highest order that saw it, symbols
 *     predicted above are excluded below, and esc *= d_k / (n_k + d_k).
 * Update exclusion (Moffat 1990): a new symbol is counted only in the
 * contexts from the longest one down to the highest order that had already
 * seen it, not in the shorter ones. */
#include "ppm.h"
#include "kitsch.h"

#include <string.h>

#define NONE UINT32_MAX

typedef struct sam_state {
    uint32_t len, link, edges;   /* link NONE for the initial state */
} sam_state;

typedef struct sam_edge {
    uint32_t to, next;
    uint8_t sym;
} sam_edge;

typedef struct node {
    uint32_t first, next, count;
    uint32_t count1;    /* IDyOM's update-excluded count (KS_PPM_UX_IDYOM only) */
    uint8_t sym;
} node;

struct ks_ppm {
    ks_ppm_params p;
    node *n;
    size_t len, cap;
    /* KS_PPM_UX_IDYOM: the model follows one sequence (seen symbols so far)
     * in a suffix automaton (Blumer et al. 1985), whose suffix link of the
     * last state gives, in O(1) amortised per symbol, lmatch = the longest
     * suffix that occurred before = the order of IDyOM's current location
     * in its suffix tree. */
    size_t seen;
    uint32_t lmatch;
    sam_state *st;
    sam_edge *ed;
    size_t nst, capst, ned, caped;
    uint32_t last;
};

static uint32_t new_node(ks_ppm *m, int sym)
{
    if (m->len == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 1024;
        m->n = x_realloc(m->n, m->cap * sizeof *m->n);
    }
    node *x = &m->n[m->len];
    x->first = x->next = NONE;
    x->count = x->count1 = 0;
    x->sym = (uint8_t)sym;
    return (uint32_t)m->len++;
}

ks_ppm *ks_ppm_new(const ks_ppm_params *p)
{
    ks_ppm *m = x_calloc(1, sizeof *m);
    m->p = *p;
    if (m->p.order < 0)
        m->p.order = 0;
    if (m->p.order > KS_PPM_MAX_ORDER)
        m->p.order = KS_PPM_MAX_ORDER;
    new_node(m, 0);
    return m;
}

void ks_ppm_del(ks_ppm *m)
{
    if (!m)
        return;
    x_free(m->n);
    x_free(m->st);
    x_free(m->ed);
    x_free(m);
}

const ks_ppm_params *ks_ppm_get_params(const ks_ppm *m) { return &m->p; }
size_t ks_ppm_nodes(const ks_ppm *m) { return m->len; }

static uint32_t find_child(const ks_ppm *m, uint32_t at, int sym)
{
    for (uint32_t c = m->n[at].first; c != NONE; c = m->n[c].next)
        if (m->n[c].sym == sym)
            return c;
    return NONE;
}

static uint32_t child_add(ks_ppm *m, uint32_t at, int sym)
{
    uint32_t c = find_child(m, at, sym);
    if (c != NONE)
        return c;
    c = new_node(m, sym);          /* may move m->n: index again below */
    m->n[c].next = m->n[at].first;
    m->n[at].first = c;
    return c;
}

/* The node of the context hist[nhist-k .. nhist), or NONE if never seen. */
static uint32_t context_node(const ks_ppm *m, const int *hist, size_t nhist, int k)
{
    uint32_t at = 0;
    for (size_t j = nhist - (size_t)k; j < nhist && at != NONE; j++)
        at = find_child(m, at, hist[j]);
    return at;
}

static int valid_sym(int s) { return s >= 0 && s < KS_PPM_NSYM; }

/* IDyOM's update exclusion (ppm-star.lisp, increment-counts): full counts
 * (count) grow at every order; the update-excluded count (count1) starts at
 * 1 when an n-gram is new and grows only at the order where the symbol was
 * found after escaping from the longest matching context (not when the
 * longest context already predicted it). */
static uint32_t sam_new(ks_ppm *m, uint32_t len, uint32_t link)
{
    if (m->nst == m->capst) {
        m->capst = m->capst ? 2 * m->capst : 256;
        m->st = x_realloc(m->st, m->capst * sizeof *m->st);
    }
    m->st[m->nst] = (sam_state){len, link, NONE};
    return (uint32_t)m->nst++;
}

static uint32_t *sam_edge_to(ks_ppm *m, uint32_t s, int sym)
{
    for (uint32_t e = m->st[s].edges; e != NONE; e = m->ed[e].next)
        if (m->ed[e].sym == sym)
            return &m->ed[e].to;
    return NULL;
}

static void sam_edge_add(ks_ppm *m, uint32_t s, int sym, uint32_t to)
{
    if (m->ned == m->caped) {
        m->caped = m->caped ? 2 * m->caped : 512;
        m->ed = x_realloc(m->ed, m->caped * sizeof *m->ed);
    }
    m->ed[m->ned] = (sam_edge){to, m->st[s].edges, (uint8_t)sym};
    m->st[s].edges = (uint32_t)m->ned++;
}

/* Append sym to the automaton; returns the length of the longest suffix of
 * the sequence that also occurs ending earlier. */
static uint32_t sam_extend(ks_ppm *m, int sym)
{
    if (!m->nst)
        m->last = sam_new(m, 0, NONE);
    uint32_t cur = sam_new(m, m->st[m->last].len + 1, 0), p = m->last, *t;
    while (p != NONE && !sam_edge_to(m, p, sym)) {
        sam_edge_add(m, p, sym, cur);
        p = m->st[p].link;
    }
    if (p != NONE) {
        uint32_t q = *sam_edge_to(m, p, sym);
        if (m->st[p].len + 1 == m->st[q].len) {
            m->st[cur].link = q;
        } else {
            uint32_t clone = sam_new(m, m->st[p].len + 1, m->st[q].link);
            for (uint32_t e = m->st[q].edges; e != NONE; e = m->ed[e].next)
                sam_edge_add(m, clone, m->ed[e].sym, m->ed[e].to);
            while (p != NONE && (t = sam_edge_to(m, p, sym)) && *t == q) {
                *t = clone;
                p = m->st[p].link;
            }
            m->st[q].link = m->st[cur].link = clone;
        }
    }
    m->last = cur;
    return m->st[m->st[cur].link].len;
}

/* IDyOM's update exclusion (ppm-star.lisp, increment-counts): full counts
 * (count) grow at every order; the update-excluded count (count1) starts at
 * 1 when an n-gram is new and grows only at the order where the symbol was
 * found after escaping from the longest matching context (not when the
 * longest context already predicted it). */
static void idyom_update(ks_ppm *m, const int *hist, size_t nhist, int sym, int kmax)
{
    uint32_t lnew = sam_extend(m, sym);
    /* The longest context followed by sym before has order lnew - 1; it is
     * the longest matching context itself unless sym was new there. */
    int novel = lnew < m->lmatch + 1;
    long kstar = (long)lnew - 1;  /* -1: sym never seen */
    for (int k = 0; k <= kmax; k++) {
        uint32_t at = 0;
        for (size_t j = nhist - (size_t)k; j < nhist; j++)
            at = child_add(m, at, hist[j]);
        uint32_t s = child_add(m, at, sym);
        if (m->n[s].count == 0)
            m->n[s].count1 = 1;
        else if (novel && k == kstar)
            m->n[s].count1++;
        m->n[s].count++;
    }
    m->lmatch = lnew;
    m->seen = nhist + 1;
}

void ks_ppm_update(ks_ppm *m, const int *hist, size_t nhist, int sym)
{
    if (!valid_sym(sym))
        return;
    int kmax = m->p.order;
    if ((size_t)kmax > nhist)
        kmax = (int)nhist;
    /* A context containing an invalid symbol cannot be matched later. */
    for (int k = 1; k <= kmax; k++)
        if (!valid_sym(hist[nhist - (size_t)k])) {
            kmax = k - 1;
            break;
        }
    if (m->p.update_exclusion == KS_PPM_UX_IDYOM && nhist == m->seen) {
        idyom_update(m, hist, nhist, sym, kmax);
        return;
    }
    int kmin = 0;
    if (m->p.update_exclusion == KS_PPM_UX_MOFFAT) {
        for (int k = kmax; k >= 0; k--) {
            uint32_t c = context_node(m, hist, nhist, k);
            uint32_t s = c == NONE ? NONE : find_child(m, c, sym);
            if (s != NONE && m->n[s].count > 0) {
                kmin = k;
                break;
            }
        }
    }
    for (int k = kmin; k <= kmax; k++) {
        uint32_t at = 0;
        for (size_t j = nhist - (size_t)k; j < nhist; j++)
            at = child_add(m, at, hist[j]);
        uint32_t s = child_add(m, at, sym);
        m->n[s].count++;
    }
}

void ks_ppm_add_sequence(ks_ppm *m, const int *seq, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ks_ppm_update(m, seq, i, seq[i]);
}

int ks_ppm_symbols(const ks_ppm *m, unsigned char seen[KS_PPM_NSYM])
{
    int k = 0;
    memset(seen, 0, KS_PPM_NSYM);
    for (uint32_t c = m->n[0].first; c != NONE; c = m->n[c].next)
        if (m->n[c].count > 0 && !seen[m->n[c].sym]) {
            seen[m->n[c].sym] = 1;
            k++;
        }
    return k;
}

void ks_ppm_unigram(const ks_ppm *m, double c[KS_PPM_NSYM])
{
    for (int s = 0; s < KS_PPM_NSYM; s++)
        c[s] = 0.0;
    for (uint32_t x = m->n[0].first; x != NONE; x = m->n[x].next)
        c[m->n[x].sym] += m->n[x].count;
}

void ks_ppm_predict(const ks_ppm *m, const int *hist, size_t nhist,
                    const int *alpha, size_t nalpha, double *dist)
{
    int idx[KS_PPM_NSYM];
    unsigned char excl[KS_PPM_NSYM], seen_here[KS_PPM_NSYM];
    uint32_t tc_sym[KS_PPM_NSYM], tc_cnt[KS_PPM_NSYM];
    if (nalpha == 0)
        return;
    for (int s = 0; s < KS_PPM_NSYM; s++)
        idx[s] = -1;
    for (size_t k = 0; k < nalpha; k++) {
        dist[k] = 0.0;
        if (valid_sym(alpha[k]))
            idx[alpha[k]] = (int)k;
    }
    memset(excl, 0, sizeof excl);

    int kmax = m->p.order;
    if ((size_t)kmax > nhist)
        kmax = (int)nhist;
    /* Longest context the model has seen (IDyOM selects the longest matching
     * state within the order bound). */
    uint32_t ctx[KS_PPM_MAX_ORDER + 1];
    int kstart = 0;
    for (int k = 0; k <= kmax; k++) {
        ctx[k] = context_node(m, hist, nhist, k);
        if (ctx[k] != NONE)
            kstart = k;
    }

    /* IDyOM uses the update-excluded counts only when its longest matching
     * context is within the order bound (select-state in ppm-star.lisp);
     * otherwise it falls back to the full counts. */
    int use1 = m->p.update_exclusion == KS_PPM_UX_IDYOM && nhist == m->seen && m->lmatch <= (uint32_t)m->p.order;
    /* PPM* state selection (Cleary & Teahan 1997, as IDyOM does without an
     * order bound): start at the shortest deterministic context above
     * order 0 (one symbol ever followed it), if any, with full counts. */
    if (m->p.deterministic)
        for (int k = 1; k <= kstart; k++) {
            if (ctx[k] == NONE)
                continue;
            int nch = 0;
            for (uint32_t c = m->n[ctx[k]].first; c != NONE && nch < 2; c = m->n[c].next)
                nch += m->n[c].count > 0;
            if (nch == 1) {
                kstart = k;
                use1 = 0;
                break;
            }
        }
    double esc = 1.0;
    size_t nroot = 0;
    for (int k = kstart; k >= 0; k--) {
        size_t ntc = 0;
        if (ctx[k] != NONE)
            for (uint32_t c = m->n[ctx[k]].first; c != NONE; c = m->n[c].next)
                if (m->n[c].count > 0 && idx[m->n[c].sym] >= 0) {
                    tc_sym[ntc] = m->n[c].sym;
                    tc_cnt[ntc++] = use1 ? m->n[c].count1 : m->n[c].count;
                }
        if (k == 0)
            nroot = ntc;
        double n = 0.0, d = 0.0;
        size_t distinct = 0, ones = 0;
        for (size_t j = 0; j < ntc; j++) {
            if (!m->p.interpolate && excl[tc_sym[j]])
                continue;
            distinct++;
            ones += tc_cnt[j] == 1;
            if (!excl[tc_sym[j]])
                n += tc_cnt[j];
        }
        d = m->p.escape == KS_PPM_ESCAPE_X ? (double)ones + 1.0
          : m->p.escape == KS_PPM_ESCAPE_A ? 1.0 : (double)distinct;
        if (m->p.interpolate) {
            double w = n + d > 0 ? n / (n + d) : 0.0;
            if (n > 0)
                for (size_t j = 0; j < ntc; j++)
                    dist[idx[tc_sym[j]]] += esc * w * tc_cnt[j] / n;
            esc *= 1.0 - w;
            /* IDyOM excludes only the symbols of the order just above. */
            memset(excl, 0, sizeof excl);
            for (size_t j = 0; j < ntc; j++)
                excl[tc_sym[j]] = 1;
        } else {
            if (n <= 0)
                continue;
            for (size_t j = 0; j < ntc; j++)
                if (!excl[tc_sym[j]]) {
                    dist[idx[tc_sym[j]]] += esc * tc_cnt[j] / (n + d);
                    excl[tc_sym[j]] = 1;
                }
            esc *= d / (n + d);
        }
    }
    /* Order -1: uniform over the alphabet. IDyOM's interpolated estimator
     * gives every symbol 1/(|A| + 1 - |seen at order 0|); backoff gives the
     * escape mass to the symbols not yet predicted. */
    memset(seen_here, 0, sizeof seen_here);
    if (m->p.interpolate) {
        double u = 1.0 / ((double)nalpha + 1.0 - (double)nroot);
        for (size_t k = 0; k < nalpha; k++)
            dist[k] += esc * u;
    } else {
        size_t rest = 0;
        for (size_t k = 0; k < nalpha; k++)
            rest += !(valid_sym(alpha[k]) && excl[alpha[k]]);
        for (size_t k = 0; k < nalpha && rest; k++)
            if (!(valid_sym(alpha[k]) && excl[alpha[k]]))
                dist[k] += esc / (double)rest;
    }
    double sum = 0.0;
    for (size_t k = 0; k < nalpha; k++)
        sum += dist[k];
    if (sum > 0)
        for (size_t k = 0; k < nalpha; k++)
            dist[k] /= sum;
    else
        for (size_t k = 0; k < nalpha; k++)
            dist[k] = 1.0 / (double)nalpha;
}

uint32_t *ks_ppm_export(const ks_ppm *m, size_t *nvalues)
{
    uint32_t *out = x_malloc(3 * m->len * sizeof *out);
    uint32_t *stack = x_malloc(m->len * sizeof *stack);
    size_t top = 0, w = 0;
    stack[top++] = 0;
    while (top) {
        uint32_t at = stack[--top];
        uint32_t nch = 0;
        for (uint32_t c = m->n[at].first; c != NONE; c = m->n[c].next)
            nch++;
        out[w++] = m->n[at].sym;
        out[w++] = m->n[at].count;
        out[w++] = nch;
        /* Push children in reverse so they come out in list order. */
        size_t base = top;
        for (uint32_t c = m->n[at].first; c != NONE; c = m->n[c].next)
            stack[top++] = c;
        for (size_t i = base, j = top; top > base + 1 && i + 1 < j; i++, j--) {
            uint32_t t = stack[i];
            stack[i] = stack[j - 1];
            stack[j - 1] = t;
        }
    }
    x_free(stack);
    *nvalues = w;
    return out;
}

ks_ppm *ks_ppm_import(const ks_ppm_params *p, const uint32_t *v, size_t nvalues)
{
    if (nvalues < 3 || nvalues % 3)
        return NULL;
    size_t nn = nvalues / 3;
    ks_ppm *m = ks_ppm_new(p);
    m->n = x_realloc(m->n, nn * sizeof *m->n);
    m->cap = nn;
    /* Pre-order with child counts: a stack of (node, children still to read). */
    uint32_t *st_node = x_malloc(nn * sizeof *st_node);
    uint32_t *st_left = x_malloc(nn * sizeof *st_left);
    uint32_t *st_last = x_malloc(nn * sizeof *st_last);
    size_t top = 0;
    m->n[0].count = v[1];
    if (v[2]) {
        st_node[0] = 0;
        st_left[0] = v[2];
        st_last[0] = NONE;
        top = 1;
    }
    int ok = 1;
    for (size_t i = 1; i < nn; i++) {
        if (!top || v[3 * i] >= KS_PPM_NSYM) {
            ok = 0;
            break;
        }
        uint32_t c = new_node(m, (int)v[3 * i]);
        m->n[c].count = v[3 * i + 1];
        size_t t = top - 1;
        if (st_last[t] == NONE)
            m->n[st_node[t]].first = c;
        else
            m->n[st_last[t]].next = c;
        st_last[t] = c;
        if (--st_left[t] == 0)
            top--;
        if (v[3 * i + 2]) {
            st_node[top] = c;
            st_left[top] = v[3 * i + 2];
            st_last[top] = NONE;
            top++;
        }
    }
    if (top)
        ok = 0;
    x_free(st_node);
    x_free(st_left);
    x_free(st_last);
    if (!ok) {
        ks_ppm_del(m);
        return NULL;
    }
    return m;
}
