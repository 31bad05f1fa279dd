/* compress.c - the only file that touches zlib. Compression ratios are a
 * cheap, well-studied proxy for redundancy (Ziv & Lempel 1977). */
#include "kitsch.h"

#include <zlib.h>

size_t ks_deflate_size(const void *data, size_t n, int level)
{
    uLong bound = compressBound((uLong)n);
    Bytef *out = x_malloc(bound);
    uLongf outlen = bound;
    int zr = compress2(out, &outlen, (const Bytef *)data, (uLong)n, level);
    x_free(out);
    return zr == Z_OK ? (size_t)outlen : 0;
}

const char *ks_zlib_version(void) { return zlibVersion(); }
