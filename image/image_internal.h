/* image_internal.h - shared between the files of image/ only. */
#ifndef KITSCH_IMAGE_INTERNAL_H
#define KITSCH_IMAGE_INTERNAL_H

#include "kitsch.h"

/* All pixel measures on RGB8 pixels (w x h, rows stride bytes apart);
 * luma_crop (crop_n x crop_n, or NULL): a native-resolution centre crop of
 * the luma for the spectral measures when rgb is downscaled; short_side:
 * analysis size; thumbs: add the thumbnail descriptor; crop_note receives
 * the spectral crop size ("256x256"). */
int ks_image_measure(const unsigned char *rgb, int w, int h, size_t stride, const unsigned char *luma_crop,
                     int crop_n, int short_side, int thumbs, ks_record *r, char *crop_note, size_t crop_len);
/* OKLab (Ottosson 2020) of one 8-bit sRGB pixel. */
void ks_oklab(const unsigned char *p, float *L, float *a, float *b);

#endif
