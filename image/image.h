/* image.h - the image analyzer's public entry points. */
#ifndef KITSCH_IMAGE_H
#define KITSCH_IMAGE_H

#include "kitsch.h"

/* Analyze one image input; fills r (features, descriptors, info) or marks it
 * failed. Returns 0 or a negative KS_E_* code. Never prints, never exits. */
int ks_image_analyze(const ks_input *in, ks_record *r);
/* Analyze already-decoded pixels (8-bit RGB, rows `stride` bytes apart), as
 * the video analyzer does with shot keyframes. Same features and descriptors
 * as a file, minus the ones that need the encoded file (compression ratio). */
int ks_image_analyze_rgb(const unsigned char *rgb, int w, int h, int stride, ks_record *r);
/* Versions of the third-party libraries this analyzer uses, for --version. */
const char *ks_image_lib_versions(void);
/* Set-level measures of this modality (see ks_set_fn in kitsch.h). */
int ks_image_set_metrics(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out);

/* Typicality of each record: its mean similarity (the Vendi kernel: palette
 * EMD similarity and layout cosine) to the other records, typ[i] in [0,1], NaN
 * for records without image descriptors. Above 2000 records each is compared
 * with 1000 sampled others. Returns the number of records measured. */
int ks_image_typicality(const ks_record *const *recs, size_t n, struct ks_rng *g, double *typ);

#endif
