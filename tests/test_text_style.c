/* test_text_style.c - issue 3's per-work features (lexicon hit rates, LLM
 * tics), lexicon parsing and mining, and the set-level homogeneity measures,
 * on hand-checked inputs; direction checks throughout. */
#define _POSIX_C_SOURCE 200809L
#include "ktest.h"

#include "kitsch.h"
#include "lexicon.h"
#include "normalize.h"
#include "segment.h"
#include "text.h"
#include "textint.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int analyze_opt(const char *s, const ks_options *o, ks_record *r)
{
    char path[] = "/tmp/ks_text_styleXXXXXX";
    int fd = mkstemp(path);
    size_t n = strlen(s);
    if (fd < 0 || write(fd, s, n) != (ssize_t)n)
        return KS_E_IO;
    lseek(fd, 0, SEEK_SET);
    ks_input in = {0};
    in.path = path;
    in.fd = fd;
    in.size = (int64_t)n;
    in.opt = o;
    ks_record_init(r);
    int rc = ks_text_analyze(&in, r);
    close(fd);
    unlink(path);
    return rc;
}

static int analyze(const char *s, ks_record *r)
{
    ks_options o;
    ks_options_default(&o);
    return analyze_opt(s, &o, r);
}

/* chars = code points of the NFC text */
static void test_tics(void)
{
    ks_record r;
    /* 2 dashes (em dash, typewriter --) in 14 code points. */
    KT_EQ_INT(0, analyze("A \xe2\x80\x94 b. C -- d.", &r));
    KT_NEAR(1000.0 * 2 / 14, r.feat[KS_F_TEXT_EMDASH], 1e-9);
    ks_record_clear(&r);

    /* Contrast: "It wasn't luck. It was grit." -> 1 in 28 chars. */
    KT_EQ_INT(0, analyze("It wasn't luck. It was grit.", &r));
    KT_NEAR(1000.0 / 28, r.feat[KS_F_TEXT_CONTRAST], 1e-9);
    ks_record_clear(&r);
    KT_EQ_INT(0, analyze("Not a house, but a home.", &r));
    KT_NEAR(1000.0 / 24, r.feat[KS_F_TEXT_CONTRAST], 1e-9);
    ks_record_clear(&r);
    KT_EQ_INT(0, analyze("It isn\xe2\x80\x99t fear \xe2\x80\x94 it\xe2\x80\x99s hope.", &r));
    KT_TRUE(r.feat[KS_F_TEXT_CONTRAST] > 0);
    ks_record_clear(&r);
    KT_EQ_INT(0, analyze("I do not know where she went. Nobody does.", &r));
    KT_NEAR(0, r.feat[KS_F_TEXT_CONTRAST], 0);
    ks_record_clear(&r);

    /* Tricolon: 1 of 2 sentences; "A, B and C" opened by a comma counts too. */
    KT_EQ_INT(0, analyze("She bought apples, pears, and plums. He came home and slept.", &r));
    KT_NEAR(0.5, r.feat[KS_F_TEXT_TRICOLON], 1e-12);
    ks_record_clear(&r);
    KT_EQ_INT(0, analyze("It was cold, dark and quiet, wet, grey and still.", &r));
    KT_NEAR(1.0, r.feat[KS_F_TEXT_TRICOLON], 1e-12); /* one sentence, one match counted per "and" with items */
    ks_record_clear(&r);

    /* Dialogue: 2 of 4 words inside quotes. */
    KT_EQ_INT(0, analyze("\"Hi there,\" she said.", &r));
    KT_NEAR(0.5, r.feat[KS_F_TEXT_DIALOGUE], 1e-12);
    ks_record_clear(&r);

    /* Chat artefacts. */
    KT_EQ_INT(0, analyze("Certainly! Here is a story about a cat.", &r));
    KT_NEAR(1, r.feat[KS_F_TEXT_CHAT], 0);
    ks_record_clear(&r);
    KT_EQ_INT(0, analyze("# Title\n\nThe cat sat.", &r));
    KT_NEAR(1, r.feat[KS_F_TEXT_CHAT], 0);
    ks_record_clear(&r);
    KT_EQ_INT(0, analyze("It was **very** dark.", &r));
    KT_NEAR(1, r.feat[KS_F_TEXT_CHAT], 0);
    ks_record_clear(&r);
    KT_EQ_INT(0, analyze("The cat sat on the mat.", &r));
    KT_NEAR(0, r.feat[KS_F_TEXT_CHAT], 0);
    ks_record_clear(&r);

    /* Closing epiphany: 20 words; the last 15 % = last 3 words
     * ("truly was enough") hold "truly" and "was enough": 2 hits / 3 words. */
    KT_EQ_INT(0, analyze("One two three four five six seven eight nine ten eleven twelve thirteen "
                         "fourteen fifteen sixteen seventeen truly was enough.", &r));
    KT_NEAR(200.0 / 3, r.feat[KS_F_TEXT_EPIPHANY], 1e-9);
    ks_record_clear(&r);
    KT_EQ_INT(0, analyze("Too short to judge an ending.", &r));
    KT_NAN(r.feat[KS_F_TEXT_EPIPHANY]);
    ks_record_clear(&r);
}

static void test_lexicon(void)
{
    const char *tsv = "# test\nkind\tphrase\tn\tz\nword\tdelve\t1\t5\nngram\ttapestry of life\t2\t4\nname\tElara\t1\t3\n";
    ks_lexicon *l = NULL;
    char msg[200];
    KT_EQ_INT(0, ks_lexicon_parse(tsv, strlen(tsv), &l, msg, sizeof msg));
    KT_EQ_INT(1, ks_lexicon_count(l, KS_LEX_WORD));
    KT_EQ_INT(1, ks_lexicon_count(l, KS_LEX_NGRAM));
    KT_EQ_INT(1, ks_lexicon_count(l, KS_LEX_NAME));
    /* 9 words; hits: delve (word), "tapestry life" (content 2-gram), Elara
     * capitalised (name); lower-case "elara" is not a name use. */
    const char *text = "Elara would delve into the tapestry of life. elara.";
    ks_tdoc d;
    ks_tdoc_build(&d, text, strlen(text));
    ks_lexhits h;
    ks_lexicon_hits(l, &d, &h);
    KT_EQ_INT(9, d.nw);
    KT_EQ_INT(1, h.hits[KS_LEX_WORD]);
    KT_EQ_INT(1, h.hits[KS_LEX_NGRAM]);
    KT_EQ_INT(1, h.hits[KS_LEX_NAME]);
    ks_tdoc_free(&d);
    ks_lexicon_del(l);

    /* Through the analyzer with --lexicon. */
    char path[] = "/tmp/ks_lexXXXXXX";
    int fd = mkstemp(path);
    KT_TRUE(fd >= 0 && write(fd, tsv, strlen(tsv)) == (ssize_t)strlen(tsv));
    close(fd);
    ks_options o;
    ks_options_default(&o);
    o.lexicon_path = path;
    KT_EQ_INT(0, ks_text_prepare(&o, msg, sizeof msg));
    ks_record r;
    KT_EQ_INT(0, analyze_opt(text, &o, &r));
    KT_NEAR(1000.0 / 9, r.feat[KS_F_TEXT_LEX_WORDS], 1e-9);
    KT_NEAR(1000.0 / 9, r.feat[KS_F_TEXT_LEX_NGRAMS], 1e-9);
    KT_NEAR(1000.0 / 9, r.feat[KS_F_TEXT_LEX_NAMES], 1e-9);
    KT_NEAR(3000.0 / 9, r.feat[KS_F_TEXT_LEX_ALL], 1e-9);
    KT_TRUE(r.info[KS_I_TEXT_LEXICON] && strstr(r.info[KS_I_TEXT_LEXICON], "1 words, 1 phrases, 1 names"));
    ks_record_clear(&r);
    unlink(path);

    /* Malformed lexicons are rejected with a line number. */
    KT_EQ_INT(KS_E_PARSE, ks_lexicon_parse("word\tok\nbogus\tx\n", 17, &l, msg, sizeof msg));
    KT_TRUE(strstr(msg, "line 2") != NULL);
    KT_EQ_INT(KS_E_PARSE, ks_lexicon_parse("ngram\tthe life\n", 15, &l, msg, sizeof msg));
    KT_EQ_INT(KS_E_PARSE, ks_lexicon_parse("word\ttwo words\n", 15, &l, msg, sizeof msg));
    KT_EQ_INT(KS_E_PARSE, ks_lexicon_parse("word\t\xff\n", 7, &l, msg, sizeof msg));

    /* The embedded default lexicon parses and is not empty. */
    const ks_lexicon *def = ks_lexicon_default();
    KT_TRUE(ks_lexicon_count(def, KS_LEX_WORD) > 100);
    KT_TRUE(ks_lexicon_count(def, KS_LEX_NGRAM) > 10);
}

static void test_mining(void)
{
    ks_lexmine *m = ks_lexmine_new();
    char msg[200], buf[256];
    /* 8 AI documents use "tapestry" and the name Elara mid-sentence; 8 human
     * documents use "gravel" instead. Everything else is shared. */
    for (int i = 0; i < 8; i++) {
        snprintf(buf, sizeof buf, "Then Elara saw the tapestry glow. The river ran %d miles. Then Elara slept.", i);
        KT_EQ_INT(0, ks_lexmine_add(m, 1, buf, strlen(buf), msg, sizeof msg));
        snprintf(buf, sizeof buf, "Then the old man saw the gravel shine. The river ran %d miles.", i);
        KT_EQ_INT(0, ks_lexmine_add(m, 0, buf, strlen(buf), msg, sizeof msg));
    }
    KT_EQ_INT(KS_E_ENCODING, ks_lexmine_add(m, 0, "\xff", 1, msg, sizeof msg));
    KT_EQ_INT(8, ks_lexmine_docs(m, 0));
    ks_lexmine_opts o;
    ks_lexmine_opts_default(&o);
    o.alpha0 = 10; /* a tiny corpus: a weak prior */
    size_t ne = 0;
    char *tsv = ks_lexmine_tsv(m, &o, &ne);
    KT_TRUE(strstr(tsv, "\nword\ttapestry\t1\t") != NULL);
    KT_TRUE(strstr(tsv, "\nname\telara\t1\t") != NULL);
    KT_TRUE(strstr(tsv, "\tgravel\t") == NULL); /* human-side words are not AI over-use */
    KT_TRUE(strstr(tsv, "\triver\t") == NULL);  /* shared words have z = 0 */
    /* The mined file parses back as a lexicon. */
    ks_lexicon *l = NULL;
    KT_EQ_INT(0, ks_lexicon_parse(tsv, strlen(tsv), &l, msg, sizeof msg));
    KT_TRUE(ks_lexicon_count(l, KS_LEX_WORD) >= 1);
    KT_TRUE(ks_lexicon_count(l, KS_LEX_NAME) == 1);
    ks_lexicon_del(l);
    x_free(tsv);
    ks_lexmine_del(m);
}

/* Monroe et al. 2008 z-score, checked against the formula by hand on a
 * two-word vocabulary: AI "a a a b", human "a b b b" (min_df 1). */
static void test_mining_z(void)
{
    ks_lexmine *m = ks_lexmine_new();
    char msg[200];
    KT_EQ_INT(0, ks_lexmine_add(m, 1, "xa xa xa xb", 11, msg, sizeof msg));
    KT_EQ_INT(0, ks_lexmine_add(m, 0, "xa xb xb xb", 11, msg, sizeof msg));
    ks_lexmine_opts o;
    ks_lexmine_opts_default(&o);
    o.min_df = 1;
    o.min_z = 0;
    o.alpha0 = 10;
    o.top[KS_LEX_NGRAM] = 0; /* words only here */
    size_t ne;
    char *tsv = ks_lexmine_tsv(m, &o, &ne);
    /* a_w = 10 * 4/8 = 5; n_a = n_h = 4 (1-grams);
     * delta = log((3+5)/(4+10-3-5)) - log((1+5)/(4+10-1-5)) = log(8/6) - log(6/8)
     * var = 1/8 + 1/6; z = delta / sqrt(var) */
    double z = (log(8.0 / 6) - log(6.0 / 8)) / sqrt(1.0 / 8 + 1.0 / 6);
    char want[64];
    snprintf(want, sizeof want, "word\txa\t1\t%.3f\t3\t1\t1\t1\n", z);
    KT_TRUE(strstr(tsv, want) != NULL);
    if (!strstr(tsv, want))
        fprintf(stderr, "want %s in:\n%s", want, tsv);
    KT_EQ_INT(1, ne); /* xb has z < 0 */
    x_free(tsv);
    ks_lexmine_del(m);
}

static void test_excerpt(void)
{
    ks_record r;
    KT_EQ_INT(0, analyze("  Hello,\n\n  world   of\ttext.  ", &r));
    char buf[KS_TEXT_EXCERPT_MAX + 1];
    size_t n = ks_text_excerpt_unpack(&r.desc[KS_D_TEXT_EXCERPT], buf, sizeof buf);
    KT_EQ_INT(21, n);
    KT_STR("Hello, world of text.", buf);
    ks_record_clear(&r);
}

/* Make n records from texts, through the analyzer. */
static ks_record *records(const char *const *texts, size_t n)
{
    ks_record *r = calloc(n, sizeof *r);
    for (size_t i = 0; i < n; i++)
        KT_EQ_INT(0, analyze(texts[i], &r[i]));
    return r;
}

static void test_sets(void)
{
    /* Homogeneous set: the same long story template with one word changed.
     * Diverse set: unrelated texts. */
    static const char *base =
        "The old lighthouse keeper climbed the spiral stairs every evening and lit the great lamp that guided the "
        "ships home through the storm. She remembered her father, the sea, the long winters and the quiet "
        "mornings when the fog rolled in from the harbour and the gulls cried over the empty docks. Every night "
        "she wrote the weather in a leather book, and every morning she walked down to the village for bread, "
        "milk and news. The villagers nodded to her, and she nodded back, and the years went by like the tides. "
        "One evening a stranger knocked on the door of the lighthouse and asked for shelter from the rain. ";
    const char *homo[4];
    char *bufs[4];
    const char *names[4] = {"Anna", "Berit", "Clara", "Dora"};
    for (int i = 0; i < 4; i++) {
        size_t cap = 2 * strlen(base) + 64;
        bufs[i] = malloc(cap);
        snprintf(bufs[i], cap, "%s%s said nothing at all. %s", base, names[i], base);
        homo[i] = bufs[i];
    }
    static const char *div[4] = {
        "Rain hammered the tin roof while Old Bess counted her chickens twice. Nobody came. By noon the creek "
        "had swallowed the footbridge, and the mailman, cursing in Portuguese, waded across holding a parcel "
        "above his head like a trophy. She laughed so hard her dentures slipped. Inside the parcel: seeds, a "
        "photograph of a stranger, and a receipt from 1974. Why would anyone mail that? She planted the seeds "
        "anyway, in the wet ground behind the barn, muttering about thieves and saints and the price of eggs "
        "these days, which was criminal, frankly, and getting worse every single week of this wretched year.",
        "Quantum accountants never sleep; they merely reconcile. Dmitri had audited eleven parallel ledgers "
        "before breakfast and found the same missing kopek in each. His supervisor, a sentient filing cabinet "
        "named Gloria, rattled her drawers in sympathy. Outside the window, pigeons performed a slow ballet "
        "around the statue of a forgotten general whose nose had been stolen twice by art students. Dmitri "
        "considered the kopek. It considered him back. Somewhere between them lay a rounding error large enough "
        "to swallow a small republic, and he was the only man alive who could see its edges clearly today.",
        "My grandmother kept bees on the roof of a laundromat in Lagos, which is a sentence I have never once "
        "managed to say at a party without someone laughing. The bees did not care about the laundromat. They "
        "cared about the hibiscus three streets over and the soap-scented steam that rose from the vents each "
        "afternoon at four. Grandmother claimed the honey tasted faintly of lavender detergent. I believed her "
        "completely until I was nineteen, when I tasted it again after years away and realised she had been "
        "entirely right, and that I had simply forgotten how to pay attention to anything so small and sweet.",
        "Tuesday, 3 a.m., the vending machine on floor nine began dispensing poetry instead of crisps. Security "
        "footage shows a night cleaner named Yusuf pressing B4 and receiving a limerick about a goat. He pressed "
        "it again and received a sonnet, badly scanned, concerning the moon's opinion of parking garages. By "
        "dawn the machine had produced forty-one poems, six recipes and a legally binding apology addressed to "
        "someone called Terence. Management replaced it on Thursday. Yusuf kept every single slip of paper in a "
        "shoebox under his bed, and on bad nights he reads the goat limerick aloud to his sleeping cat Olu."};
    /* Excerpt-based measures need >= 720 bytes: lengthen the diverse texts
     * with word salad from a private pseudo-random vocabulary per text. */
    const char *divl[4];
    char *dbufs[4];
    uint64_t x = 12345;
    for (int i = 0; i < 4; i++) {
        size_t cap = strlen(div[i]) + 4000, k = (size_t)snprintf(dbufs[i] = malloc(cap), cap, "%s", div[i]);
        for (int w = 0; w < 300 && k + 16 < cap; w++) {
            dbufs[i][k++] = ' ';
            int len = 3 + (int)((x = x * 6364136223846793005ull + 1442695040888963407ull) >> 61);
            for (int c = 0; c < len; c++)
                dbufs[i][k++] = (char)('a' + ((x = x * 6364136223846793005ull + 1442695040888963407ull) >> 59) % 26);
        }
        dbufs[i][k] = '\0';
        divl[i] = dbufs[i];
    }
    ks_record *rh = records(homo, 4), *rd = records(divl, 4);
    const ks_record *ph[4], *pd[4];
    for (int i = 0; i < 4; i++) {
        ph[i] = &rh[i];
        pd[i] = &rd[i];
    }
    ks_set_value vh[KS_NSETMETRICS], vd[KS_NSETMETRICS];
    for (int i = 0; i < KS_NSETMETRICS; i++) {
        vh[i].value = vd[i].value = NAN;
        vh[i].n = vd[i].n = 0;
        vh[i].note[0] = vd[i].note[0] = '\0';
    }
    ks_rng g;
    ks_rng_seed(&g, 1);
    KT_EQ_INT(0, ks_text_set_metrics(ph, 4, &g, vh));
    KT_EQ_INT(0, ks_text_set_metrics(pd, 4, &g, vd));
    int ids[] = {KS_S_TEXT_SELF_REP, KS_S_TEXT_SHARED3, KS_S_TEXT_MINHASH_J, KS_S_TEXT_DUP_OPENING, KS_S_TEXT_SET_CR};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        KT_TRUE(vh[ids[k]].value > vd[ids[k]].value);
        if (!(vh[ids[k]].value > vd[ids[k]].value))
            fprintf(stderr, "  %s: homogeneous %g vs diverse %g\n", ks_setmetrics[ids[k]].name, vh[ids[k]].value,
                    vd[ids[k]].value);
    }
    KT_TRUE(vh[KS_S_TEXT_NCD].value < vd[KS_S_TEXT_NCD].value);
    /* Identical openings in the homogeneous set: all 4 works duplicated. */
    KT_NEAR(1.0, vh[KS_S_TEXT_DUP_OPENING].value, 0);
    KT_NEAR(0.0, vd[KS_S_TEXT_DUP_OPENING].value, 0);
    /* Diverse works share almost no 3-grams: shared share near 0. */
    KT_TRUE(vd[KS_S_TEXT_SHARED3].value < 0.05);
    KT_EQ_INT(6, vh[KS_S_TEXT_MINHASH_J].n); /* all 6 pairs */
    /* Two identical texts: MinHash Jaccard exactly 1. */
    const ks_record *same[2] = {&rh[0], &rh[0]};
    ks_set_value vs[KS_NSETMETRICS];
    for (int i = 0; i < KS_NSETMETRICS; i++)
        vs[i].value = NAN;
    KT_EQ_INT(0, ks_text_set_metrics(same, 2, &g, vs));
    KT_NEAR(1.0, vs[KS_S_TEXT_MINHASH_J].value, 0);
    /* Self-repetition by hand: each of the two identical works finds each of
     * its m sampled 4-grams once in the other; rate 1/4 -> log(1 + 4 m). */
    double m4 = (double)rh[0].desc[KS_D_TEXT_SKETCH4].n - 1;
    KT_NEAR(2.0, rh[0].desc[KS_D_TEXT_SKETCH4].v[0], 0); /* short text: k = 2 */
    KT_NEAR(log(1 + 4 * m4), vs[KS_S_TEXT_SELF_REP].value, 1e-12);
    /* Three identical works: every 3-gram is in the 2 others -> share 1. */
    const ks_record *three[3] = {&rh[0], &rh[0], &rh[0]};
    KT_EQ_INT(0, ks_text_set_metrics(three, 3, &g, vs));
    KT_NEAR(1.0, vs[KS_S_TEXT_SHARED3].value, 0);
    for (int i = 0; i < 4; i++) {
        ks_record_clear(&rh[i]);
        ks_record_clear(&rd[i]);
        free(bufs[i]);
        free(dbufs[i]);
    }
    free(rh);
    free(rd);
    /* Records from a hand-edited file: malformed sketches and excerpts are
     * skipped, never trusted (no out-of-range shifts or conversions). */
    ks_record bad[3];
    const ks_record *pb[3];
    double junk[4] = {1e300, NAN, -5, 1e20};
    for (int i = 0; i < 3; i++) {
        ks_record_init(&bad[i]);
        ks_record_set_desc(&bad[i], KS_D_TEXT_SKETCH3, junk, 4);
        ks_record_set_desc(&bad[i], KS_D_TEXT_SKETCH4, junk + 1, 3);
        ks_record_set_desc(&bad[i], KS_D_TEXT_EXCERPT, junk, 4);
        pb[i] = &bad[i];
    }
    for (int i = 0; i < KS_NSETMETRICS; i++)
        vs[i].value = NAN;
    KT_EQ_INT(0, ks_text_set_metrics(pb, 3, &g, vs));
    KT_NAN(vs[KS_S_TEXT_SELF_REP].value);
    KT_NAN(vs[KS_S_TEXT_SHARED3].value);
    for (int i = 0; i < 3; i++)
        ks_record_clear(&bad[i]);
    /* A set with no text records measures nothing (values stay NaN). */
    for (int i = 0; i < KS_NSETMETRICS; i++)
        vs[i].value = NAN;
    KT_EQ_INT(0, ks_text_set_metrics(NULL, 0, &g, vs));
    KT_NAN(vs[KS_S_TEXT_SELF_REP].value);
}

/* Direction: the chatbot-style story scores more kitsch than the varied one
 * on the tics and on the default lexicon. */
static void test_direction(void)
{
    const char *chat =
        "Certainly! Here's a short story:\n\n# The Keeper of Light\n\nElara had always known the sea was more than "
        "water \xe2\x80\x94 it was a testament to everything she had lost. Every evening, she climbed the stairs, her "
        "heart heavy with memories, and lit the lamp.\n\nIt wasn't just a job \xe2\x80\x94 it was a promise. The wind "
        "whispered secrets, the waves sang, and the stars watched in silent understanding. In the end, she realized "
        "that the true meaning of light was hope, and she finally understood that it was enough.";
    const char *varied =
        "The ferry left without Ines. She watched it shrink against the grey water, her suitcase leaning on her "
        "shin like a tired dog, and decided this was fine. Worse things had happened at this pier. Her grandfather "
        "had lost a thumb here in 1961, to a rope, on a Tuesday. A boy selling oranges asked if she wanted one. She "
        "did not. She bought three. The tide turned the harbour into a sheet of hammered tin.";
    ks_record a, b;
    KT_EQ_INT(0, analyze(chat, &a));
    KT_EQ_INT(0, analyze(varied, &b));
    KT_TRUE(a.feat[KS_F_TEXT_LEX_ALL] > b.feat[KS_F_TEXT_LEX_ALL]);
    KT_TRUE(a.feat[KS_F_TEXT_EMDASH] > b.feat[KS_F_TEXT_EMDASH]);
    KT_TRUE(a.feat[KS_F_TEXT_CONTRAST] > b.feat[KS_F_TEXT_CONTRAST]);
    KT_TRUE(a.feat[KS_F_TEXT_EPIPHANY] > b.feat[KS_F_TEXT_EPIPHANY]);
    KT_TRUE(a.feat[KS_F_TEXT_CHAT] > b.feat[KS_F_TEXT_CHAT]);
    KT_TRUE(a.feat[KS_F_TEXT_TRICOLON] > b.feat[KS_F_TEXT_TRICOLON]);
    ks_record_clear(&a);
    ks_record_clear(&b);
}

int main(void)
{
    test_tics();
    test_lexicon();
    test_mining();
    test_mining_z();
    test_excerpt();
    test_sets();
    test_direction();
    return kt_done();
}
