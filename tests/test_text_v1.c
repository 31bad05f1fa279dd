/* test_text_v1.c - the text analyzer's segmentation and core measures on
 * hand-checked inputs, its error codes, and a direction check. */
#define _POSIX_C_SOURCE 200809L
#include "ktest.h"

#include "kitsch.h"
#include "normalize.h"
#include "segment.h"
#include "text.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Analyze bytes through the public entry point (via a temporary file). */
static int analyze(const char *data, size_t n, ks_record *r)
{
    char path[] = "/tmp/ks_text_testXXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return KS_E_IO;
    if (n && write(fd, data, n) != (ssize_t)n) {
        close(fd);
        return KS_E_IO;
    }
    lseek(fd, 0, SEEK_SET);
    ks_options o;
    ks_options_default(&o);
    ks_input in = {0};
    in.path = path;
    in.fd = fd;
    in.size = (int64_t)n;
    in.opt = &o;
    ks_record_init(r);
    int rc = ks_text_analyze(&in, r);
    close(fd);
    unlink(path);
    return rc;
}

static int analyze_s(const char *s, ks_record *r) { return analyze(s, strlen(s), r); }

static void doc(const char *s, ks_tdoc *d) { ks_tdoc_build(d, s, strlen(s)); }

static void test_segmentation(void)
{
    ks_tdoc d;
    doc("The cat sat. The cat ran.", &d);
    KT_EQ_INT(6, d.nw);
    KT_EQ_INT(2, d.nsent);
    KT_EQ_INT(4, d.ntypes); /* the, cat, sat, ran: case folded */
    ks_tdoc_free(&d);

    /* Dialogue: a lower-case continuation after "!" keeps the sentence. */
    doc("\xe2\x80\x9cStop!\xe2\x80\x9d she said. \xe2\x80\x9cNow.\xe2\x80\x9d", &d);
    KT_EQ_INT(4, d.nw);
    KT_EQ_INT(2, d.nsent);
    KT_EQ_INT(3, d.sent[0].nw);
    KT_EQ_INT(1, d.sent[1].nw);
    KT_TRUE(d.w[0].flags & KS_W_DIALOGUE);   /* Stop */
    KT_TRUE(!(d.w[1].flags & KS_W_DIALOGUE)); /* she */
    KT_TRUE(d.w[3].flags & KS_W_DIALOGUE);   /* Now */
    ks_tdoc_free(&d);

    /* Abbreviations, initials and an ellipsis before lower case. */
    doc("Mr. Smith met J. Doe in Washington. He left... then came back. The end...", &d);
    KT_EQ_INT(3, d.nsent);
    KT_EQ_INT(7, d.sent[0].nw);
    KT_EQ_INT(5, d.sent[1].nw);
    KT_EQ_INT(2, d.sent[2].nw);
    ks_tdoc_free(&d);

    /* Numbers with separators stay one word; "?!" is one terminator. */
    doc("It cost 3.50 or 1,000 dollars?! Yes.", &d);
    KT_EQ_INT(7, d.nw);
    KT_EQ_INT(2, d.nsent);
    ks_tdoc_free(&d);

    /* Markdown header: its own unit, flagged; paragraphs by blank lines. */
    doc("# A Title\n\nOne two three.\n\nFour five.\n\nSix.\n", &d);
    KT_EQ_INT(8, d.nw);
    KT_EQ_INT(4, d.nsent);
    KT_TRUE(d.sent[0].header);
    KT_TRUE(d.markdown_header);
    KT_EQ_INT(4, d.npara); /* header + 3 */
    ks_tdoc_free(&d);

    /* No blank line anywhere: each line is a paragraph (and ends a sentence). */
    doc("first line here\nsecond line\nthird", &d);
    KT_TRUE(d.para_by_line);
    KT_EQ_INT(3, d.npara);
    KT_EQ_INT(3, d.nsent);
    ks_tdoc_free(&d);

    /* Curly and straight apostrophes and case: one type. */
    doc("Don\xe2\x80\x99t don't DON'T", &d);
    KT_EQ_INT(3, d.nw);
    KT_EQ_INT(1, d.ntypes);
    ks_tdoc_free(&d);

    /* NFC: decomposed e + U+0301 equals precomposed U+00E9. */
    const char *mixed = "caf\xc3\xa9 Cafe\xcc\x81";
    char *nfc = NULL, msg[128];
    size_t m = 0;
    KT_EQ_INT(0, ks_text_nfc(mixed, strlen(mixed), &nfc, &m, msg, sizeof msg));
    doc(nfc, &d);
    KT_EQ_INT(2, d.nw);
    KT_EQ_INT(1, d.ntypes);
    ks_tdoc_free(&d);
    x_free(nfc);

    /* CRLF line ends become LF, so blank lines are found. */
    KT_EQ_INT(0, ks_text_nfc("a b.\r\n\r\nc d.", 12, &nfc, &m, msg, sizeof msg));
    doc(nfc, &d);
    KT_EQ_INT(2, d.npara);
    ks_tdoc_free(&d);
    x_free(nfc);
}

/* Build "w0 w1 ... " strings for the diversity measures. */
static char *words_text(const int *ids, size_t n)
{
    char *s = malloc(n * 8 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += (size_t)sprintf(s + k, "w%d ", ids[i]);
    s[k] = '\0';
    return s;
}

static void test_measures(void)
{
    ks_record r;
    int ids[120];
    /* a b a b ... (60 tokens): every 50-window has 2 types -> MATTR 2/50;
     * MTLD: TTR first falls to 2/3 <= 0.72 at the 3rd token of each run ->
 * 20 factors, nothing left over -> 60/20 = 3 (both directions);
     * HD-D: each type (f=30) is certain in any 42-sample -> 2/42. */
    for (int i = 0; i < 60; i++)
        ids[i] = i % 2;
    char *s = words_text(ids, 60);
    KT_EQ_INT(0, analyze_s(s, &r));
    KT_NEAR(60, r.feat[KS_F_TEXT_WORDS], 0);
    KT_NEAR(2.0 / 50, r.feat[KS_F_TEXT_MATTR50], 1e-12);
    KT_NEAR(3.0, r.feat[KS_F_TEXT_MTLD], 1e-12);
    KT_NEAR(2.0 / 42, r.feat[KS_F_TEXT_HDD], 1e-12);
    /* 3-grams: w0 w1 w0 / w1 w0 w1 alternate, all repeated */
    KT_NEAR(1.0, r.feat[KS_F_TEXT_REP3_SHARE], 1e-12);
    KT_NAN(r.feat[KS_F_TEXT_COMPRESS_RATIO_300]);   /* < 300 words */
    KT_NAN(r.feat[KS_F_TEXT_SENT_LEN_CV]);           /* one sentence */
    ks_record_clear(&r);
    free(s);

    /* 100 distinct words: MATTR 1, HD-D = sum over N types of 42/N / 42 = 1. */
    for (int i = 0; i < 100; i++)
        ids[i] = i;
    s = words_text(ids, 100);
    KT_EQ_INT(0, analyze_s(s, &r));
    KT_NEAR(1.0, r.feat[KS_F_TEXT_MATTR50], 1e-12);
    KT_NEAR(1.0, r.feat[KS_F_TEXT_HDD], 1e-9);
    KT_NEAR(0.0, r.feat[KS_F_TEXT_REP3_SHARE], 0);
    /* MTLD: no factor ever completes; partial factor (1-1)/(0.28) = 0 -> undefined */
    KT_NAN(r.feat[KS_F_TEXT_MTLD]);
    KT_EQ_INT(98, r.desc[KS_D_TEXT_MINHASH].n); /* 98 distinct 3-grams < 128 */
    ks_record_clear(&r);
    free(s);

    /* rep3: "a b c a b c": 3-grams abc bca cab abc -> 2 of 4 tokens repeated. */
    KT_EQ_INT(0, analyze_s("a b c a b c", &r));
    KT_NEAR(0.5, r.feat[KS_F_TEXT_REP3_SHARE], 1e-12);
    ks_record_clear(&r);

    /* Sentence and paragraph lengths: 3, 2, 1 words -> mean 2, CV = 1/2. */
    KT_EQ_INT(0, analyze_s("One two three.\n\nFour five.\n\nSix.", &r));
    KT_NEAR(3, r.feat[KS_F_TEXT_SENTENCES], 0);
    KT_NEAR(3, r.feat[KS_F_TEXT_PARAGRAPHS], 0);
    KT_NEAR(2.0, r.feat[KS_F_TEXT_SENT_LEN_MEAN], 1e-12);
    KT_NEAR(0.5, r.feat[KS_F_TEXT_SENT_LEN_CV], 1e-12);
    KT_NEAR(0.5, r.feat[KS_F_TEXT_PARA_LEN_CV], 1e-12);
    ks_record_clear(&r);
}

static void test_errors(void)
{
    ks_record r;
    KT_EQ_INT(KS_E_EMPTY, analyze("", 0, &r));
    KT_EQ_INT(KS_STATUS_ERROR, r.status);
    ks_record_clear(&r);
    KT_EQ_INT(KS_E_ENCODING, analyze("abc \xff def", 9, &r));
    KT_TRUE(strstr(r.err_msg, "offset 4") != NULL);
    ks_record_clear(&r);
    KT_EQ_INT(KS_E_ENCODING, analyze("abc\0def", 7, &r));
    KT_TRUE(strstr(r.err_msg, "NUL") != NULL);
    ks_record_clear(&r);
    KT_EQ_INT(KS_E_ENCODING, analyze("\xc3\x28 overlong", 11, &r));
    ks_record_clear(&r);
    KT_EQ_INT(KS_E_TOO_SHORT, analyze_s(" \n\t \n ", &r));
    ks_record_clear(&r);
    KT_EQ_INT(KS_E_TOO_SHORT, analyze_s("... !!! ???", &r));
    ks_record_clear(&r);
}

/* Direction: a templated, repetitive text scores as more kitsch than a
 * varied one on every core measure with a direction. */
static void test_direction(void)
{
    const char *varied =
        "Rain hammered the tin roof while Old Bess counted her chickens twice. Nobody came. "
        "By noon the creek had swallowed the footbridge, and the mailman, cursing in Portuguese, "
        "waded across holding a parcel above his head like a trophy. She laughed so hard her dentures "
        "slipped. Inside the parcel: seeds, a photograph of a stranger, and a receipt from 1974. "
        "Why would anyone mail that? She planted the seeds anyway, in the wet ground behind the barn, "
        "muttering about thieves and saints.";
    const char *templ =
        "The sun was shining and the birds were singing. The sun was shining and the flowers were "
        "blooming. The sun was shining and the children were playing. The sun was shining and the "
        "people were smiling. The sun was shining and the world was happy. The sun was shining and "
        "the day was bright. The sun was shining and the sky was blue. The sun was shining and the "
        "wind was soft.";
    ks_record a, b;
    KT_EQ_INT(0, analyze_s(varied, &a));
    KT_EQ_INT(0, analyze_s(templ, &b));
    KT_TRUE(b.feat[KS_F_TEXT_COMPRESS_RATIO] > a.feat[KS_F_TEXT_COMPRESS_RATIO]);
    KT_TRUE(b.feat[KS_F_TEXT_MATTR50] < a.feat[KS_F_TEXT_MATTR50]);
    KT_TRUE(b.feat[KS_F_TEXT_MTLD] < a.feat[KS_F_TEXT_MTLD]);
    KT_TRUE(b.feat[KS_F_TEXT_HDD] < a.feat[KS_F_TEXT_HDD]);
    KT_TRUE(b.feat[KS_F_TEXT_SENT_LEN_CV] < a.feat[KS_F_TEXT_SENT_LEN_CV]);
    KT_TRUE(b.feat[KS_F_TEXT_REP3_SHARE] > a.feat[KS_F_TEXT_REP3_SHARE]);
    ks_record_clear(&a);
    ks_record_clear(&b);
}

int main(void)
{
    test_segmentation();
    test_measures();
    test_errors();
    test_direction();
    return kt_done();
}
