/* compress.c - the only file that touches zlib. Compression ratios are a
 * cheap, well-studied proxy for redundancy (Ziv & Lempel 1977). */
#include "kitsch.h"

#include <limits.h>
#include <string.h>
#include <zlib.h>

/* Only the compressed size is wanted, so the output goes through a small
 * buffer and is counted; zlib's output does not depend on how much room
 * each deflate() call gets, so the size is compress2()'s. Each thread keeps
 * one stream per level and resets it: deflateInit allocates and clears
 * about 270 KB, which cost as much as compressing an image's 100 KB
 * lightness plane at level 1. */
size_t ks_deflate_size(const void *data, size_t n, int level)
{
    static _Thread_local z_stream zs[10];
    static _Thread_local unsigned char ready[10];
    if (level < 0 || level > 9)
        level = 6; /* zlib's Z_DEFAULT_COMPRESSION */
    z_stream *s = &zs[level];
    if (!ready[level]) {
        memset(s, 0, sizeof *s);
        if (deflateInit(s, level) != Z_OK)
            return 0;
        ready[level] = 1;
    } else if (deflateReset(s) != Z_OK) {
        return 0;
    }
    unsigned char out[16384];
    const unsigned char *p = data;
    size_t left = n, total = 0;
    int zr;
    do {
        if (s->avail_in == 0 && left > 0) {
            uInt k = left > UINT_MAX ? UINT_MAX : (uInt)left;
            s->next_in = (Bytef *)(uintptr_t)p; /* zlib's API is not const */
            s->avail_in = k;
            p += k;
            left -= k;
        }
        s->next_out = out;
        s->avail_out = sizeof out;
        zr = deflate(s, left > 0 ? Z_NO_FLUSH : Z_FINISH);
        total += sizeof out - s->avail_out;
    } while (zr == Z_OK || (zr == Z_BUF_ERROR && left > 0));
    return zr == Z_STREAM_END ? total : 0;
}

const char *ks_zlib_version(void) { return zlibVersion(); }
