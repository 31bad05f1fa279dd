/* jpeg_decode_loop.c - the speed reference of bench/image.sh: decode every
 * JPEG given at TurboJPEG's 1/8 DCT scale (decode only, no analysis) and
 * print files/s. Files are read from disk inside the timed loop, as the
 * analyzer does. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <turbojpeg.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    tjhandle tj = tjInitDecompress();
    tjscalingfactor eighth = {1, 8};
    int ok = 0;
    double t0 = now();
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        rewind(f);
        unsigned char *b = malloc((size_t)(n > 0 ? n : 1));
        size_t got = fread(b, 1, (size_t)n, f);
        fclose(f);
        int w, h, ss, cs;
        if (tjDecompressHeader3(tj, b, (unsigned long)got, &w, &h, &ss, &cs) == 0) {
            int sw = TJSCALED(w, eighth), sh = TJSCALED(h, eighth);
            unsigned char *px = malloc((size_t)sw * (size_t)sh * 3);
            if (tjDecompress2(tj, b, (unsigned long)got, px, sw, 0, sh, TJPF_RGB, TJFLAG_LIMITSCANS) == 0)
                ok++;
            free(px);
        }
        free(b);
    }
    double t = now() - t0;
    printf("%d files (%d ok) in %.3f s: %.2f files/s\n", argc - 1, ok, t, (argc - 1) / t);
    tjDestroy(tj);
    return 0;
}
