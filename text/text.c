/* text.c - the text analyzer: validate, normalise (NFC), segment, measure.
 * Each measure's source is cited above its function (lexdiv.c, style.c,
 * lexicon.c); this file only orchestrates. */
#define _POSIX_C_SOURCE 200809L /* pread */
#include "text.h"

#include "lexdiv.h"
#include "normalize.h"
#include "segment.h"
#include "textint.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Compression ratio as a redundancy proxy (Ziv & Lempel 1977; used for text
 * by Benedetto, Caglioti & Loreto 2002): raw bytes / deflate bytes. Deflate
 * only looks 32 KiB back, so on texts over 1 MiB the ratio is estimated from
 * 16 evenly spaced 64 KiB blocks compressed separately (keeps the analyzer's
 * cost linear and small; the estimate differs from the whole-text ratio by
 * the block-boundary overhead only). */
static double compress_ratio(const char *s, size_t n)
{
    if (n < 200) /* deflate's fixed overhead would dominate */
        return NAN;
    enum { BLOCKS = 16, BLOCK = 64 << 10 };
    if (n <= (size_t)BLOCKS * BLOCK) {
        size_t c = ks_deflate_size(s, n, 9);
        return c ? (double)n / (double)c : NAN;
    }
    double raw = 0, comp = 0;
    for (int b = 0; b < BLOCKS; b++) {
        size_t off = (n - BLOCK) / (BLOCKS - 1) * (size_t)b;
        size_t c = ks_deflate_size(s + off, BLOCK, 9);
        if (!c)
            return NAN;
        raw += BLOCK;
        comp += (double)c;
    }
    return raw / comp;
}

void ks_text_measure(const ks_tdoc *d, ks_record *r)
{
    double *f = r->feat;
    f[KS_F_TEXT_WORDS] = (double)d->nw;
    size_t nsent = 0;
    double *len = x_malloc((d->nsent + d->npara + 1) * sizeof *len);
    for (size_t i = 0; i < d->nsent; i++)
        if (!d->sent[i].header)
            len[nsent++] = (double)d->sent[i].nw;
    f[KS_F_TEXT_SENTENCES] = (double)nsent;
    f[KS_F_TEXT_PARAGRAPHS] = (double)d->npara;
    if (nsent > 0) {
        double sum = 0;
        for (size_t i = 0; i < nsent; i++)
            sum += len[i];
        f[KS_F_TEXT_SENT_LEN_MEAN] = sum / (double)nsent;
    }
    f[KS_F_TEXT_SENT_LEN_CV] = ks_cv(len, nsent);
    for (size_t i = 0; i < d->npara; i++)
        len[i] = (double)d->para[i].nw;
    f[KS_F_TEXT_PARA_LEN_CV] = ks_cv(len, d->npara);
    x_free(len);

    if (d->nw > 0) {
        size_t a = d->w[0].off, b = d->w[d->nw - 1].off + d->w[d->nw - 1].len;
        f[KS_F_TEXT_COMPRESS_RATIO] = compress_ratio(d->text + a, b - a);
        if (d->nw >= 300) {
            size_t e = d->w[299].off + d->w[299].len;
            f[KS_F_TEXT_COMPRESS_RATIO_300] = compress_ratio(d->text + a, e - a);
        }
    }
    f[KS_F_TEXT_MATTR50] = ks_mattr(d->type, d->nw, d->ntypes, 50);
    f[KS_F_TEXT_MTLD] = ks_mtld(d->type, d->nw, d->ntypes, 0.72);
    f[KS_F_TEXT_HDD] = ks_hdd(d->type, d->nw, d->ntypes, 42);

    /* One sorted array of 3-gram hashes serves repetition, MinHash and the
     * 3-gram sketch (hashed straight from the word array: no copies). */
    size_t m3 = d->nw >= 3 ? d->nw - 2 : 0;
    uint64_t *g3 = x_malloc_big((m3 ? m3 : 1) * sizeof *g3);
    for (size_t i = 0; i < m3; i++) {
        uint64_t hh[3] = {d->w[i].h, d->w[i + 1].h, d->w[i + 2].h};
        g3[i] = ks_text_ngram_hash_inline(hh, 3);
    }
    uint64_t *tmp = x_malloc_big((m3 ? m3 : 1) * sizeof *tmp);
    ks_text_sort_u64_scratch(g3, m3, tmp);
    x_free(tmp);
    if (d->nw >= 4)
        f[KS_F_TEXT_REP3_SHARE] = ks_rep_share_sorted(g3, m3);
    double mh[128];
    size_t k = ks_minhash_sorted(g3, m3, mh, 128);
    if (k > 0)
        ks_record_set_desc(r, KS_D_TEXT_MINHASH, mh, k);
    if (d->nw >= 3)
        ks_text_sketch_sorted(g3, m3, KS_D_TEXT_SKETCH3, r);
    x_free(g3);
}

int ks_text_analyze(const ks_input *in, ks_record *r)
{
    char *raw = NULL, *nfc = NULL;
    size_t n = 0, m = 0;
    char msg[256];
    ks_tdoc d;
    memset(&d, 0, sizeof d);
    int rc = ks_text_lexicon_check(in->opt, r); /* before any measuring */
    if (rc < 0)
        goto done;
    rc = ks_read_all(in, in->opt->max_text_bytes, &raw, &n, r);
    if (rc < 0)
        goto done;
    if (n == 0) {
        rc = ks_record_fail(r, KS_E_EMPTY, "the file is empty (0 bytes)");
        goto done;
    }
    rc = ks_text_validate(raw, n, msg, sizeof msg);
    if (rc < 0) {
        rc = ks_record_fail(r, KS_E_ENCODING, "%s", msg);
        goto done;
    }
    /* In place: the file's buffer becomes the normalised text (no copy of
     * text that is already NFC, which is nearly all text). */
    m = n;
    rc = ks_text_nfc_inplace(&raw, &m, msg, sizeof msg);
    if (rc < 0) {
        rc = ks_record_fail(r, KS_E_ENCODING, "%s", msg);
        goto done;
    }
    nfc = raw;
    raw = NULL;
    ks_tdoc_build(&d, nfc, m);
    if (d.nw == 0) {
        rc = ks_record_fail(r, KS_E_TOO_SHORT, "no words in %zu bytes of text", m);
        goto done;
    }
    ks_text_measure(&d, r);
    rc = ks_text_measure_style(&d, in->opt, r);
done:
    ks_tdoc_free(&d);
    x_free(raw);
    x_free(nfc);
    return rc;
}

const char *ks_text_lib_versions(void)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "utf8proc %s", ks_utf8proc_version());
    return buf;
}
