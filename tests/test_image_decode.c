/* test_image_decode.c - decoding through ks_image_analyze on files the test
 * makes itself: PPM (written here), JPEG/PNG/WebP/BMP (ffmpeg, skipped
 * without it), and the malformed inputs of issue 5 (a 43-byte GIF bomb, a
 * PNG with an empty IDAT, a 60000x60000 header, a truncated JPEG, a zlib
 * bomb) which must each give an error record, in bounded memory. */
#define _POSIX_C_SOURCE 200809L
#include "decode.h"
#include "image.h"
#include "ktest.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/ks_img_test_XXXXXX";
static ks_options opt;

static int analyze_file(const char *name, ks_record *r)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ks_record_init(r);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return ks_record_fail(r, KS_E_NOT_FOUND, "%s", path);
    struct stat st;
    fstat(fd, &st);
    ks_input in = {path, fd, (int64_t)st.st_size, &opt, NULL, NULL};
    int rc = ks_image_analyze(&in, r);
    close(fd);
    return rc;
}

static void write_file(const char *name, const void *data, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, n, f);
    fclose(f);
}

static unsigned char *read_file(const char *name, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    unsigned char *b = malloc((size_t)len);
    *n = fread(b, 1, (size_t)len, f);
    fclose(f);
    return b;
}

static int run(const char *cmd)
{
    char full[2048];
    snprintf(full, sizeof full, "cd %s && %s >/dev/null 2>&1", dir, cmd);
    return system(full);
}

/* PNG chunks need CRC-32 (ISO 3309 polynomial) */
static uint32_t crc32(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

static size_t chunk(unsigned char *out, const char *type, const unsigned char *data, uint32_t len)
{
    out[0] = (unsigned char)(len >> 24); out[1] = (unsigned char)(len >> 16);
    out[2] = (unsigned char)(len >> 8); out[3] = (unsigned char)len;
    memcpy(out + 4, type, 4);
    if (len)
        memcpy(out + 8, data, len);
    uint32_t c = crc32(out + 4, len + 4);
    out[8 + len] = (unsigned char)(c >> 24); out[9 + len] = (unsigned char)(c >> 16);
    out[10 + len] = (unsigned char)(c >> 8); out[11 + len] = (unsigned char)c;
    return 12 + len;
}

static size_t png_header(unsigned char *b, uint32_t w, uint32_t h)
{
    memcpy(b, "\x89PNG\r\n\x1a\n", 8);
    unsigned char ihdr[13] = {(unsigned char)(w >> 24), (unsigned char)(w >> 16), (unsigned char)(w >> 8), (unsigned char)w,
                              (unsigned char)(h >> 24), (unsigned char)(h >> 16), (unsigned char)(h >> 8), (unsigned char)h,
                              8, 2, 0, 0, 0};
    return 8 + chunk(b + 8, "IHDR", ihdr, 13);
}

static void expect_error(const char *name, int code1, int code2)
{
    ks_record r;
    int rc = analyze_file(name, &r);
    KT_EQ_INT(KS_STATUS_ERROR, r.status);
    if (rc != code1 && rc != code2)
        fprintf(stderr, "%s: got %s: %s\n", name, ks_error_code(rc), r.err_msg);
    KT_TRUE(rc == code1 || rc == code2);
    KT_TRUE(r.err_msg[0] != '\0');
    ks_record_clear(&r);
}

/* A binary PPM of w x h pixels: the header written, the pixels at b + *hn,
 * *n bytes in all. */
static unsigned char *ppm_new(int w, int h, int *hn, size_t *n)
{
    char hdr[32];
    *hn = snprintf(hdr, sizeof hdr, "P6\n%d %d\n255\n", w, h);
    *n = (size_t)*hn + (size_t)w * h * 3;
    unsigned char *b = malloc(*n);
    memcpy(b, hdr, (size_t)*hn);
    return b;
}

/* The decoder's luma tap (blocks taken from its own scaled decode) against a
 * second, partial libjpeg decode of the same crop at scale 1/1: the same
 * pixels up to IDCT rounding, or the tap's position bookkeeping is wrong. */
static void tap_matches_partial(const char *name, const char *scale, const char *src)
{
    size_t n = 0;
    unsigned char *b = read_file(name, &n);
    ks_img tap, part;
    char err[256];
    KT_TRUE(b != NULL);
    if (!b)
        return;
    KT_EQ_INT(0, ks_img_decode(b, n, &opt, &tap, err, sizeof err));
    char sc[16];
    snprintf(sc, sizeof sc, "%d/%d", tap.scale_num, tap.scale_den);
    KT_STR(scale, sc);
    KT_TRUE(tap.crop != NULL && tap.crop_src && !strcmp(tap.crop_src, src));
    memset(&part, 0, sizeof part);
    ks_img_jpeg_partial_crop(b, n, tap.native_w, tap.native_h, &part);
    KT_TRUE(part.crop != NULL);
    if (tap.crop && part.crop) {
        KT_EQ_INT(tap.crop_n, part.crop_n);
        int maxd = 0;
        double sum = 0;
        for (int i = 0; i < tap.crop_n * tap.crop_n; i++) {
            int dv = abs((int)tap.crop[i] - (int)part.crop[i]);
            maxd = dv > maxd ? dv : maxd;
            sum += dv;
        }
        KT_TRUE(maxd <= 2);
        KT_TRUE(sum / ((double)tap.crop_n * tap.crop_n) < 0.5);
    }
    ks_img_free(&tap);
    ks_img_free(&part);
    free(b);
}

int main(void)
{
    ks_options_default(&opt);
    if (!mkdtemp(dir))
        return 1;
    ks_record r;

    /* PPM written here: stb_image path, native size, exact pixels */
    {
        int w = 64, h = 48, hn;
        size_t n;
        unsigned char *b = ppm_new(w, h, &hn, &n);
        for (int i = 0; i < w * h; i++) {
            b[hn + i * 3] = 200;
            b[hn + i * 3 + 1] = 50;
            b[hn + i * 3 + 2] = (unsigned char)(i % w < w / 2 ? 20 : 220);
        }
        write_file("a.ppm", b, n);
        free(b);
        KT_EQ_INT(0, analyze_file("a.ppm", &r));
        KT_STR("pnm", r.info[KS_I_IMAGE_FORMAT]);
        KT_STR("1/1", r.info[KS_I_IMAGE_DECODE_SCALE]);
        KT_TRUE(r.info[KS_I_IMAGE_PROGRESSIVE] == NULL);
        KT_NEAR(64, r.feat[KS_F_IMAGE_WIDTH], 0);
        KT_NEAR(48, r.feat[KS_F_IMAGE_HEIGHT], 0);
        KT_NEAR(1.0, r.feat[KS_F_IMAGE_PALETTE_ENTROPY], 0.01);
        KT_NEAR(8.0 * (double)n / (64 * 48), r.feat[KS_F_IMAGE_BPP], 1e-9);
        KT_NEAR(200, r.desc[KS_D_IMAGE_THUMB].v[2], 0); /* first thumbnail pixel: R */
        ks_record_clear(&r);
    }

    /* ffmpeg-made files: JPEG with DCT scaling, PNG, WebP, BMP */
    int have_ffmpeg = run("ffmpeg -version") == 0;
    if (have_ffmpeg) {
        run("ffmpeg -y -f lavfi -i testsrc2=size=1024x768 -frames:v 1 -q:v 3 -pix_fmt yuvj420p big.jpg");
        run("ffmpeg -y -f lavfi -i testsrc2=size=320x240 -frames:v 1 small.png");
        run("ffmpeg -y -f lavfi -i testsrc2=size=320x240 -frames:v 1 -c:v libwebp small.webp");
        run("ffmpeg -y -f lavfi -i testsrc2=size=320x240 -frames:v 1 small.bmp");
        run("ffmpeg -y -f lavfi -i testsrc2=size=320x240 -frames:v 1 -q:v 2 small.jpg");
        KT_EQ_INT(0, analyze_file("big.jpg", &r));
        KT_STR("jpeg", r.info[KS_I_IMAGE_FORMAT]);
        /* short side 768: 3/8 gives 288 >= 256, 1/4 gives 192 < 256 */
        KT_STR("3/8", r.info[KS_I_IMAGE_DECODE_SCALE]);
        KT_STR("4:2:0", r.info[KS_I_IMAGE_SUBSAMPLING]);
        KT_STR("no", r.info[KS_I_IMAGE_PROGRESSIVE]);
        KT_NEAR(1024, r.feat[KS_F_IMAGE_WIDTH], 0);
        /* the spectral crop is decoded apart, at native resolution */
        KT_STR("256x256 at 1/1 (native; luma blocks taken from the 3/8 decode)", r.info[KS_I_IMAGE_SPECTRAL_CROP]);
        KT_TRUE(r.feat[KS_F_IMAGE_COLORFULNESS] > 20); /* testsrc2 is colourful */
        KT_EQ_INT(24, r.desc[KS_D_IMAGE_PALETTE].n);
        ks_record_clear(&r);
        /* the same picture through four decoders: close palettes */
        double cf[4];
        const char *names[4] = {"small.png", "small.webp", "small.bmp", "small.jpg"};
        const char *fmts[4] = {"png", "webp", "bmp", "jpeg"};
        for (int i = 0; i < 4; i++) {
            KT_EQ_INT(0, analyze_file(names[i], &r));
            KT_STR(fmts[i], r.info[KS_I_IMAGE_FORMAT]);
            KT_STR("1/1", r.info[KS_I_IMAGE_DECODE_SCALE]);
            KT_TRUE(strstr(r.info[KS_I_IMAGE_SPECTRAL_CROP], "(native)") != NULL);
            cf[i] = r.feat[KS_F_IMAGE_COLORFULNESS];
            ks_record_clear(&r);
        }
        KT_NEAR(cf[0], cf[2], 1e-9);      /* PNG and BMP are both lossless */
        KT_NEAR(cf[0], cf[1], 0.1 * cf[0]); /* lossy WebP: within 10% */
        KT_NEAR(cf[0], cf[3], 0.1 * cf[0]); /* JPEG q2: within 10% */

        /* fine detail only a native-resolution crop can see: grey stripes of
         * period 2 px (0.5 cycles/px, ring 128 of a 256 crop: in the top
         * octave 64..128) over a slow ramp, 2048 x 2048, so the JPEG decodes
         * at 1/8 where each pixel is an 8x8 block mean and the stripes
         * (a whole number of periods per block) are gone */
        {
            int w = 2048, h = 2048, hn;
            size_t n;
            unsigned char *b = ppm_new(w, h, &hn, &n);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int v = 60 + (x + y) * 100 / (w + h) + (x % 2 ? 60 : 0);
                    memset(b + hn + ((size_t)y * w + x) * 3, v, 3);
                }
            write_file("fine.ppm", b, n);
            /* the 1/8 view: 8x8 block means, as the DCT-scaled decode gives */
            int w8 = w / 8, h8 = h / 8;
            unsigned char *s8 = malloc((size_t)w8 * h8 * 3);
            for (int y = 0; y < h8; y++)
                for (int x = 0; x < w8; x++) {
                    int acc = 0;
                    for (int j = 0; j < 8; j++)
                        for (int i = 0; i < 8; i++)
                            acc += b[hn + ((size_t)(y * 8 + j) * w + x * 8 + i) * 3];
                    memset(s8 + ((size_t)y * w8 + x) * 3, (acc + 32) / 64, 3);
                }
            free(b);
            KT_EQ_INT(0, run("ffmpeg -y -i fine.ppm -q:v 2 -pix_fmt yuvj444p fine.jpg"));
            ks_record ref, eighth;
            KT_EQ_INT(0, analyze_file("fine.ppm", &ref)); /* stb_image: native */
            KT_EQ_INT(0, analyze_file("fine.jpg", &r));
            ks_record_init(&eighth);
            KT_EQ_INT(0, ks_image_analyze_rgb(s8, w8, h8, w8 * 3, &eighth));
            free(s8);
            KT_STR("1/8", r.info[KS_I_IMAGE_DECODE_SCALE]);
            KT_STR("256x256 at 1/1 (native; luma crop decoded apart from the 1/8 image)", r.info[KS_I_IMAGE_SPECTRAL_CROP]);
            /* the stripes hold most of the crop's power at native resolution */
            KT_TRUE(ref.feat[KS_F_IMAGE_TOP_OCTAVE_SHARE] > 0.5);
            KT_NEAR(ref.feat[KS_F_IMAGE_TOP_OCTAVE_SHARE], r.feat[KS_F_IMAGE_TOP_OCTAVE_SHARE], 0.05);
            /* measured -2.60 vs -2.27: JPEG noise (q2) flattens the fit a little */
            KT_NEAR(ref.feat[KS_F_IMAGE_SPECTRAL_SLOPE], r.feat[KS_F_IMAGE_SPECTRAL_SLOPE], 0.5);
            /* ... and are gone from the 1/8 view: a crop of the scaled
             * decode would report a smooth picture */
            KT_TRUE(eighth.feat[KS_F_IMAGE_TOP_OCTAVE_SHARE] < 0.05);
            KT_TRUE(eighth.feat[KS_F_IMAGE_SPECTRAL_SLOPE] < r.feat[KS_F_IMAGE_SPECTRAL_SLOPE] - 1);
            ks_record_clear(&ref);
            ks_record_clear(&eighth);
            ks_record_clear(&r);
            /* a sequential JPEG at 1/8: its AC coefficients are never
             * decoded, so the crop comes from the second, partial decode */
            tap_matches_partial("fine.jpg", "1/8", "partial");
            /* 4:4:4 and 4:2:0 (two luma block rows per iMCU row) */
            tap_matches_partial("big.jpg", "3/8", "tap");
            KT_EQ_INT(0, run("ffmpeg -y -i fine.ppm -vf scale=1920:1440 -q:v 4 -pix_fmt yuvj420p fine420.jpg"));
            KT_EQ_INT(0, run("ffmpeg -y -i fine.ppm -vf scale=1920:1440 -q:v 4 -pix_fmt yuvj444p fine444.jpg"));
            tap_matches_partial("fine420.jpg", "1/4", "tap");
            tap_matches_partial("fine444.jpg", "1/4", "tap");
            /* progressive (jpegtran from libjpeg-turbo-progs, if installed) */
            if (run("jpegtran -progressive -outfile fineprog.jpg fine.jpg") == 0)
                tap_matches_partial("fineprog.jpg", "1/8", "tap");
        }

        /* truncated JPEG: 60% of the bytes */
        size_t n;
        unsigned char *b = read_file("big.jpg", &n);
        write_file("trunc.jpg", b, n * 6 / 10);
        expect_error("trunc.jpg", KS_E_TRUNCATED, KS_E_TRUNCATED);
        /* the same JPEG claiming 60000 x 60000 in its SOF0 */
        for (size_t i = 2; i + 9 < n; i++)
            if (b[i] == 0xFF && b[i + 1] == 0xC0) {
                b[i + 5] = 0xEA; b[i + 6] = 0x60; /* height 60000 */
                b[i + 7] = 0xEA; b[i + 8] = 0x60; /* width 60000 */
                break;
            }
        write_file("huge.jpg", b, n);
        expect_error("huge.jpg", KS_E_LIMIT, KS_E_LIMIT);
        free(b);
    } else {
        fprintf(stderr, "note: ffmpeg not found; JPEG/PNG/WebP/BMP decode checks skipped\n");
    }

    /* a 43-byte GIF bomb: 65535 x 65535 logical screen; GIF is refused */
    {
        unsigned char g[43] = "GIF89a\xff\xff\xff\xff\x80\x00\x00";
        g[13] = g[14] = g[15] = 0;       /* 2-entry colour table */
        g[16] = g[17] = g[18] = 255;
        g[19] = ',';                     /* image descriptor */
        g[24] = g[25] = g[26] = g[27] = 0xff;
        g[29] = 2;                       /* LZW minimum code size */
        g[30] = 10;                      /* sub-block */
        memset(g + 31, 0x00, 10);
        g[41] = 0;
        g[42] = ';';
        write_file("bomb.gif", g, sizeof g);
        expect_error("bomb.gif", KS_E_FORMAT, KS_E_FORMAT);
    }
    /* a PNG with an empty IDAT */
    {
        unsigned char b[256];
        size_t n = png_header(b, 16, 16);
        n += chunk(b + n, "IDAT", NULL, 0);
        n += chunk(b + n, "IEND", NULL, 0);
        write_file("empty_idat.png", b, n);
        expect_error("empty_idat.png", KS_E_DECODE, KS_E_TRUNCATED);
    }
    /* a PNG header declaring 60000 x 60000 (3.6 gigapixels) */
    {
        unsigned char b[256];
        size_t n = png_header(b, 60000, 60000);
        n += chunk(b + n, "IEND", NULL, 0);
        write_file("huge.png", b, n);
        expect_error("huge.png", KS_E_LIMIT, KS_E_LIMIT);
    }
    /* a zlib bomb: a 16x16 PNG whose IDAT inflates to 64 MiB */
    if (run("${PYTHON3:-/usr/bin/python3} -c \"import zlib,sys; sys.stdout.buffer.write(zlib.compress(bytes(64<<20),9))\" > bomb.z") == 0) {
        size_t zn;
        unsigned char *z = read_file("bomb.z", &zn);
        if (z && zn > 0) {
            unsigned char *b = malloc(zn + 256);
            size_t n = png_header(b, 16, 16);
            n += chunk(b + n, "IDAT", z, (uint32_t)zn);
            n += chunk(b + n, "IEND", NULL, 0);
            write_file("zbomb.png", b, n);
            free(b);
            /* stb grows its inflate buffer until our allocation cap refuses */
            expect_error("zbomb.png", KS_E_LIMIT, KS_E_LIMIT);
        }
        free(z);
    }
    /* empty, text, unknown */
    write_file("empty.png", "", 0);
    expect_error("empty.png", KS_E_EMPTY, KS_E_EMPTY);
    write_file("text.jpg", "hello, this is not an image\n", 28);
    expect_error("text.jpg", KS_E_FORMAT, KS_E_FORMAT);
    {
        unsigned char riff[20] = "RIFF\x0c\x00\x00\x00WEBPVP8 ";
        write_file("trunc.webp", riff, sizeof riff);
        expect_error("trunc.webp", KS_E_TRUNCATED, KS_E_DECODE);
    }

    /* bounded memory: nothing above came near the 100 MP pixel budget */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
#ifndef KS_SANITIZE
    KT_TRUE(ru.ru_maxrss < 300 * 1024); /* KiB */
#endif
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "note: could not remove %s\n", dir);
    return kt_done();
}
