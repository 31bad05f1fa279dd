#define _POSIX_C_SOURCE 200809L
/* test_common.c - the foundation: hashing, sniffing, records round-trip,
 * quantiles, registry consistency. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "kitsch.h"
#include "ktest.h"
#include "sniff.h"

static void test_sha256(void)
{
    char h[65];
    /* FIPS 180-2 test vectors */
    ks_sha256_hex("abc", 3, h);
    KT_STR("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", h);
    ks_sha256_hex("", 0, h);
    KT_STR("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", h);
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ks_sha256_hex(m, strlen(m), h);
    KT_STR("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", h);
    /* streaming in odd pieces equals one shot */
    ks_sha256 s;
    ks_sha256_init(&s);
    for (size_t i = 0; i < strlen(m); i += 7)
        ks_sha256_update(&s, m + i, strlen(m) - i < 7 ? strlen(m) - i : 7);
    ks_sha256_final(&s, h);
    KT_STR("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", h);
    /* a million 'a' (FIPS 180-2), through both block functions */
    char *big = malloc(1000000);
    memset(big, 'a', 1000000);
    for (int portable = 0; portable < 2; portable++) {
        ks_sha256_portable(portable);
        ks_sha256_hex(big, 1000000, h);
        KT_STR("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", h);
    }
    /* the hardware path (where there is one) agrees with the portable code
     * at every length across block and padding boundaries */
    unsigned char buf[300];
    for (int i = 0; i < 300; i++)
        buf[i] = (unsigned char)(i * 131 + 7);
    int diff = 0;
    for (size_t n = 0; n <= 300; n++) {
        char a[65], b[65];
        ks_sha256_portable(1);
        ks_sha256_hex(buf, n, a);
        ks_sha256_portable(0);
        ks_sha256_hex(buf, n, b);
        diff += strcmp(a, b) != 0;
    }
    KT_EQ_INT(0, diff);
    free(big);
}

static void test_hash_and_rng(void)
{
    /* Shard assignment depends on these values never changing. */
    KT_TRUE(ks_hash64("a", 1, 0) != ks_hash64("b", 1, 0));
    KT_TRUE(ks_hash64("a", 1, 0) == ks_hash64("a", 1, 0));
    KT_TRUE(ks_hash64("a", 1, 0) != ks_hash64("a", 1, 1));
    ks_rng g1, g2;
    ks_rng_seed(&g1, 42);
    ks_rng_seed(&g2, 42);
    int same = 1;
    double mean = 0;
    for (int i = 0; i < 10000; i++) {
        double u = ks_rng_uniform(&g1);
        same &= u == ks_rng_uniform(&g2);
        mean += u / 10000;
        KT_TRUE(u >= 0 && u < 1);
        if (u < 0 || u >= 1)
            break;
    }
    KT_TRUE(same);
    KT_NEAR(0.5, mean, 0.02);
    size_t counts[3] = {0};
    for (int i = 0; i < 3000; i++)
        counts[ks_rng_below(&g1, 3)]++;
    KT_TRUE(counts[0] > 900 && counts[1] > 900 && counts[2] > 900);
}

static void test_quantiles(void)
{
    double v[] = {4, 1, 3, 2, 5};
    KT_NEAR(3.0, ks_median(v, 5), 1e-12);
    double s[] = {1, 2, 3, 4};
    /* R: quantile(1:4, 0.25) = 1.75 (type 7) */
    KT_NEAR(1.75, ks_quantile_sorted(s, 4, 0.25), 1e-12);
    KT_NEAR(2.5, ks_quantile_sorted(s, 4, 0.5), 1e-12);
    KT_NEAR(4.0, ks_quantile_sorted(s, 4, 1.0), 1e-12);
    KT_NAN(ks_median(v, 0));
}

static void test_sniff(void)
{
    const char *how;
    KT_STR("image", ks_sniff((const unsigned char *)"\xff\xd8\xff\xe0", 4, "x.bin", &how));
    KT_STR("magic", how);
    KT_STR("image", ks_sniff((const unsigned char *)"\x89PNG\r\n\x1a\n", 8, "x.jpg", &how));
    KT_STR("audio", ks_sniff((const unsigned char *)"RIFF\0\0\0\0WAVEfmt ", 16, "x", &how));
    KT_STR("audio", ks_sniff((const unsigned char *)"fLaC", 4, "x", &how));
    KT_STR("video", ks_sniff((const unsigned char *)"\0\0\0\x20" "ftypisom", 12, "x", &how));
    KT_STR("audio", ks_sniff((const unsigned char *)"\0\0\0\x20" "ftypM4A ", 12, "x", &how));
    KT_STR("text", ks_sniff((const unsigned char *)"Once upon a time", 16, "story", &how));
    KT_STR("content", how);
    KT_STR("text", ks_sniff((const unsigned char *)"a\0b", 3, "x.txt", &how));
    KT_STR("extension", how);
    KT_STR("unknown", ks_sniff((const unsigned char *)"a\0b", 3, "x.bin", &how));
    /* UTF-8 cut by the window is still text; overlong encodings are not */
    KT_STR("text", ks_sniff((const unsigned char *)"caf\xc3", 4, "x", &how));
    KT_STR("unknown", ks_sniff((const unsigned char *)"\xc0\xaf", 2, "x", &how));
}

static void test_record_roundtrip(void)
{
    ks_record r, back;
    ks_record_init(&r);
    ks_record_init(&back);
    r.path = x_strdup("dir/\"quoted\"\n\xc3\xa9.txt");
    r.modality = x_strdup("text");
    r.seq = 7;
    r.bytes = 123;
    r.status = KS_STATUS_OK;
    snprintf(r.config, sizeof r.config, "0123456789abcdef");
    r.feat[KS_F_TEXT_WORDS] = 42;
    r.feat[KS_F_TEXT_SENT_LEN_CV] = 0.1 + 0.2; /* needs 17 digits to round-trip */
    r.feat[KS_F_TEXT_MTLD] = INFINITY;         /* not finite -> null -> NaN */
    double d[3] = {1.5, NAN, -2};
    ks_record_set_desc(&r, KS_D_TEXT_MINHASH, d, 3);
    ks_record_set_info(&r, KS_I_CORE_MODALITY_BY, "magic");
    char *line = ks_record_dump(&r);
    KT_TRUE(strchr(line, '\n') == NULL);
    char err[200];
    KT_EQ_INT(0, ks_record_parse(line, strlen(line), &back, err, sizeof err));
    KT_STR(r.path, back.path);
    KT_EQ_INT(7, back.seq);
    KT_EQ_INT(123, back.bytes);
    KT_TRUE(back.feat[KS_F_TEXT_SENT_LEN_CV] == 0.1 + 0.2);
    KT_NEAR(42, back.feat[KS_F_TEXT_WORDS], 0);
    KT_NAN(back.feat[KS_F_TEXT_MTLD]);
    KT_NAN(back.feat[KS_F_TEXT_HDD]);
    KT_EQ_INT(3, back.desc[KS_D_TEXT_MINHASH].n);
    KT_NAN(back.desc[KS_D_TEXT_MINHASH].v[1]);
    KT_STR("magic", back.info[KS_I_CORE_MODALITY_BY]);
    x_free(line);

    /* error records carry code and message, escaped */
    ks_record_clear(&r);
    r.path = x_strdup("x");
    r.modality = x_strdup("image");
    ks_record_fail(&r, KS_E_DECODE, "libfoo said \"bad\\thing\" \x01");
    line = ks_record_dump(&r);
    KT_EQ_INT(0, ks_record_parse(line, strlen(line), &back, err, sizeof err));
    KT_EQ_INT(KS_STATUS_ERROR, back.status);
    KT_EQ_INT(KS_E_DECODE, back.err);
    KT_STR("libfoo said \"bad\\thing\" \x01", back.err_msg);
    x_free(line);
    /* invalid UTF-8 in a library message is replaced, never dropped */
    ks_record_fail(&r, KS_E_DECODE, "bad \xff byte");
    line = ks_record_dump(&r);
    KT_EQ_INT(0, ks_record_parse(line, strlen(line), &back, err, sizeof err));
    KT_STR("bad ? byte", back.err_msg);
    x_free(line);

    /* malformed input is a parse error, not a crash */
    KT_EQ_INT(KS_E_PARSE, ks_record_parse("{\"schema\":", 10, &back, err, sizeof err));
    KT_EQ_INT(KS_E_PARSE, ks_record_parse("[1,2]", 5, &back, err, sizeof err));
    KT_EQ_INT(KS_E_PARSE, ks_record_parse("{\"schema\":\"other/1\",\"path\":\"x\",\"status\":\"ok\"}", 46, &back, err, sizeof err));
    ks_record_clear(&r);
    ks_record_clear(&back);
    ks_record_clear(NULL);
}

static void test_registry(void)
{
    /* every name is modality.name, unique, with a known direction and facet */
    int ok = 1;
    for (int i = 0; i < KS_NFEATURES; i++) {
        char mod[32];
        ks_feature_modality(i, mod, sizeof mod);
        ok &= strcmp(mod, "text") == 0 || strcmp(mod, "audio") == 0 || strcmp(mod, "image") == 0 ||
              strcmp(mod, "video") == 0;
        ok &= ks_features[i].direction >= -1 && ks_features[i].direction <= 1;
        ok &= ks_feature_find(ks_features[i].name) == i;
        ok &= strlen(ks_features[i].meaning) > 0;
        ok &= ks_features[i].direction == 0 || ks_features[i].facet != KS_CONTEXT;
        if (!ok) {
            fprintf(stderr, "bad registry row: %s\n", ks_features[i].name);
            break;
        }
    }
    KT_TRUE(ok);
    for (int i = 0; i < KS_NDESCRIPTORS; i++)
        KT_EQ_INT(i, ks_descriptor_find(ks_descriptors[i].name));
    KT_EQ_INT(-1, ks_feature_find("text.nonexistent"));
    KT_STR("encoding", ks_error_code(KS_E_ENCODING));
    KT_EQ_INT(KS_E_TIMEOUT, ks_error_from_code("timeout"));
    char *schema = ks_schema_dump();
    KT_TRUE(strstr(schema, "\"text.sent_len_cv\"") != NULL);
    x_free(schema);
}

static void test_atomic_write(void)
{
    char path[] = "/tmp/kitsch-test-atomic-XXXXXX";
    int fd = mkstemp(path);
    KT_TRUE(fd >= 0);
    close(fd);
    KT_EQ_INT(0, ks_write_file_atomic(path, "hello\n", 6));
    FILE *f = fopen(path, "r");
    char buf[16] = {0};
    KT_TRUE(f && fread(buf, 1, sizeof buf, f) == 6);
    if (f)
        fclose(f);
    KT_STR("hello\n", buf);
    unlink(path);
    KT_EQ_INT(KS_E_IO, ks_write_file_atomic("/nonexistent-dir/x", "a", 1));
}

static void test_deflate(void)
{
    char rep[4000];
    for (size_t i = 0; i < sizeof rep; i++)
        rep[i] = "abcd"[i % 4];
    size_t c = ks_deflate_size(rep, sizeof rep, 9);
    KT_TRUE(c > 0 && c < 100); /* a periodic string compresses ~100x */
}

int main(void)
{
    test_sha256();
    test_hash_and_rng();
    test_quantiles();
    test_sniff();
    test_record_roundtrip();
    test_registry();
    test_atomic_write();
    test_deflate();
    return kt_done();
}
