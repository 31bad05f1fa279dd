/* vinternal.h - internals of the video analyzer shared between its files
 * (not a public header: tests may include it to check the pieces). */
#ifndef KITSCH_VINTERNAL_H
#define KITSCH_VINTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "kitsch.h"

/* Tiny frame for gradual-transition checks: 16x9 RGB. */
#define KS_TINY_W 16
#define KS_TINY_H 9
#define KS_TINY_N (KS_TINY_W * KS_TINY_H * 3)
/* Small luma for motion (phase correlation needs powers of two). */
#define KS_LUMA_W 64
#define KS_LUMA_H 32

/* Transition kinds, as stored in the shots and transitions descriptors:
 * a fade through black (out and in), a fade in from black (the new shot
 * starts at its first frame), a fade out to black (the old shot ends). */
enum { KS_TR_CUT = 1, KS_TR_DISSOLVE = 2, KS_TR_FADE = 3, KS_TR_FADE_IN = 4, KS_TR_FADE_OUT = 5 };

/* Per-frame measurements, one entry per decoded frame. */
typedef struct ks_vtrack {
    size_t n, cap;
    double *t;          /* seconds */
    float *content;     /* HSV content score vs the previous frame (PySceneDetect ContentDetector) */
    float *luma_mean;   /* mean luma 0..255 of the working frame */
    float *energy;      /* mean |dY| of the 64x32 luma vs the previous frame, 0..255 */
    float *dx, *dy;     /* global translation vs the previous frame, in frame widths/heights */
    float *zoom;        /* divergence of quadrant shifts (scale change per frame) */
    float *peak;        /* phase-correlation peak height (confidence) 0..1 */
    unsigned char *tiny;/* n x KS_TINY_N */
} ks_vtrack;

void ks_vtrack_init(ks_vtrack *k);
void ks_vtrack_free(ks_vtrack *k);

/* Streaming per-frame measurer: owns the previous frame's planes. */
typedef struct ks_vmeasure ks_vmeasure;
ks_vmeasure *ks_vmeasure_new(int w, int h);
/* Measure one RGB working frame (w x h, stride) at time t into k. */
void ks_vmeasure_do(ks_vmeasure *m, const unsigned char *rgb, int stride, double t, ks_vtrack *k);
void ks_vmeasure_del(ks_vmeasure *m);

/* One detected transition: frames [start, end] (a cut has start == end =
 * the first frame of the new shot; a dissolve/fade: first changed frame to
 * first frame wholly in the new shot). */
typedef struct ks_vtrans {
    size_t start, end;
    int kind;
    double score;
} ks_vtrans;

/* Detect cuts, dissolves and fades on a track. fps = nominal frame rate
 * (NaN: estimated from the timestamps). Returns the number found; *out is
 * x_malloc'd (free with x_free). */
size_t ks_vshots_detect(const ks_vtrack *k, double fps, ks_vtrans **out);

/* Shot-rhythm statistics from shot lengths (seconds). */
typedef struct ks_vrhythm {
    double asl, median, cv, entropy, npvi, quant, ac1, slope, periodicity;
} ks_vrhythm;
/* Minimum shot counts for each statistic (below: NaN). */
#define KS_RHY_MIN_BASIC 3
#define KS_RHY_MIN_SHAPE 5
#define KS_RHY_MIN_CUTTING 30
void ks_vrhythm_compute(const double *len, size_t n, double tol, ks_vrhythm *o);

/* Small complex FFT helpers (radix 2, in place), for phase correlation. */
void ks_vfft(double *re, double *im, size_t n, int inverse);

#endif
