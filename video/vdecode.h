/* vdecode.h - the video decoder behind video/decode.c, the only file of the
 * video analyzer that touches FFmpeg (libavformat, libavcodec, libswscale).
 *
 *     ks_vdec *d = NULL;
 *     int rc = ks_vdec_new(in, &d, &info, err, sizeof err);
 *     ks_vframe f;
 *     while ((rc = ks_vdec_next(d, &f)) > 0) use(&f);   // 0 = end of stream
 *     ks_vdec_del(d);
 *
 * Frames come out already scaled from the decoder's YUV to a small RGB
 * working size (KS_VWORK_W wide): 8-bit planar YUV is block-averaged per
 * plane by the whole part of the downscale, then libswscale converts and
 * scales the rest; a full-size RGB frame is never made. One decoding thread;
 * H.264 deblocking is skipped (the downscale averages block edges away). Times are pts x time_base of the stream (variable frame rate
 * works; frames without a pts get the previous time + 1/fps). */
#ifndef KITSCH_VDECODE_H
#define KITSCH_VDECODE_H

#include <stdint.h>
#include <stddef.h>
#include "kitsch.h"

/* Width of the working frame: PySceneDetect downscales to about 256 px wide
 * before scoring, so content scores are comparable with its thresholds. */
#define KS_VWORK_W 256
#define KS_VWORK_HMAX 512
/* Declared-size cap: 8K UHD plus headroom. A 20000x20000 header is refused
 * before a frame is allocated. */
#define KS_VMAX_PIXELS (40LL * 1000 * 1000)

typedef struct ks_vinfo {
    int width, height;       /* coded size of the video stream */
    double fps;              /* average frame rate, or NaN if unknown */
    double duration;         /* seconds from the container, or NaN */
    int has_audio;           /* the container has an audio stream */
    char format[32];         /* demuxer name */
    char codec[32];          /* decoder name */
    int work_w, work_h;      /* working frame size */
} ks_vinfo;

typedef struct ks_vframe {
    double t;                /* seconds since the stream start */
    const unsigned char *rgb;/* work_w x work_h RGB24, rows `stride` bytes apart */
    int w, h, stride;
} ks_vframe;

typedef struct ks_vdec ks_vdec;

/* Open in->fd through a custom AVIOContext (no protocols, no external
 * references), pick the best video stream. Returns 0 or a negative KS_E_*
 * code with err filled with FFmpeg's own message. */
int ks_vdec_new(const ks_input *in, ks_vdec **out, ks_vinfo *info, char *err, size_t errlen);
/* Next frame: 1 = frame in *f (valid until the next call), 0 = end of
 * stream, < 0 = KS_E_* error (err filled by ks_vdec_error). A decode error
 * after at least one good frame ends the stream (truncated files). */
int ks_vdec_next(ks_vdec *d, ks_vframe *f);
/* Message of the last error, "" if none; also notes recoverable trouble
 * (e.g. "stream ended early: ..."). */
const char *ks_vdec_error(const ks_vdec *d);
/* Number of packets the decoder rejected (corrupt data skipped). */
int64_t ks_vdec_bad_packets(const ks_vdec *d);
void ks_vdec_del(ks_vdec *d);
/* "libavformat 59.27.100, libavcodec 59.37.100, libswscale 6.7.100" */
const char *ks_vdec_versions(void);

#endif
