/* aggregate.c - summaries (bottom-k samples), calibration, scoring with
 * reasons, two-group comparison and set-level orchestration (aggregate.h). */
#define _POSIX_C_SOURCE 200809L
#include "aggregate.h"
#include "json.h"
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* bottom-k samples                                                    */

static uint64_t record_key(const ks_record *r)
{
    /* Bottom-k (KMV) sampling: a record's key depends only on the record, so
     * every shard keeps the same records the single run would (Cohen &
     * Kaplan 2007, "Summarizing data using bottom-k sketches"). */
    const char *p = r->path ? r->path : "";
    uint64_t h = ks_hash64(p, strlen(p), 0x6b69747363680001ULL);
    return ks_mix64(h ^ ks_hash64(r->sha256, strlen(r->sha256), 0x6b69747363680002ULL));
}

static int item_cmp(const ks_sample_item *a, const ks_sample_item *b)
{
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    int c = strcmp(a->rec->path ? a->rec->path : "", b->rec->path ? b->rec->path : "");
    if (c)
        return c;
    return strcmp(a->rec->sha256, b->rec->sha256);
}

static int item_qsort_cmp(const void *a, const void *b) { return item_cmp(a, b); }

ks_summary *ks_summary_new(size_t k, int keep_desc)
{
    ks_summary *s = x_calloc(1, sizeof *s);
    s->k = k ? k : 1;
    s->keep_desc = keep_desc;
    return s;
}

static void rec_free(ks_record *r)
{
    if (!r)
        return;
    ks_record_clear(r);
    x_free(r);
}

void ks_summary_del(ks_summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ng; i++) {
        for (size_t j = 0; j < s->g[i].n; j++)
            rec_free(s->g[i].items[j].rec);
        x_free(s->g[i].items);
        x_free(s->g[i].name);
    }
    x_free(s->g);
    x_free(s);
}

ks_sample *ks_summary_group(ks_summary *s, const char *name)
{
    for (size_t i = 0; i < s->ng; i++)
        if (strcmp(s->g[i].name, name) == 0)
            return &s->g[i];
    s->g = x_realloc(s->g, (s->ng + 1) * sizeof *s->g);
    ks_sample *g = &s->g[s->ng++];
    memset(g, 0, sizeof *g);
    g->name = x_strdup(name);
    return g;
}

static ks_record *rec_copy(const ks_record *r, int keep_desc)
{
    ks_record *c = x_malloc(sizeof *c);
    ks_record_init(c);
    c->path = x_strdup(r->path ? r->path : "");
    c->modality = x_strdup(r->modality ? r->modality : "unknown");
    memcpy(c->sha256, r->sha256, sizeof c->sha256);
    memcpy(c->config, r->config, sizeof c->config);
    memcpy(c->tool, r->tool, sizeof c->tool);
    /* seq and elapsed time differ between a sharded run and a single one:
     * a summary keeps only what the measurements depend on */
    c->seq = -1;
    c->elapsed_ms = NAN;
    c->bytes = r->bytes;
    c->status = r->status;
    c->err = r->err;
    memcpy(c->feat, r->feat, sizeof c->feat);
    if (keep_desc)
        for (int d = 0; d < KS_NDESCRIPTORS; d++)
            if (r->desc[d].n)
                ks_record_set_desc(c, d, r->desc[d].v, r->desc[d].n);
    return c;
}

static void heap_sift_down(ks_sample_item *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && item_cmp(&h[l], &h[m]) > 0)
            m = l;
        if (r < n && item_cmp(&h[r], &h[m]) > 0)
            m = r;
        if (m == i)
            return;
        ks_sample_item t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void heap_sift_up(ks_sample_item *h, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (item_cmp(&h[i], &h[p]) <= 0)
            return;
        ks_sample_item t = h[i];
        h[i] = h[p];
        h[p] = t;
        i = p;
    }
}

/* Insert an owned record into the heap (takes ownership; frees if rejected). */
static void sample_insert(ks_summary *s, ks_sample *g, uint64_t key, ks_record *own)
{
    ks_sample_item it = {key, own};
    if (g->n < s->k) {
        if (g->n == g->cap) {
            g->cap = g->cap ? 2 * g->cap : 64;
            if (g->cap > s->k)
                g->cap = s->k;
            g->items = x_realloc(g->items, g->cap * sizeof *g->items);
        }
        g->items[g->n] = it;
        heap_sift_up(g->items, g->n);
        g->n++;
        return;
    }
    if (item_cmp(&it, &g->items[0]) >= 0) {
        rec_free(own);
        return;
    }
    rec_free(g->items[0].rec);
    g->items[0] = it;
    heap_sift_down(g->items, g->n, 0);
}

void ks_sample_add(ks_summary *s, ks_sample *g, const ks_record *r)
{
    g->seen++;
    if (r->status != KS_STATUS_OK) {
        g->errors++;
        return; /* failed records carry no measurements; counted, not sampled */
    }
    g->ok++;
    for (int i = 0; i < KS_NFEATURES; i++)
        if (!isnan(r->feat[i]))
            g->feat_n[i]++;
    uint64_t key = record_key(r);
    if (g->n >= s->k) {
        /* cheap rejection before copying: most records of a large input */
        ks_sample_item probe = {key, (ks_record *)r};
        if (item_cmp(&probe, &g->items[0]) >= 0)
            return;
    }
    sample_insert(s, g, key, rec_copy(r, s->keep_desc));
}

void ks_sample_finish(ks_sample *g)
{
    qsort(g->items, g->n, sizeof *g->items, item_qsort_cmp);
}

void ks_summary_merge(ks_summary *dst, const ks_summary *src)
{
    for (size_t i = 0; i < src->ng; i++) {
        const ks_sample *sg = &src->g[i];
        ks_sample *dg = ks_summary_group(dst, sg->name);
        dg->seen += sg->seen;
        dg->ok += sg->ok;
        dg->errors += sg->errors;
        for (int f = 0; f < KS_NFEATURES; f++)
            dg->feat_n[f] += sg->feat_n[f];
        for (size_t j = 0; j < sg->n; j++)
            sample_insert(dst, dg, sg->items[j].key, rec_copy(sg->items[j].rec, dst->keep_desc));
    }
}

static int group_cmp(const void *a, const void *b)
{
    return strcmp(((const ks_sample *)a)->name, ((const ks_sample *)b)->name);
}

/* Groups in name order: the order records arrived in differs between shards. */
void ks_summary_sort_groups(ks_summary *s)
{
    qsort(s->g, s->ng, sizeof *s->g, group_cmp);
}

char *ks_summary_dump(const ks_summary *s)
{
    ks_json *o = ks_json_object(), *groups = ks_json_array();
    ks_json_set(o, "kind", ks_json_string(KS_SUMMARY_KIND));
    ks_json_set(o, "schema", ks_json_string(KS_SCHEMA));
    ks_json_set(o, "k", ks_json_integer((int64_t)s->k));
    ks_json_set(o, "keep_descriptors", ks_json_bool(s->keep_desc));
    ks_sample **order = x_malloc((s->ng ? s->ng : 1) * sizeof *order);
    for (size_t i = 0; i < s->ng; i++)
        order[i] = &s->g[i];
    for (size_t i = 1; i < s->ng; i++) /* insertion sort by name: few groups */
        for (size_t j = i; j > 0 && strcmp(order[j - 1]->name, order[j]->name) > 0; j--) {
            ks_sample *t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t i = 0; i < s->ng; i++) {
        const ks_sample *g = order[i];
        ks_sample_item *sorted = x_malloc((g->n ? g->n : 1) * sizeof *sorted);
        memcpy(sorted, g->items, g->n * sizeof *sorted);
        qsort(sorted, g->n, sizeof *sorted, item_qsort_cmp);
        ks_json *go = ks_json_object(), *fn = ks_json_object(), *arr = ks_json_array();
        ks_json_set(go, "name", ks_json_string(g->name));
        ks_json_set(go, "seen", ks_json_integer(g->seen));
        ks_json_set(go, "ok", ks_json_integer(g->ok));
        ks_json_set(go, "errors", ks_json_integer(g->errors));
        for (int f = 0; f < KS_NFEATURES; f++)
            if (g->feat_n[f])
                ks_json_set(fn, ks_features[f].name, ks_json_integer(g->feat_n[f]));
        ks_json_set(go, "feature_n", fn);
        for (size_t j = 0; j < g->n; j++)
            ks_json_append(arr, ks_record_to_json(sorted[j].rec));
        ks_json_set(go, "sample", arr);
        ks_json_append(groups, go);
        x_free(sorted);
    }
    x_free(order);
    ks_json_set(o, "groups", groups);
    char *txt = ks_json_dumps(o, 0);
    ks_json_del(o);
    return txt;
}

int ks_summary_parse(const char *text, size_t len, ks_summary **out, char *err, size_t errlen)
{
    *out = NULL;
    ks_json *o = ks_json_loads(text, len, err, errlen);
    if (!o)
        return KS_E_PARSE;
    int rc = 0;
    const char *kind = ks_json_str(ks_json_get(o, "kind"));
    double k = ks_json_num(ks_json_get(o, "k"));
    ks_summary *s = NULL;
    if (!kind || strcmp(kind, KS_SUMMARY_KIND) != 0 || !(k >= 1)) {
        snprintf(err, errlen, "not a kitsch summary (kind/k missing)");
        rc = KS_E_PARSE;
        goto done;
    }
    ks_json *kd = ks_json_get(o, "keep_descriptors");
    char *dumped = kd ? ks_json_dumps(kd, 0) : NULL;
    s = ks_summary_new((size_t)k, dumped && strcmp(dumped, "true") == 0);
    x_free(dumped);
    ks_json *groups = ks_json_get(o, "groups");
    for (size_t i = 0; i < ks_json_size(groups); i++) {
        ks_json *go = ks_json_at(groups, i);
        const char *name = ks_json_str(ks_json_get(go, "name"));
        if (!name) {
            snprintf(err, errlen, "summary group %zu has no name", i);
            rc = KS_E_PARSE;
            goto done;
        }
        ks_sample *g = ks_summary_group(s, name);
        g->seen += ks_to_i64(ks_json_num(ks_json_get(go, "seen")), 0);
        g->ok += ks_to_i64(ks_json_num(ks_json_get(go, "ok")), 0);
        g->errors += ks_to_i64(ks_json_num(ks_json_get(go, "errors")), 0);
        ks_json *fn = ks_json_get(go, "feature_n");
        for (size_t f = 0; f < ks_json_size(fn); f++) {
            ks_json *v = NULL;
            const char *fname = ks_json_key_at(fn, f, &v);
            int id = ks_feature_find(fname);
            if (id >= 0)
                g->feat_n[id] += ks_to_i64(ks_json_num(v), 0);
        }
        ks_json *arr = ks_json_get(go, "sample");
        for (size_t j = 0; j < ks_json_size(arr); j++) {
            ks_record *r = x_malloc(sizeof *r);
            ks_record_init(r);
            if (ks_record_from_json(ks_json_at(arr, j), r, err, errlen) < 0) {
                rec_free(r);
                rc = KS_E_PARSE;
                goto done;
            }
            sample_insert(s, g, record_key(r), r);
        }
    }
done:
    ks_json_del(o);
    if (rc < 0)
        ks_summary_del(s);
    else
        *out = s;
    return rc;
}

/* ------------------------------------------------------------------ */
/* grouping                                                            */

void ks_group_rule_fixed(ks_group_rule *g, const char *label)
{
    memset(g, 0, sizeof *g);
    g->mode = KS_GROUP_FIXED;
    snprintf(g->label, sizeof g->label, "%s", label);
}

void ks_group_rule_parent(ks_group_rule *g)
{
    memset(g, 0, sizeof *g);
    g->mode = KS_GROUP_PARENT;
}

int ks_group_rule_regex(ks_group_rule *g, const char *re, char *err, size_t errlen)
{
    memset(g, 0, sizeof *g);
    g->mode = KS_GROUP_REGEX;
    int rc = regcomp(&g->re, re, REG_EXTENDED);
    if (rc != 0) {
        char m[160];
        regerror(rc, &g->re, m, sizeof m);
        snprintf(err, errlen, "bad regular expression '%s': %s", re, m);
        return KS_E_USAGE;
    }
    g->re_ok = 1;
    return 0;
}

void ks_group_rule_free(ks_group_rule *g)
{
    if (g->re_ok)
        regfree(&g->re);
    g->re_ok = 0;
}

const char *ks_regex_capture(const regex_t *re, const char *s, char *buf, size_t len)
{
    regmatch_t m[2];
    if (regexec(re, s, 2, m, 0) != 0)
        return NULL;
    int k = (m[1].rm_so >= 0) ? 1 : 0;
    size_t n = (size_t)(m[k].rm_eo - m[k].rm_so);
    if (n >= len)
        n = len - 1;
    memcpy(buf, s + m[k].rm_so, n);
    buf[n] = '\0';
    return buf;
}

const char *ks_group_of(const ks_group_rule *g, const char *path, char *buf, size_t len)
{
    if (g->mode == KS_GROUP_FIXED) {
        snprintf(buf, len, "%s", g->label);
    } else if (g->mode == KS_GROUP_REGEX) {
        if (!ks_regex_capture(&g->re, path, buf, len))
            snprintf(buf, len, "(unmatched)");
    } else {
        /* the source of a work = its parent directory */
        const char *slash = strrchr(path, '/');
        if (!slash) {
            snprintf(buf, len, ".");
        } else {
            size_t n = (size_t)(slash - path);
            if (n >= len)
                n = len - 1;
            memcpy(buf, path, n);
            buf[n] = '\0';
            if (n == 0)
                snprintf(buf, len, "/");
        }
    }
    return buf;
}

/* ------------------------------------------------------------------ */
/* reading records / summaries                                         */

/* A strict scanner for the common shape of a record line, so streaming a
 * million records is not dominated by building a jansson tree per line. It
 * handles exactly what `kitsch analyze` writes for ok records (strings without
 * escapes, numbers, null); anything else (escapes, error objects, extra keys)
 * returns 1 and the caller falls back to ks_record_parse, the reference.
 * tests/test_agg_parse.c checks both give identical records. */
typedef struct scan { const char *p, *end; } scan;

static void sk_ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static int sk_ch(scan *s, char c)
{
    sk_ws(s);
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return 1;
    }
    return 0;
}

/* string without escapes: returns start and length */
static int sk_str(scan *s, const char **str, size_t *n)
{
    if (!sk_ch(s, '"'))
        return 0;
    const char *b = s->p;
    while (s->p < s->end && *s->p != '"') {
        if (*s->p == '\\' || (unsigned char)*s->p < 0x20)
            return 0;
        s->p++;
    }
    if (s->p >= s->end)
        return 0;
    *str = b;
    *n = (size_t)(s->p - b);
    s->p++;
    return 1;
}

static int sk_null(scan *s)
{
    sk_ws(s);
    if (s->end - s->p >= 4 && memcmp(s->p, "null", 4) == 0) {
        s->p += 4;
        return 1;
    }
    return 0;
}

/* number or null (-> NaN) */
static int sk_num(scan *s, double *v)
{
    if (sk_null(s)) {
        *v = NAN;
        return 1;
    }
    const char *b = s->p;
    if (b >= s->end || !(*b == '-' || (*b >= '0' && *b <= '9')))
        return 0;
    /* RFC 8259 number grammar, exactly: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
     * (strtod alone also takes "1.", "01" and "-.5", which jansson rejects) */
    const char *q = b;
#define DIGIT(c) ((c) >= '0' && (c) <= '9')
    if (q < s->end && *q == '-')
        q++;
    if (q >= s->end || !DIGIT(*q))
        return 0;
    if (*q == '0')
        q++;
    else
        while (q < s->end && DIGIT(*q))
            q++;
    /* an integer that may not fit in 64 bits: jansson refuses it ("too big
     * integer"), so let the reference parser give that verdict */
    if ((size_t)(q - b) >= 19 && !(q < s->end && (*q == '.' || *q == 'e' || *q == 'E')))
        return 0;
    if (q < s->end && *q == '.') {
        q++;
        if (q >= s->end || !DIGIT(*q))
            return 0;
        while (q < s->end && DIGIT(*q))
            q++;
    }
    if (q < s->end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < s->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= s->end || !DIGIT(*q))
            return 0;
        while (q < s->end && DIGIT(*q))
            q++;
    }
#undef DIGIT
    char buf[64];
    size_t n = (size_t)(q - b);
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, b, n);
    buf[n] = '\0';
    char *e;
    *v = strtod(buf, &e);
    /* jansson refuses numbers that overflow a double ("real number
     * overflow"); so must we, or a record would carry an infinity */
    if (*e || !isfinite(*v))
        return 0;
    s->p = q;
    return 1;
}

static int key_is(const char *k, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(k, lit, n) == 0;
}

static int find_named(const char *k, size_t n, int count, int *hint, const char *(*name_of)(int))
{
    /* records list names in registry order: try the one after the last hit */
    int h = *hint;
    for (int t = 0; t < count; t++) {
        int i = (h + t) % count;
        const char *nm = name_of(i);
        if (strncmp(nm, k, n) == 0 && nm[n] == '\0') {
            *hint = i + 1;
            return i;
        }
    }
    return -1;
}

static const char *feat_name(int i) { return ks_features[i].name; }
static const char *desc_name(int i) { return ks_descriptors[i].name; }
static const char *info_name(int i) { return ks_infos[i].name; }

int ks_record_parse_fast(const char *line, size_t len, ks_record *r)
{
    scan sc = {line, line + len}, *s = &sc;
    const char *k, *v;
    size_t kn, vn;
    int have_schema = 0, have_status = 0, have_path = 0, seen_obj[3] = {0, 0, 0};
    double *tmp = NULL;
    size_t tcap = 0;
    ks_record_clear(r);
    if (!sk_ch(s, '{'))
        goto bail;
    if (sk_ch(s, '}'))
        goto bail;
    do {
        if (!sk_str(s, &k, &kn) || !sk_ch(s, ':'))
            goto bail;
        if (key_is(k, kn, "features") || key_is(k, kn, "descriptors") || key_is(k, kn, "info")) {
            int which = k[0] == 'f' ? 0 : k[0] == 'd' ? 1 : 2, hint = 0;
            /* a repeated member replaces the first in jansson; rather than
             * mimic that, leave such odd lines to the reference parser */
            if (seen_obj[which]++)
                goto bail;
            if (sk_null(s))
                continue;
            if (!sk_ch(s, '{'))
                goto bail;
            if (sk_ch(s, '}'))
                continue;
            do {
                const char *fk;
                size_t fkn;
                if (!sk_str(s, &fk, &fkn) || !sk_ch(s, ':'))
                    goto bail;
                if (which == 0) {
                    double x;
                    if (!sk_num(s, &x))
                        goto bail;
                    int id = find_named(fk, fkn, KS_NFEATURES, &hint, feat_name);
                    if (id >= 0)
                        r->feat[id] = x;
                } else if (which == 1) {
                    size_t m = 0;
                    if (!sk_ch(s, '['))
                        goto bail;
                    if (!sk_ch(s, ']')) {
                        do {
                            if (m == tcap) {
                                tcap = tcap ? 2 * tcap : 256;
                                tmp = x_realloc(tmp, tcap * sizeof *tmp);
                            }
                            if (!sk_num(s, &tmp[m]))
                                goto bail;
                            m++;
                        } while (sk_ch(s, ','));
                        if (!sk_ch(s, ']'))
                            goto bail;
                    }
                    int id = find_named(fk, fkn, KS_NDESCRIPTORS, &hint, desc_name);
                    if (id >= 0 && m)
                        ks_record_set_desc(r, id, tmp, m);
                } else {
                    if (!sk_str(s, &v, &vn))
                        goto bail;
                    int id = find_named(fk, fkn, KS_NINFO, &hint, info_name);
                    if (id >= 0) {
                        x_free(r->info[id]);
                        r->info[id] = x_strndup(v, vn);
                    }
                }
            } while (sk_ch(s, ','));
            if (!sk_ch(s, '}'))
                goto bail;
        } else if (key_is(k, kn, "seq") || key_is(k, kn, "bytes") || key_is(k, kn, "elapsed_ms")) {
            double x;
            if (!sk_num(s, &x))
                goto bail;
            if (k[0] == 'e')
                r->elapsed_ms = x;
            else if (k[0] == 's')
                r->seq = ks_to_i64(x, -1);
            else
                r->bytes = ks_to_i64(x, -1);
        } else if (key_is(k, kn, "error")) {
            if (!sk_null(s))
                goto bail; /* error records: the reference parser */
        } else {
            char *dst = NULL;
            size_t cap = 0;
            if (sk_null(s)) {
                if (key_is(k, kn, "sha256") || key_is(k, kn, "config"))
                    continue;
                goto bail;
            }
            if (!sk_str(s, &v, &vn))
                goto bail;
            if (key_is(k, kn, "schema")) {
                if (vn < 7 || memcmp(v, "kitsch/", 7) != 0)
                    goto bail;
                have_schema = 1;
            } else if (key_is(k, kn, "path")) {
                /* a key may repeat in hostile input: the last one wins, as
                 * in jansson, and the earlier copy is not leaked */
                x_free(r->path);
                r->path = x_strndup(v, vn);
                have_path = 1;
            } else if (key_is(k, kn, "modality")) {
                x_free(r->modality);
                r->modality = x_strndup(v, vn);
            } else if (key_is(k, kn, "status")) {
                if (!key_is(v, vn, "ok"))
                    goto bail;
                r->status = KS_STATUS_OK;
                have_status = 1;
            } else if (key_is(k, kn, "sha256")) {
                dst = r->sha256, cap = sizeof r->sha256;
            } else if (key_is(k, kn, "config")) {
                dst = r->config, cap = sizeof r->config;
            } else if (key_is(k, kn, "tool")) {
                dst = r->tool, cap = sizeof r->tool;
            } else {
                goto bail; /* unknown key: let the reference parser decide */
            }
            if (dst) {
                if (vn >= cap)
                    goto bail;
                memcpy(dst, v, vn);
                dst[vn] = '\0';
            }
        }
    } while (sk_ch(s, ','));
    if (!sk_ch(s, '}'))
        goto bail;
    sk_ws(s);
    if (s->p != s->end || !have_schema || !have_status || !have_path)
        goto bail;
    if (!r->modality)
        r->modality = x_strdup("unknown");
    x_free(tmp);
    return 0;
bail:
    x_free(tmp);
    ks_record_clear(r);
    return 1;
}

int ks_record_read_line(const char *line, size_t len, ks_record *r, char *err, size_t errlen)
{
    if (ks_record_parse_fast(line, len, r) == 0)
        return 0;
    return ks_record_parse(line, len, r, err, errlen);
}

int ks_summary_add_file(ks_summary *s, const char *path, const ks_group_rule *rule, int64_t *bad_lines,
                        char *err, size_t errlen)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return KS_E_IO;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0, first = 1;
    ks_record r;
    ks_record_init(&r);
    char gbuf[512], perr_[200];
    while ((len = getline(&line, &cap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        /* ks_summary_dump writes "kind" first: a record never starts so */
        if (first && strncmp(line, "{\"kind\":\"" KS_SUMMARY_KIND "\"", strlen("{\"kind\":\"" KS_SUMMARY_KIND "\"")) == 0) {
            /* a summary file from `kitsch summarize` / `kitsch merge` */
            ks_summary *in = NULL;
            rc = ks_summary_parse(line, (size_t)len, &in, err, errlen);
            if (rc < 0)
                break;
            if (rule->mode == KS_GROUP_FIXED) {
                for (size_t i = 0; i < in->ng; i++) {
                    x_free(in->g[i].name);
                    in->g[i].name = x_strdup(rule->label);
                }
                /* collapse same-named groups */
                ks_summary *tmp = ks_summary_new(s->k, s->keep_desc);
                ks_summary_merge(tmp, in);
                ks_summary_merge(s, tmp);
                ks_summary_del(tmp);
            } else {
                ks_summary_merge(s, in);
            }
            ks_summary_del(in);
            first = 0;
            continue;
        }
        first = 0;
        if (ks_record_read_line(line, (size_t)len, &r, perr_, sizeof perr_) < 0) {
            if (bad_lines)
                (*bad_lines)++;
            continue;
        }
        ks_sample *g = ks_summary_group(s, ks_group_of(rule, r.path ? r.path : "", gbuf, sizeof gbuf));
        ks_sample_add(s, g, &r);
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, errlen, "%s: read error", path);
        rc = KS_E_IO;
    }
    ks_record_clear(&r);
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

/* ------------------------------------------------------------------ */
/* calibration                                                         */

static int modality_ok(const ks_record *r, const char *modality)
{
    return r->status == KS_STATUS_OK && (!modality || !modality[0] || (r->modality && strcmp(r->modality, modality) == 0));
}

void ks_profile_from_sample(ks_profile *p, const ks_sample *g, const char *modality)
{
    double *v = x_malloc((g->n ? g->n : 1) * sizeof *v);
    int64_t used = 0;
    for (size_t j = 0; j < g->n; j++)
        used += modality_ok(g->items[j].rec, modality);
    /* records of the wanted modality: exact while the sample holds every ok
     * record, else estimated from the sample's share */
    p->n_records = (!modality || !modality[0]) ? g->ok
                   : ((int64_t)g->n >= g->ok ? used : (int64_t)floor((double)g->ok * (double)used / (double)g->n + 0.5));
    p->n_sampled = used;
    for (int f = 0; f < KS_NFEATURES; f++) {
        size_t m = 0;
        for (size_t j = 0; j < g->n; j++) {
            const ks_record *r = g->items[j].rec;
            if (modality_ok(r, modality) && !isnan(r->feat[f]))
                v[m++] = r->feat[f];
        }
        ks_profile_set_feature(p, f, v, m);
        /* n is the exact count over every record read, not the sample */
        if (m && (!modality || !modality[0]))
            p->feat[f].n = g->feat_n[f];
    }
    x_free(v);
}

/* ------------------------------------------------------------------ */
/* scoring                                                             */

int ks_score_sign(const ks_profile *p, int id)
{
    if (p && p->feat[id].learnt_sign)
        return p->feat[id].learnt_sign;
    return ks_features[id].direction;
}

/* Plain-words reason from the registry row: the meaning up to its first ':'
 * names the measure; a "lower = X" / "higher = X" clause in the meaning gives
 * the words for the kitsch side when it matches the sign in use. */
void ks_reason_text(const ks_profile *p, int id, double adj, char *buf, size_t len)
{
    const char *meaning = ks_features[id].meaning;
    int sign = ks_score_sign(p, id);
    const char *colon = strchr(meaning, ':');
    size_t headlen = colon ? (size_t)(colon - meaning) : strlen(meaning);
    const char *paren = strstr(meaning, " (");
    if (paren && (size_t)(paren - meaning) < headlen)
        headlen = (size_t)(paren - meaning); /* the measure's name, without asides */
    const char *key = sign > 0 ? "higher = " : "lower = ";
    const char *hint = strstr(meaning, key);
    char words[160], aside[200] = "";
    if (hint) {
        hint += strlen(key);
        size_t n = strcspn(hint, "(;,");
        while (n > 0 && hint[n - 1] == ' ')
            n--;
        if (n >= sizeof words)
            n = sizeof words - 1;
        memcpy(words, hint, n);
        words[n] = '\0';
        /* "more uniform than 91 %" reads; "one compact subject than 91 %"
         * does not: non-comparative hints go into an aside */
        if (strncmp(words, "more ", 5) != 0 && strncmp(words, "less ", 5) != 0 && strncmp(words, "fewer ", 6) != 0) {
            snprintf(aside, sizeof aside, " (%s)", words);
            snprintf(words, sizeof words, "%s", sign > 0 ? "higher" : "lower");
        }
    } else {
        snprintf(words, sizeof words, "%s", sign > 0 ? "higher" : "lower");
    }
    /* floor, not round: "more than 99 %" must not be claimed for 99.6 %
     * unless the work is beyond every reference value */
    const char *ref = p && p->label ? p->label : "reference";
    if (adj >= 1)
        snprintf(buf, len, "%.*s: %s than all of the %s%s", (int)headlen, meaning, words, ref, aside);
    else
        snprintf(buf, len, "%.*s: %s than %d %% of the %s%s", (int)headlen, meaning, words, (int)floor(adj * 100), ref,
                 aside);
}

void ks_score_record(const ks_profile *p, const ks_record *r, ks_score *out)
{
    double fsum[3] = {0, 0, 0};
    int fcnt[3] = {0, 0, 0};
    out->score = out->model_p = NAN;
    out->facet[0] = out->facet[1] = out->facet[2] = NAN;
    out->n_scored = out->n_nan = out->n_unprofiled = 0;
    out->nreasons = 0;
    out->profile_label = p ? p->label : NULL;
    for (int i = 0; i < KS_NFEATURES; i++)
        out->adj[i] = NAN;
    if (!p || r->status != KS_STATUS_OK)
        return;
    for (int i = 0; i < KS_NFEATURES; i++) {
        int facet = ks_features[i].facet, sign = ks_score_sign(p, i);
        if (facet == KS_CONTEXT || sign == 0)
            continue; /* context features describe, they do not score */
        double x = r->feat[i];
        const ks_profile_feat *pf = &p->feat[i];
        if (pf->n <= 0) {
            if (!isnan(x))
                out->n_unprofiled++;
            continue;
        }
        if (isnan(x)) {
            /* only features of the record's own modality count as missing */
            char mod[32];
            ks_feature_modality(i, mod, sizeof mod);
            if (r->modality && (strcmp(mod, r->modality) == 0 || p->modality[0] == '\0' ||
                                strcmp(p->modality, r->modality) == 0))
                out->n_nan++;
            continue;
        }
        double c = ks_profile_cdf(pf, x);
        if (isnan(c))
            continue;
        double adj = sign > 0 ? c : 1 - c;
        out->adj[i] = adj;
        fsum[facet] += adj;
        fcnt[facet]++;
        out->n_scored++;
    }
    double tot = 0;
    int nf = 0;
    for (int f = 1; f < 3; f++)
        if (fcnt[f]) {
            out->facet[f] = fsum[f] / fcnt[f];
            tot += out->facet[f];
            nf++;
        }
    /* Equal weight per facet: averaging and predictability are the two
     * faces of kitsch in the paper; neither should win by feature count. */
    if (nf)
        out->score = 100 * tot / nf;
    out->model_p = ks_profile_model_predict(p, r->feat);
    /* top 3 reasons: the most extreme direction-adjusted percentiles */
    for (int k = 0; k < 3; k++) {
        int best = -1;
        for (int i = 0; i < KS_NFEATURES; i++) {
            if (isnan(out->adj[i]))
                continue;
            int taken = 0;
            for (int j = 0; j < out->nreasons; j++)
                taken |= out->reasons[j].feature == i;
            if (!taken && (best < 0 || out->adj[i] > out->adj[best]))
                best = i;
        }
        if (best < 0 || out->adj[best] < 0.5)
            break; /* a reason must point towards kitsch */
        ks_reason *re = &out->reasons[out->nreasons++];
        re->feature = best;
        re->adj = out->adj[best];
        ks_reason_text(p, best, re->adj, re->text, sizeof re->text);
    }
}

/* ------------------------------------------------------------------ */
/* comparison                                                          */

void ks_cmp_opts_default(ks_cmp_opts *o)
{
    memset(o, 0, sizeof *o);
    o->kfolds = 5;
    o->lambda = 1.0;
    o->boot = 1000;
    o->seed = 20260428;
}

void ks_cmp_result_free(ks_cmp_result *r)
{
    x_free(r->rows);
    x_free(r->model_ids);
    x_free(r->model_mean);
    x_free(r->model_sd);
    x_free(r->model_w);
    x_free(r->roc_fpr);
    x_free(r->roc_tpr);
    x_free(r->conf_ids);
    x_free(r->conf_auroc);
    x_free(r->conf_cv_auroc);
    memset(r, 0, sizeof *r);
}

typedef struct pair_ent { char *id; double sa, sb; int na, nb; } pair_ent;

static int fold_of(const char *key, int k)
{
    return (int)(ks_hash64(key, strlen(key), 0x666f6c64ULL) % (uint64_t)k);
}

int ks_compare(const ks_sample *a, const ks_sample *b, const ks_cmp_opts *o, ks_cmp_result *out)
{
    memset(out, 0, sizeof *out);
    out->cv_auroc = NAN;
    out->kfolds = o->kfolds;
    out->lambda = o->lambda;
    out->paired = o->paired_by != NULL;
    out->na_seen = a->ok;
    out->nb_seen = b->ok;
    size_t n = a->n + b->n;
    const ks_record **rows = x_malloc((n ? n : 1) * sizeof *rows);
    int *y = x_malloc((n ? n : 1) * sizeof *y), *fold = x_malloc((n ? n : 1) * sizeof *fold);
    char **pid = x_calloc(n ? n : 1, sizeof *pid);
    size_t m = 0;
    char buf[256];
    for (int side = 0; side < 2; side++) {
        const ks_sample *g = side ? b : a;
        for (size_t j = 0; j < g->n; j++) {
            const ks_record *r = g->items[j].rec;
            if (r->status != KS_STATUS_OK)
                continue;
            rows[m] = r;
            y[m] = side;
            const char *id = NULL;
            if (o->paired_by)
                id = ks_regex_capture(o->paired_by, r->path ? r->path : "", buf, sizeof buf);
            pid[m] = id ? x_strdup(id) : NULL;
            /* grouped folds: every work of one pair id is held out together,
             * so a prompt's human and AI stories never straddle train/test */
            fold[m] = fold_of(id ? id : (r->path ? r->path : ""), o->kfolds);
            m++;
            if (side)
                out->nb_used++;
            else
                out->na_used++;
        }
    }
    /* distinct pair ids */
    pair_ent *pe = NULL;
    size_t npe = 0;
    if (o->paired_by) {
        pe = x_calloc(m ? m : 1, sizeof *pe);
        for (size_t i = 0; i < m; i++) {
            if (!pid[i])
                continue;
            size_t e = 0;
            while (e < npe && strcmp(pe[e].id, pid[i]) != 0)
                e++;
            if (e == npe)
                pe[npe++].id = pid[i];
        }
        out->npair_ids = npe;
    }
    double *va = x_malloc((m ? m : 1) * sizeof *va), *vb = x_malloc((m ? m : 1) * sizeof *vb);
    double *dif = x_malloc((m ? m : 1) * sizeof *dif);
    double *pv = x_malloc(KS_NFEATURES * sizeof *pv), *pvp = x_malloc(KS_NFEATURES * sizeof *pvp);
    out->rows = x_calloc(KS_NFEATURES, sizeof *out->rows);
    ks_rng g;
    ks_rng_seed(&g, o->seed);
    for (int f = 0; f < KS_NFEATURES; f++) {
        size_t na = 0, nb = 0;
        if (o->exclude && regexec(o->exclude, ks_features[f].name, 0, NULL, 0) == 0)
            continue;
        for (size_t i = 0; i < m; i++) {
            double v = rows[i]->feat[f];
            if (isnan(v))
                continue;
            if (y[i])
                vb[nb++] = v;
            else
                va[na++] = v;
        }
        if (na < 2 || nb < 2)
            continue;
        ks_cmp_row *row = &out->rows[out->nrows];
        memset(row, 0, sizeof *row);
        row->feature = f;
        row->na = (int64_t)na;
        row->nb = (int64_t)nb;
        ks_mwu mw;
        ks_mann_whitney(va, na, vb, nb, &mw);
        row->auroc = mw.auroc;
        row->delta = mw.delta;
        row->p = mw.p;
        /* bootstrap while it is cheap; beyond, DeLong's asymptotic CI (the
         * bootstrap would cost boot x n, and the normal limit is then tight) */
        if (na + nb <= KS_BOOT_MAX_N) {
            ks_cliff_delta_ci(va, na, vb, nb, o->boot, 0.95, &g, &row->delta_lo, &row->delta_hi);
        } else {
            ks_cliff_delta_ci_delong(va, na, vb, nb, 0.95, &row->delta_lo, &row->delta_hi);
            out->ci_delong = 1;
        }
        double *tmp = x_malloc((na > nb ? na : nb) * sizeof *tmp);
        memcpy(tmp, va, na * sizeof *tmp);
        row->med_a = ks_median(tmp, na);
        memcpy(tmp, vb, nb * sizeof *tmp);
        row->med_b = ks_median(tmp, nb);
        x_free(tmp);
        row->data_sign = row->delta_lo > 0 ? 1 : (row->delta_hi < 0 ? -1 : 0);
        int dir = ks_features[f].direction;
        row->disagrees = dir != 0 && row->data_sign != 0 && row->data_sign != dir;
        row->p_paired = row->q_paired = row->wilcoxon_t = NAN;
        if (o->paired_by) {
            /* per pair id: mean of B's works minus mean of A's works (HANNA
             * has 1 human and 6 model stories per prompt) */
            for (size_t e = 0; e < npe; e++)
                pe[e].sa = pe[e].sb = 0, pe[e].na = pe[e].nb = 0;
            for (size_t i = 0; i < m; i++) {
                double v = rows[i]->feat[f];
                if (isnan(v) || !pid[i])
                    continue;
                size_t e = 0;
                while (e < npe && strcmp(pe[e].id, pid[i]) != 0)
                    e++;
                if (y[i])
                    pe[e].sb += v, pe[e].nb++;
                else
                    pe[e].sa += v, pe[e].na++;
            }
            size_t nd = 0;
            for (size_t e = 0; e < npe; e++)
                if (pe[e].na && pe[e].nb)
                    dif[nd++] = pe[e].sb / pe[e].nb - pe[e].sa / pe[e].na;
            row->npairs = (int64_t)nd;
            ks_wilcoxon w;
            if (nd && ks_wilcoxon_signed_rank(dif, nd, &w) == 0) {
                row->p_paired = w.p;
                row->wilcoxon_t = w.t;
            }
        }
        pv[out->nrows] = row->p;
        pvp[out->nrows] = row->p_paired;
        out->nrows++;
    }
    /* Benjamini & Hochberg over the features tested */
    double *q = x_malloc((out->nrows ? out->nrows : 1) * sizeof *q);
    ks_bh_adjust(pv, out->nrows, q);
    for (size_t i = 0; i < out->nrows; i++)
        out->rows[i].q = q[i];
    ks_bh_adjust(pvp, out->nrows, q);
    for (size_t i = 0; i < out->nrows; i++)
        out->rows[i].q_paired = q[i];
    x_free(q);

    /* combined model: directional features measured in >= 50 % of both groups */
    int *ids = x_malloc(KS_NFEATURES * sizeof *ids);
    size_t k = 0;
    for (size_t i = 0; i < out->nrows; i++) {
        const ks_cmp_row *row = &out->rows[i];
        int f = row->feature;
        if (!o->include_context && ks_features[f].direction == 0)
            continue;
        if (2 * row->na < (int64_t)out->na_used || 2 * row->nb < (int64_t)out->nb_used)
            continue;
        ids[k++] = f;
    }
    if (k > 0 && out->na_used >= 2 && out->nb_used >= 2) {
        double *X = x_malloc(m * k * sizeof *X), *oof = x_malloc(m * sizeof *oof);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < k; j++)
                X[i * k + j] = rows[i]->feat[ids[j]];
        out->cv_auroc = ks_logreg_cv(X, y, fold, o->kfolds, m, k, o->lambda, oof);
        out->roc_fpr = x_malloc((m + 1) * sizeof(double));
        out->roc_tpr = x_malloc((m + 1) * sizeof(double));
        {
            double *sc = x_malloc(m * sizeof *sc);
            int *lb = x_malloc(m * sizeof *lb);
            size_t c = 0;
            for (size_t i = 0; i < m; i++)
                if (!isnan(oof[i]))
                    sc[c] = oof[i], lb[c++] = y[i];
            out->roc_n = ks_roc_curve(sc, lb, c, out->roc_fpr, out->roc_tpr);
            x_free(sc);
            x_free(lb);
        }
        /* the saved model: standardise on all rows, fit on all rows */
        out->model_k = k;
        out->model_ids = x_malloc(k * sizeof *out->model_ids);
        memcpy(out->model_ids, ids, k * sizeof *ids);
        out->model_mean = x_malloc(k * sizeof(double));
        out->model_sd = x_malloc(k * sizeof(double));
        out->model_w = x_malloc((k + 1) * sizeof(double));
        ks_column_moments(X, m, k, out->model_mean, out->model_sd);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < k; j++) {
                double v = X[i * k + j];
                X[i * k + j] = (isnan(v) || !(out->model_sd[j] > 0)) ? 0 : (v - out->model_mean[j]) / out->model_sd[j];
            }
        if (ks_logreg_fit(X, y, m, k, o->lambda, out->model_w) < 0)
            out->model_k = 0;
        x_free(X);
        x_free(oof);
    }
    /* confounds: each context feature alone (length, duration, resolution) */
    out->conf_ids = x_malloc(KS_NFEATURES * sizeof *out->conf_ids);
    out->conf_auroc = x_malloc(KS_NFEATURES * sizeof(double));
    out->conf_cv_auroc = x_malloc(KS_NFEATURES * sizeof(double));
    for (size_t i = 0; i < out->nrows; i++) {
        int f = out->rows[i].feature;
        if (ks_features[f].direction != 0)
            continue;
        double *X = x_malloc(m * sizeof *X), *oof = x_malloc(m * sizeof *oof);
        for (size_t r = 0; r < m; r++)
            X[r] = rows[r]->feat[f];
        out->conf_ids[out->nconf] = f;
        out->conf_auroc[out->nconf] = out->rows[i].auroc;
        out->conf_cv_auroc[out->nconf] = ks_logreg_cv(X, y, fold, o->kfolds, m, 1, o->lambda, oof);
        out->nconf++;
        x_free(X);
        x_free(oof);
    }
    x_free(ids);
    x_free(va);
    x_free(vb);
    x_free(dif);
    x_free(pv);
    x_free(pvp);
    x_free(pe);
    for (size_t i = 0; i < m; i++)
        x_free(pid[i]);
    x_free(pid);
    x_free(rows);
    x_free(y);
    x_free(fold);
    return 0;
}

void ks_cmp_to_profile(const ks_cmp_result *c, const ks_sample *a, const char *label_b, ks_profile *p)
{
    ks_profile_from_sample(p, a, NULL);
    for (size_t i = 0; i < c->nrows; i++) {
        const ks_cmp_row *row = &c->rows[i];
        if (ks_features[row->feature].direction != 0 && row->data_sign != 0)
            p->feat[row->feature].learnt_sign = row->data_sign;
    }
    ks_profile_model *m = &p->model;
    x_free(m->ids);
    x_free(m->mean);
    x_free(m->sd);
    x_free(m->w);
    x_free(m->positive);
    m->k = c->model_k;
    m->ids = x_malloc((c->model_k + 1) * sizeof *m->ids);
    m->mean = x_malloc((c->model_k + 1) * sizeof *m->mean);
    m->sd = x_malloc((c->model_k + 1) * sizeof *m->sd);
    m->w = x_malloc((c->model_k + 1) * sizeof *m->w);
    if (c->model_k) {
        memcpy(m->ids, c->model_ids, c->model_k * sizeof *m->ids);
        memcpy(m->mean, c->model_mean, c->model_k * sizeof *m->mean);
        memcpy(m->sd, c->model_sd, c->model_k * sizeof *m->sd);
        memcpy(m->w, c->model_w, (c->model_k + 1) * sizeof *m->w);
    }
    m->lambda = c->lambda;
    m->cv_auroc = c->cv_auroc;
    m->positive = x_strdup(label_b ? label_b : "B");
}

/* ------------------------------------------------------------------ */
/* set-level orchestration                                             */

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

int ks_set_measure(ks_summary *s, const ks_set_entry *fns, size_t nfns, const ks_set_opts *o,
                   ks_set_group_result *res, size_t *n_used)
{
    size_t N = o->n;
    int reps = o->reps > 0 ? o->reps : 20;
    const ks_record ***avail = x_calloc(s->ng ? s->ng : 1, sizeof *avail);
    size_t *navail = x_calloc(s->ng ? s->ng : 1, sizeof *navail);
    ks_summary_sort_groups(s);
    /* modality and usable records per group */
    for (size_t gi = 0; gi < s->ng; gi++) {
        ks_sample *g = &s->g[gi];
        ks_sample_finish(g);
        ks_set_group_result *R = &res[gi];
        memset(R, 0, sizeof *R);
        R->name = g->name;
        R->n_seen = g->ok;
        for (int k = 0; k < KS_NSETMETRICS; k++) {
            R->v[k].value = R->v[k].ci_lo = R->v[k].ci_hi = NAN;
        }
        static const char *mods[] = {"text", "image", "audio", "video"};
        size_t best = 0, bestn = 0;
        for (size_t mi = 0; mi < 4; mi++) {
            size_t c = 0;
            for (size_t j = 0; j < g->n; j++)
                c += modality_ok(g->items[j].rec, mods[mi]);
            if (c > bestn)
                best = mi, bestn = c;
        }
        R->modality = mods[best];
        avail[gi] = x_malloc((g->n ? g->n : 1) * sizeof **avail);
        for (size_t j = 0; j < g->n; j++)
            if (modality_ok(g->items[j].rec, R->modality))
                avail[gi][navail[gi]++] = g->items[j].rec;
        R->n_available = (int64_t)navail[gi];
    }
    if (N == 0) {
        /* equal N = the smallest set: set metrics grow or shrink with set
         * size (Vendi, self-repetition), so sets are only compared at one N */
        for (size_t gi = 0; gi < s->ng; gi++)
            if (navail[gi] >= 2 && (N == 0 || navail[gi] < N))
                N = navail[gi];
    }
    *n_used = N;
    const ks_record **sub = x_malloc((N ? N : 1) * sizeof *sub);
    ks_set_value *vals = x_malloc(KS_NSETMETRICS * sizeof *vals);
    double *acc = x_malloc((size_t)reps * KS_NSETMETRICS * sizeof *acc);
    size_t *idx = NULL;
    for (size_t gi = 0; gi < s->ng; gi++) {
        ks_set_group_result *R = &res[gi];
        ks_set_fn fn = NULL;
        for (size_t e = 0; e < nfns; e++)
            if (strcmp(fns[e].modality, R->modality) == 0)
                fn = fns[e].fn;
        if (!fn) {
            R->status = KS_E_UNSUPPORTED;
            snprintf(R->note, sizeof R->note, "no set measures for modality %s in this build", R->modality);
            continue;
        }
        if (N < 2 || navail[gi] < N) {
            R->status = KS_E_TOO_SHORT;
            snprintf(R->note, sizeof R->note, "%zu usable records, fewer than the common N = %zu", navail[gi], N);
            continue;
        }
        ks_rng g;
        ks_rng_seed(&g, o->seed ^ ks_hash64(R->name, strlen(R->name), 7));
        idx = x_realloc(idx, navail[gi] * sizeof *idx);
        int nrep = navail[gi] == N ? 1 : reps; /* the whole set: one "subsample" */
        int rc = 0;
        for (int rep = 0; rep < nrep; rep++) {
            for (size_t j = 0; j < navail[gi]; j++)
                idx[j] = j;
            for (size_t j = 0; j < N; j++) { /* partial Fisher-Yates */
                size_t t = j + ks_rng_below(&g, navail[gi] - j);
                size_t tmp = idx[j];
                idx[j] = idx[t];
                idx[t] = tmp;
            }
            /* keep the sample's key order inside a subsample: deterministic */
            qsort(idx, N, sizeof *idx, cmp_size);
            for (size_t j = 0; j < N; j++)
                sub[j] = avail[gi][idx[j]];
            for (int k = 0; k < KS_NSETMETRICS; k++) {
                vals[k].value = vals[k].ci_lo = vals[k].ci_hi = NAN;
                vals[k].n = 0;
                vals[k].note[0] = '\0';
            }
            rc = fn(sub, N, &g, vals);
            if (rc < 0)
                break;
            vals[KS_S_CORE_N].value = (double)N;
            vals[KS_S_CORE_N].n = (int64_t)N;
            for (int k = 0; k < KS_NSETMETRICS; k++) {
                acc[(size_t)rep * KS_NSETMETRICS + (size_t)k] = vals[k].value;
                if (rep == 0) {
                    R->v[k].n = vals[k].n;
                    snprintf(R->v[k].note, sizeof R->v[k].note, "%s", vals[k].note);
                }
            }
        }
        if (rc < 0) {
            R->status = rc;
            snprintf(R->note, sizeof R->note, "set measures failed: %s", ks_error_meaning(rc));
            continue;
        }
        double *col = x_malloc((size_t)nrep * sizeof *col);
        for (int k = 0; k < KS_NSETMETRICS; k++) {
            size_t c = 0;
            double sum = 0;
            for (int rep = 0; rep < nrep; rep++) {
                double v = acc[(size_t)rep * KS_NSETMETRICS + (size_t)k];
                if (!isnan(v))
                    col[c++] = v, sum += v;
            }
            if (!c)
                continue;
            R->v[k].value = sum / (double)c;
            if (c >= 2) {
                qsort(col, c, sizeof *col, ks_cmp_double);
                R->v[k].ci_lo = ks_quantile_sorted(col, c, 0.025);
                R->v[k].ci_hi = ks_quantile_sorted(col, c, 0.975);
            }
        }
        x_free(col);
        if (nrep == 1)
            snprintf(R->note, sizeof R->note, "whole set (N = its size): no subsampling interval");
        else
            snprintf(R->note, sizeof R->note, "mean of %d random subsamples of N = %zu of %zu; interval = 2.5-97.5 %% of subsamples",
                     nrep, N, navail[gi]);
    }
    for (size_t gi = 0; gi < s->ng; gi++)
        x_free(avail[gi]);
    x_free(avail);
    x_free(navail);
    x_free(sub);
    x_free(vals);
    x_free(acc);
    x_free(idx);
    return 0;
}
