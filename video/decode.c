/* decode.c - the only file of the video analyzer that touches FFmpeg
 * (libavformat, libavcodec, libswscale). See vdecode.h.
 *
 * Hardening (reliability issue): the file is read through a custom
 * AVIOContext over the already-open fd, so no protocol is ever opened; nested
 * opens (mov external references, HLS/DASH segments, concat lists) are refused
 * by our io_open callback; demuxers and decoders are allow-listed; the number
 * of streams and the declared pixel count are capped before any frame buffer
 * is allocated. */
#define _POSIX_C_SOURCE 200809L
#include "vdecode.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

/* Containers a video clip comes in. No playlists (hls, dash), no concat, no
 * image2 globbing, no network-ish demuxers. */
static const char k_formats[] =
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,mpegts,mpeg,ogg,gif,apng,"
    "h264,hevc,m4v,ivf,mjpeg,asf,nut,yuv4mpegpipe";
/* Video decoders plus the audio decoders stream probing may open. */
static const char k_codecs[] =
    "h264,hevc,vp8,vp9,av1,libdav1d,mpeg4,mpeg2video,mpeg1video,mjpeg,prores,"
    "theora,gif,apng,png,h263,msmpeg4v2,msmpeg4v3,wmv1,wmv2,wmv3,vc1,flv,"
    "rawvideo,ffv1,dnxhd,"
    "aac,mp3,mp3float,mp2,mp2float,opus,vorbis,flac,ac3,eac3,alac,"
    "pcm_s16le,pcm_s16be,pcm_s24le,pcm_s32le,pcm_f32le,pcm_u8";

struct ks_vdec {
    int fd;
    int64_t size, pos;
    AVIOContext *pb;
    unsigned char *iobuf;
    AVFormatContext *fmt;
    AVCodecContext *cc;
    struct SwsContext *sws;
    AVPacket *pkt;
    AVFrame *frame;
    int stream;
    AVRational tb;
    double fps;
    double last_t;
    int got_frames;
    int eof_sent;   /* flush packet sent to the decoder */
    int held;       /* d->pkt still has to be sent (decoder said EAGAIN) */
    int done;
    int64_t bad_packets;
    int src_w, src_h, src_fmt;
    int work_w, work_h;
    /* Box pre-reduction (see convert): factor (0 = off), reduced size,
     * planes and the row accumulator. */
    int box, box_w, box_h, box_cw, box_ch;
    uint8_t *box_buf;
    uint8_t *box_plane[3];
    int box_ls[3];
    uint16_t *box_acc;
    unsigned char *rgb;
    char err[256];
};

static void av_err(int e, char *buf, size_t n)
{
    char tmp[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(e, tmp, sizeof tmp);
    snprintf(buf, n, "%s", tmp);
}

static int io_read(void *opaque, uint8_t *buf, int n)
{
    ks_vdec *d = opaque;
    for (;;) {
        ssize_t k = pread(d->fd, buf, (size_t)n, (off_t)d->pos);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return AVERROR(errno);
        if (k == 0) return AVERROR_EOF;
        d->pos += k;
        return (int)k;
    }
}

static int64_t io_seek(void *opaque, int64_t off, int whence)
{
    ks_vdec *d = opaque;
    int64_t np;
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE: return d->size;
    case SEEK_SET: np = off; break;
    case SEEK_CUR: np = d->pos + off; break;
    case SEEK_END: np = d->size + off; break;
    default: return AVERROR(EINVAL);
    }
    if (np < 0) return AVERROR(EINVAL);
    d->pos = np;
    return np;
}

/* Nested opens (external references, playlists, segments) are refused. */
static int io_open_refuse(struct AVFormatContext *s, AVIOContext **pb, const char *url,
                          int flags, AVDictionary **options)
{
    (void)s; (void)pb; (void)url; (void)flags; (void)options;
    return AVERROR(EPERM);
}

static int map_av_error(int e)
{
    if (e == AVERROR(ENOMEM)) return KS_E_MEMORY;
    if (e == AVERROR_INVALIDDATA) return KS_E_DECODE;
    if (e == AVERROR_EOF) return KS_E_TRUNCATED;
    if (e == AVERROR_DECODER_NOT_FOUND || e == AVERROR_DEMUXER_NOT_FOUND || e == AVERROR_PATCHWELCOME)
        return KS_E_FORMAT;
    if (e == AVERROR(EIO)) return KS_E_IO;
    return KS_E_DECODE;
}

int ks_vdec_new(const ks_input *in, ks_vdec **out, ks_vinfo *info, char *err, size_t errlen)
{
    ks_vdec *d = x_calloc(1, sizeof *d);
    AVDictionary *opts = NULL;
    const AVCodec *codec = NULL;
    int rc = 0, e;
    char msg[AV_ERROR_MAX_STRING_SIZE];

    memset(info, 0, sizeof *info);
    info->fps = NAN;
    info->duration = NAN;
    *out = NULL;
    d->fd = in->fd;
    d->size = in->size;
    d->stream = -1;
    d->last_t = NAN;
    av_log_set_level(AV_LOG_QUIET); /* library code never prints */

    d->iobuf = av_malloc(65536);
    if (!d->iobuf) { rc = KS_E_MEMORY; snprintf(err, errlen, "av_malloc failed"); goto done; }
    d->pb = avio_alloc_context(d->iobuf, 65536, 0, d, io_read, NULL, io_seek);
    if (!d->pb) { av_free(d->iobuf); d->iobuf = NULL; rc = KS_E_MEMORY; snprintf(err, errlen, "avio_alloc_context failed"); goto done; }
    d->iobuf = NULL; /* owned by pb now */
    d->fmt = avformat_alloc_context();
    if (!d->fmt) { rc = KS_E_MEMORY; snprintf(err, errlen, "avformat_alloc_context failed"); goto done; }
    d->fmt->pb = d->pb;
    d->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    d->fmt->io_open = io_open_refuse;
    d->fmt->max_streams = 16;
    av_dict_set(&opts, "format_whitelist", k_formats, 0);
    av_dict_set(&opts, "codec_whitelist", k_codecs, 0);
    av_dict_set(&opts, "protocol_whitelist", "none", 0);
    av_dict_set(&opts, "enable_drefs", "0", 0);
    av_dict_set(&opts, "use_absolute_path", "0", 0);
    e = avformat_open_input(&d->fmt, NULL, NULL, &opts);
    av_dict_free(&opts);
    if (e < 0) {
        /* avformat_open_input frees the context on failure. */
        d->fmt = NULL;
        av_err(e, msg, sizeof msg);
        rc = (e == AVERROR_INVALIDDATA) ? KS_E_FORMAT : map_av_error(e);
        snprintf(err, errlen, "libavformat: %s", msg);
        goto done;
    }
    snprintf(info->format, sizeof info->format, "%s", d->fmt->iformat ? d->fmt->iformat->name : "?");
    /* Headers that declare a huge frame are refused before stream probing
     * reads (and allocates) a single frame. */
    for (unsigned i = 0; i < d->fmt->nb_streams; i++) {
        AVCodecParameters *p = d->fmt->streams[i]->codecpar;
        if (p->codec_type == AVMEDIA_TYPE_VIDEO && (int64_t)p->width * p->height > KS_VMAX_PIXELS) {
            rc = KS_E_LIMIT;
            snprintf(err, errlen, "declared frame size %dx%d exceeds the cap of %lld pixels",
                     p->width, p->height, (long long)KS_VMAX_PIXELS);
            goto done;
        }
    }
    e = avformat_find_stream_info(d->fmt, NULL);
    if (e < 0) {
        av_err(e, msg, sizeof msg);
        rc = map_av_error(e);
        snprintf(err, errlen, "libavformat: find_stream_info: %s", msg);
        goto done;
    }
    for (unsigned i = 0; i < d->fmt->nb_streams; i++)
        if (d->fmt->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) info->has_audio = 1;
    e = av_find_best_stream(d->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (e < 0 || !codec) {
        rc = (e == AVERROR_DECODER_NOT_FOUND) ? KS_E_FORMAT : KS_E_NO_STREAM;
        if (e < 0) av_err(e, msg, sizeof msg); else snprintf(msg, sizeof msg, "no decoder");
        snprintf(err, errlen, "libavformat: no decodable video stream: %s", msg);
        goto done;
    }
    d->stream = e;
    {
        AVStream *st = d->fmt->streams[d->stream];
        AVCodecParameters *par = st->codecpar;
        /* Attached pictures (cover art) are not video. */
        if (st->disposition & AV_DISPOSITION_ATTACHED_PIC) {
            rc = KS_E_NO_STREAM;
            snprintf(err, errlen, "the only video stream is attached cover art");
            goto done;
        }
        if (par->width <= 0 || par->height <= 0) {
            rc = KS_E_DECODE;
            snprintf(err, errlen, "video stream declares no frame size (%dx%d)", par->width, par->height);
            goto done;
        }
        if ((int64_t)par->width * par->height > KS_VMAX_PIXELS) {
            rc = KS_E_LIMIT;
            snprintf(err, errlen, "declared frame size %dx%d exceeds the cap of %lld pixels",
                     par->width, par->height, (long long)KS_VMAX_PIXELS);
            goto done;
        }
        info->width = par->width;
        info->height = par->height;
        d->tb = st->time_base;
        if (st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0)
            d->fps = av_q2d(st->avg_frame_rate);
        else if (st->r_frame_rate.num > 0 && st->r_frame_rate.den > 0)
            d->fps = av_q2d(st->r_frame_rate);
        else
            d->fps = NAN;
        if (!(d->fps > 0.5 && d->fps < 1000)) d->fps = NAN;
        info->fps = d->fps;
        if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
            info->duration = (double)st->duration * av_q2d(st->time_base);
        else if (d->fmt->duration != AV_NOPTS_VALUE && d->fmt->duration > 0)
            info->duration = (double)d->fmt->duration / AV_TIME_BASE;
        /* Other streams are not read at all. */
        for (unsigned i = 0; i < d->fmt->nb_streams; i++)
            if ((int)i != d->stream) d->fmt->streams[i]->discard = AVDISCARD_ALL;

        d->cc = avcodec_alloc_context3(codec);
        if (!d->cc) { rc = KS_E_MEMORY; snprintf(err, errlen, "avcodec_alloc_context3 failed"); goto done; }
        e = avcodec_parameters_to_context(d->cc, par);
        if (e < 0) { av_err(e, msg, sizeof msg); rc = KS_E_DECODE; snprintf(err, errlen, "libavcodec: %s", msg); goto done; }
        d->cc->pkt_timebase = st->time_base;
        snprintf(info->codec, sizeof info->codec, "%s", codec->name);
        av_dict_set(&opts, "codec_whitelist", k_codecs, 0);
        av_dict_set_int(&opts, "max_pixels", KS_VMAX_PIXELS, 0);
        /* One decoding thread. The batch runner already keeps every core
         * busy with one input per worker, where frame threads only add
         * overhead (on a loaded 2-core machine they cost ~20% more CPU per
         * clip, bench/video.sh), and the speed target compares with a
         * single-threaded `ffmpeg -threads 1` decode. */
        d->cc->thread_count = 1;
        /* The in-loop deblocking filter smooths 4-8 px block edges that the
         * 5x area downscale to the working size averages away anyway; skipping
         * it saves about a quarter of H.264 decode time (bench/video.sh). */
        d->cc->skip_loop_filter = AVDISCARD_ALL;
        e = avcodec_open2(d->cc, codec, &opts);
        av_dict_free(&opts);
        if (e < 0) {
            av_err(e, msg, sizeof msg);
            rc = KS_E_FORMAT;
            snprintf(err, errlen, "libavcodec: cannot open %s: %s", codec->name, msg);
            goto done;
        }
    }
    /* Working size: 256 px wide, height by aspect ratio (even, 16..512). */
    {
        double sar = 1.0;
        AVRational q = d->fmt->streams[d->stream]->codecpar->sample_aspect_ratio;
        if (q.num > 0 && q.den > 0) sar = av_q2d(q);
        if (!(sar > 0.1 && sar < 10)) sar = 1.0;
        double h = KS_VWORK_W * (double)info->height / ((double)info->width * sar);
        int hh = (int)(h / 2 + 0.5) * 2;
        if (hh < 16) hh = 16;
        if (hh > KS_VWORK_HMAX) hh = KS_VWORK_HMAX;
        d->work_w = KS_VWORK_W;
        d->work_h = hh;
        info->work_w = d->work_w;
        info->work_h = d->work_h;
    }
    d->rgb = x_malloc((size_t)d->work_w * (size_t)d->work_h * 3);
    d->pkt = av_packet_alloc();
    d->frame = av_frame_alloc();
    if (!d->pkt || !d->frame) { rc = KS_E_MEMORY; snprintf(err, errlen, "av_frame_alloc failed"); goto done; }
    *out = d;
    d = NULL;
done:
    ks_vdec_del(d);
    return rc;
}

/* One output row of box_reduce: f source rows summed into acc (16 bits:
 * f <= 255), then f neighbours. Inlined with a constant f, both loops
 * unroll and the first vectorises. */
static inline void box_row(const uint8_t *restrict r, int sls, uint8_t *restrict o, int dw, const int f,
                           unsigned half, uint64_t recip, uint16_t *restrict acc)
{
    int n = dw * f;
    for (int x = 0; x < n; x++) {
        unsigned s = 0;
        for (int k = 0; k < f; k++) s += r[(size_t)k * sls + x];
        acc[x] = (uint16_t)s;
    }
    for (int x = 0; x < dw; x++) {
        unsigned s = half;
        for (int k = 0; k < f; k++) s += acc[x * f + k];
        /* s / f^2 as a multiply: exact for s < 2^32 / f^2, i.e. f < 64
         * (s <= 256 f^2); a division per pixel costs more than the sums */
        o[x] = (uint8_t)(f < 64 ? (uint32_t)(((uint64_t)s * recip) >> 32) : s / (unsigned)(f * f));
    }
}

/* Average f x f blocks of an 8-bit plane into a dw x dh plane (rounded). */
static void box_reduce(const uint8_t *src, int sls, uint8_t *dst, int dls, int dw, int dh, int f,
                       uint16_t *acc)
{
    unsigned area = (unsigned)(f * f), half = area / 2;
    uint64_t recip = ((1ull << 32) + area - 1) / area;
    for (int y = 0; y < dh; y++) {
        const uint8_t *r = src + (size_t)y * f * sls;
        uint8_t *o = dst + (size_t)y * dls;
        switch (f) { /* the factors of 480p..4K at a 256 px working width */
        case 2: box_row(r, sls, o, dw, 2, half, recip, acc); break;
        case 3: box_row(r, sls, o, dw, 3, half, recip, acc); break;
        case 4: box_row(r, sls, o, dw, 4, half, recip, acc); break;
        case 5: box_row(r, sls, o, dw, 5, half, recip, acc); break;
        case 6: box_row(r, sls, o, dw, 6, half, recip, acc); break;
        case 7: box_row(r, sls, o, dw, 7, half, recip, acc); break;
        case 8: box_row(r, sls, o, dw, 8, half, recip, acc); break;
        default: box_row(r, sls, o, dw, f, half, recip, acc); break;
        }
    }
}

/* Choose the box pre-reduction for a frame size and format: 8-bit planar
 * YUV whose chroma planes divide by the same factor f >= 2 while the reduced
 * frame stays at least the working size. Sets d->box = 0 if none applies. */
static void box_setup(ks_vdec *d, int w, int h, int fmt)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(fmt);
    d->box = 0;
    x_free(d->box_buf);
    x_free(d->box_acc);
    d->box_buf = NULL;
    d->box_acc = NULL;
    if (!desc || desc->nb_components != 3 || desc->log2_chroma_w > 2 || desc->log2_chroma_h > 2 ||
        (desc->flags & (AV_PIX_FMT_FLAG_BE | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM |
                        AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_ALPHA)) ||
        !(desc->flags & AV_PIX_FMT_FLAG_PLANAR))
        return;
    for (int c = 0; c < 3; c++)
        if (desc->comp[c].depth != 8 || desc->comp[c].plane != c || desc->comp[c].step != 1 ||
            desc->comp[c].offset != 0 || desc->comp[c].shift != 0)
            return;
    int sx = desc->log2_chroma_w, sy = desc->log2_chroma_h;
    int cw = AV_CEIL_RSHIFT(w, sx), ch = AV_CEIL_RSHIFT(h, sy);
    int f = w / d->work_w < h / d->work_h ? w / d->work_w : h / d->work_h;
    if (f > 255) f = 255;
    for (; f >= 2; f--) {
        int rcw = cw / f, rch = ch / f;
        /* the luma blocks must lie inside the frame (odd sizes) */
        while (rcw > 0 && (rcw << sx) * f > w) rcw--;
        while (rch > 0 && (rch << sy) * f > h) rch--;
        int rw = rcw << sx, rh = rch << sy;
        if (rw < d->work_w || rh < d->work_h) continue;
        d->box = f;
        d->box_w = rw; d->box_h = rh; d->box_cw = rcw; d->box_ch = rch;
        break;
    }
    if (!d->box) return;
    /* rows 64-byte aligned for swscale's SIMD input */
    d->box_ls[0] = FFALIGN(d->box_w, 64);
    d->box_ls[1] = d->box_ls[2] = FFALIGN(d->box_cw, 64);
    size_t ysz = (size_t)d->box_ls[0] * d->box_h, csz = (size_t)d->box_ls[1] * d->box_ch;
    d->box_buf = x_malloc(ysz + 2 * csz + 63);
    d->box_plane[0] = (uint8_t *)(((uintptr_t)d->box_buf + 63) & ~(uintptr_t)63);
    d->box_plane[1] = d->box_plane[0] + ysz;
    d->box_plane[2] = d->box_plane[1] + csz;
    d->box_acc = x_malloc((size_t)d->box_w * d->box * sizeof *d->box_acc);
}

/* Scale the decoded frame from its YUV to the RGB working size. 8-bit
 * planar YUV is first averaged over f x f blocks per plane (f = the whole
 * part of the downscale, 5 for 720p): libswscale's area filter at 5x costs
 * as much as a third of the H.264 decode (its AVX2 horizontal scaler
 * gathers), the block average a few percent; swscale then only converts to
 * RGB and scales the remaining factor below 2 (none at 720p). */
static int convert(ks_vdec *d, AVFrame *fr, ks_vframe *f)
{
    if (fr->width <= 0 || fr->height <= 0 || (int64_t)fr->width * fr->height > KS_VMAX_PIXELS) {
        snprintf(d->err, sizeof d->err, "decoded frame size %dx%d out of range", fr->width, fr->height);
        return KS_E_LIMIT;
    }
    if (!d->sws || fr->width != d->src_w || fr->height != d->src_h || fr->format != d->src_fmt) {
        box_setup(d, fr->width, fr->height, fr->format);
        int sw = d->box ? d->box_w : fr->width, sh = d->box ? d->box_h : fr->height;
        /* SWS_AREA: a true area average when shrinking (no aliasing
         * flicker in the content score), at bilinear cost. */
        d->sws = sws_getCachedContext(d->sws, sw, sh, fr->format,
                                      d->work_w, d->work_h, AV_PIX_FMT_RGB24,
                                      SWS_AREA, NULL, NULL, NULL);
        if (!d->sws) {
            snprintf(d->err, sizeof d->err, "libswscale: cannot convert from %s %dx%d",
                     av_get_pix_fmt_name(fr->format) ? av_get_pix_fmt_name(fr->format) : "?",
                     fr->width, fr->height);
            return KS_E_FORMAT;
        }
        d->src_w = fr->width; d->src_h = fr->height; d->src_fmt = fr->format;
    }
    uint8_t *dst[4] = { d->rgb, NULL, NULL, NULL };
    int dstride[4] = { d->work_w * 3, 0, 0, 0 };
    if (d->box) {
        box_reduce(fr->data[0], fr->linesize[0], d->box_plane[0], d->box_ls[0], d->box_w, d->box_h, d->box, d->box_acc);
        for (int c = 1; c < 3; c++)
            box_reduce(fr->data[c], fr->linesize[c], d->box_plane[c], d->box_ls[c], d->box_cw, d->box_ch, d->box, d->box_acc);
        const uint8_t *src[4] = { d->box_plane[0], d->box_plane[1], d->box_plane[2], NULL };
        int sls[4] = { d->box_ls[0], d->box_ls[1], d->box_ls[2], 0 };
        sws_scale(d->sws, src, sls, 0, d->box_h, dst, dstride);
    } else {
        sws_scale(d->sws, (const uint8_t *const *)fr->data, fr->linesize, 0, fr->height, dst, dstride);
    }

    int64_t pts = fr->best_effort_timestamp;
    if (pts == AV_NOPTS_VALUE) pts = fr->pts;
    double t;
    if (pts != AV_NOPTS_VALUE) t = (double)pts * av_q2d(d->tb);
    else if (!isnan(d->last_t)) t = d->last_t + (d->fps > 0 ? 1.0 / d->fps : 0.04);
    else t = 0;
    /* Non-monotonic timestamps (broken muxers): keep time moving forward. */
    if (!isnan(d->last_t) && !(t > d->last_t))
        t = d->last_t + (d->fps > 0 ? 1.0 / d->fps : 0.04) * 0.5;
    d->last_t = t;
    f->t = t;
    f->rgb = d->rgb;
    f->w = d->work_w;
    f->h = d->work_h;
    f->stride = d->work_w * 3;
    d->got_frames++;
    return 1;
}

int ks_vdec_next(ks_vdec *d, ks_vframe *f)
{
    char msg[AV_ERROR_MAX_STRING_SIZE];
    if (d->done) return 0;
    for (;;) {
        int e = avcodec_receive_frame(d->cc, d->frame);
        if (e == 0) {
            int rc = convert(d, d->frame, f);
            av_frame_unref(d->frame);
            if (rc < 0) d->done = 1;
            return rc;
        }
        if (e == AVERROR_EOF) { d->done = 1; return 0; }
        if (e != AVERROR(EAGAIN)) {
            av_err(e, msg, sizeof msg);
            d->done = 1;
            if (d->got_frames > 0) {
                snprintf(d->err, sizeof d->err, "stream ended early: libavcodec: %s", msg);
                return 0;
            }
            snprintf(d->err, sizeof d->err, "libavcodec: %s", msg);
            return map_av_error(e);
        }
        if (d->eof_sent) { d->done = 1; return 0; }
        if (d->held) {
            e = avcodec_send_packet(d->cc, d->pkt);
            if (e == AVERROR(EAGAIN)) {
                snprintf(d->err, sizeof d->err, "libavcodec: decoder accepts no input and gives no output");
                d->done = 1;
                return d->got_frames ? 0 : KS_E_DECODE;
            }
            av_packet_unref(d->pkt);
            d->held = 0;
            if (e < 0) d->bad_packets++;
            continue;
        }
        /* Feed the next packet of our stream. */
        for (;;) {
            e = av_read_frame(d->fmt, d->pkt);
            if (e < 0) {
                if (e != AVERROR_EOF) {
                    av_err(e, msg, sizeof msg);
                    snprintf(d->err, sizeof d->err, "stream ended early: libavformat: %s", msg);
                }
                avcodec_send_packet(d->cc, NULL);
                d->eof_sent = 1;
                break;
            }
            if (d->pkt->stream_index != d->stream) { av_packet_unref(d->pkt); continue; }
            e = avcodec_send_packet(d->cc, d->pkt);
            if (e == AVERROR(EAGAIN)) {
                /* The decoder wants its output drained first: keep the
                 * packet and send it again after the next frame. */
                d->held = 1;
                break;
            }
            av_packet_unref(d->pkt);
            if (e < 0) {
                /* Corrupt packet: skip it, like ffmpeg does, and count it. */
                d->bad_packets++;
                if (d->bad_packets > 1000 && d->got_frames == 0) {
                    av_err(e, msg, sizeof msg);
                    snprintf(d->err, sizeof d->err, "libavcodec: %s", msg);
                    d->done = 1;
                    return KS_E_DECODE;
                }
                continue;
            }
            break;
        }
    }
}

const char *ks_vdec_error(const ks_vdec *d) { return d ? d->err : ""; }
int64_t ks_vdec_bad_packets(const ks_vdec *d) { return d ? d->bad_packets : 0; }

void ks_vdec_del(ks_vdec *d)
{
    if (!d) return;
    sws_freeContext(d->sws);
    av_frame_free(&d->frame);
    av_packet_free(&d->pkt);
    avcodec_free_context(&d->cc);
    if (d->fmt) avformat_close_input(&d->fmt); /* does not free a custom pb */
    if (d->pb) {
        av_freep(&d->pb->buffer);
        avio_context_free(&d->pb);
    }
    if (d->iobuf) av_free(d->iobuf);
    x_free(d->box_buf);
    x_free(d->box_acc);
    x_free(d->rgb);
    x_free(d);
}

const char *ks_vdec_versions(void)
{
    static char buf[160];
    unsigned a = avformat_version(), c = avcodec_version(), s = swscale_version();
    snprintf(buf, sizeof buf, "libavformat %u.%u.%u, libavcodec %u.%u.%u, libswscale %u.%u.%u",
             a >> 16, (a >> 8) & 255, a & 255, c >> 16, (c >> 8) & 255, c & 255,
             s >> 16, (s >> 8) & 255, s & 255);
    return buf;
}
