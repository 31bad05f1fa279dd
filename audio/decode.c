/* decode.c - the only file of kitsch that touches libsndfile and the FFmpeg
 * audio libraries (libavformat, libavcodec, libswresample).
 *
 * Inputs come from the internet, so both decoders read through callbacks over
 * the already opened descriptor (no path is ever reopened, no protocol is ever
 * used): libsndfile through sf_open_virtual, FFmpeg through a custom
 * AVIOContext with a format and codec allow-list, a stream cap and an io_open
 * hook that refuses every nested open (mov external references, playlists).
 * libsndfile is tried first (WAV/AIFF/FLAC/Ogg/Opus/MP3); FFmpeg takes what
 * it refuses (M4A/AAC, the soundtrack of a video file: the best audio stream).
 * Every decoded block goes to the caller's sink at the source rate and channel
 * count (for loudness), is checked for NaN/Inf, downmixed to mono and
 * resampled to the analysis rate with libswresample.
 */
#define _POSIX_C_SOURCE 200809L
#include "audio_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sndfile.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

#define KS_MAX_CHANNELS 32
#define KS_MIN_RATE 1000
#define KS_MAX_RATE 384000

/* Demuxers FFmpeg may use (names as av_match_list sees them): containers
 * that carry audio. No playlists (hls, dash), no concat, no image2/pipes. */
static const char ks_format_whitelist[] =
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,ogg,mp3,aac,wav,w64,flac,aiff,caf,avi,asf,flv,mpegts,mpeg,ac3,eac3,wv,ape,tta,amr,au";
/* Decoders: common audio codecs only. */
static const char ks_codec_whitelist[] =
    "aac,aac_fixed,mp3,mp3float,mp2,mp2float,vorbis,opus,flac,alac,ac3,ac3_fixed,eac3,wmav1,wmav2,wavpack,ape,tta,"
    "amrnb,amrwb,pcm_s16le,pcm_s16be,pcm_s24le,pcm_s24be,pcm_s32le,pcm_s32be,pcm_f32le,pcm_f32be,pcm_f64le,"
    "pcm_f64be,pcm_u8,pcm_s8,pcm_alaw,pcm_mulaw,adpcm_ima_wav,adpcm_ms";

/* ---- the sink chain shared by both decoders ---- */

typedef struct chain {
    ks_pcm *out;
    ks_pcm_sink sink;
    void *sink_ctx;
    int channels, rate, out_rate;
    double max_seconds;
    int sf_malformed;             /* libsndfile knew the format but not the file */
    int64_t max_frames, frames;   /* cap and source frames accepted so far */
    struct SwrContext *swr;
    float *mono;
    size_t mono_cap;
    size_t out_cap;
    int err;
    char *errbuf;
    size_t errlen;
} chain;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int chain_fail(chain *c, int err, const char *fmt, ...)
{
    if (!c->err) {
        va_list ap;
        va_start(ap, fmt);
        c->err = err;
        vsnprintf(c->errbuf, c->errlen, fmt, ap);
        va_end(ap);
    }
    return err;
}

static int chain_start(chain *c, int channels, int rate)
{
    if (channels < 1 || channels > KS_MAX_CHANNELS) {
        return chain_fail(c, KS_E_LIMIT, "%d channels (allowed: 1 to %d)", channels, KS_MAX_CHANNELS);
    }
    if (rate < KS_MIN_RATE || rate > KS_MAX_RATE) {
        return chain_fail(c, KS_E_LIMIT, "sample rate %d Hz (allowed: %d to %d)", rate, KS_MIN_RATE, KS_MAX_RATE);
    }
    c->channels = channels;
    c->rate = rate;
    c->out->src_channels = channels;
    c->out->src_rate = rate;
    c->out->rate = c->out_rate;
    c->max_frames = (int64_t)(c->max_seconds * rate);
    if (rate != c->out_rate) {
        AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
        int e = swr_alloc_set_opts2(&c->swr, &mono, AV_SAMPLE_FMT_FLT, c->out_rate, &mono, AV_SAMPLE_FMT_FLT,
                                    rate, 0, NULL);
        if (e >= 0)
            e = swr_init(c->swr);
        if (e < 0) {
            char msg[AV_ERROR_MAX_STRING_SIZE];
            av_strerror(e, msg, sizeof msg);
            return chain_fail(c, KS_E_INTERNAL, "libswresample: %s", msg);
        }
    }
    return 0;
}

static void out_reserve(chain *c, size_t extra)
{
    if (c->out->n + extra > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : 65536;
        while (cap < c->out->n + extra)
            cap *= 2;
        c->out->x = x_realloc(c->out->x, cap * sizeof(float));
        c->out_cap = cap;
    }
}

static int chain_resample(chain *c, const float *in, size_t n)
{
    if (!c->swr) {
        out_reserve(c, n);
        memcpy(c->out->x + c->out->n, in, n * sizeof(float));
        c->out->n += n;
        return 0;
    }
    int want = swr_get_out_samples(c->swr, (int)n);
    if (want < 0)
        want = (int)((double)n * c->out_rate / c->rate) + 256;
    out_reserve(c, (size_t)want);
    uint8_t *o = (uint8_t *)(c->out->x + c->out->n);
    const uint8_t *i = (const uint8_t *)in;
    int got = swr_convert(c->swr, &o, want, in ? &i : NULL, (int)n);
    if (got < 0) {
        char msg[AV_ERROR_MAX_STRING_SIZE];
        av_strerror(got, msg, sizeof msg);
        return chain_fail(c, KS_E_INTERNAL, "libswresample: %s", msg);
    }
    c->out->n += (size_t)got;
    return 0;
}

/* One block of interleaved float frames at the source rate. Returns 1 when
 * the duration cap is reached (stop decoding), 0 to go on, <0 on error. */
static int chain_push(chain *c, const float *x, size_t frames)
{
    if (c->err)
        return c->err;
    int stop = 0;
    if (c->frames + (int64_t)frames >= c->max_frames) {
        frames = (size_t)(c->max_frames - c->frames);
        stop = 1;
        c->out->truncated = 1;
    }
    size_t ns = frames * (size_t)c->channels;
    /* NaN and Inf have all exponent bits set; OR-ing the test over the block
     * vectorises where an early exit would not */
    unsigned bad = 0;
    for (size_t i = 0; i < ns; i++) {
        uint32_t u;
        memcpy(&u, &x[i], sizeof u);
        bad |= (u & 0x7f800000u) == 0x7f800000u;
    }
    if (bad)
        return chain_fail(c, KS_E_BAD_VALUE, "%s", "NaN or infinite sample in the decoded signal");
    if (c->sink && frames)
        c->sink(c->sink_ctx, x, frames, c->channels, c->rate);
    if (frames > c->mono_cap) {
        c->mono_cap = frames;
        c->mono = x_realloc(c->mono, frames * sizeof(float));
    }
    const float g = 1.0f / (float)c->channels;
    if (c->channels == 2) { /* the common case, in a loop that vectorises; same sums */
        for (size_t f = 0; f < frames; f++)
            c->mono[f] = ((0.0f + x[2 * f]) + x[2 * f + 1]) * g;
    } else {
        for (size_t f = 0; f < frames; f++) {
            float s = 0;
            for (int ch = 0; ch < c->channels; ch++)
                s += x[f * (size_t)c->channels + (size_t)ch];
            c->mono[f] = s * g;
        }
    }
    c->frames += (int64_t)frames;
    int e = chain_resample(c, c->mono, frames);
    if (e < 0)
        return e;
    return stop;
}

static int chain_finish(chain *c)
{
    if (c->err)
        return c->err;
    if (c->swr) {
        int e = chain_resample(c, NULL, 0);
        if (e < 0)
            return e;
    }
    c->out->src_seconds = c->rate > 0 ? (double)c->frames / c->rate : 0;
    return 0;
}

/* ---- libsndfile through sf_open_virtual over the descriptor ---- */

typedef struct fdio {
    int fd;
    int64_t pos, size;
    /* read-ahead for libsndfile, whose MP3 reader asks for ~200 bytes at a
     * time (7000 pread calls for a 1.5 MB file) */
    unsigned char *ra;
    int64_t ra_pos; /* file offset of ra[0] */
    size_t ra_len;
} fdio;

#define KS_READ_AHEAD 65536

static sf_count_t sfv_len(void *u) { return ((fdio *)u)->size; }
static sf_count_t sfv_tell(void *u) { return ((fdio *)u)->pos; }
static sf_count_t sfv_seek(sf_count_t off, int whence, void *u)
{
    fdio *f = u;
    int64_t p = whence == SEEK_SET ? off : whence == SEEK_CUR ? f->pos + off : f->size + off;
    if (p < 0)
        return -1;
    f->pos = p;
    return p;
}
static sf_count_t sfv_read(void *ptr, sf_count_t count, void *u)
{
    fdio *f = u;
    sf_count_t done = 0;
    while (done < count) {
        if (f->ra && f->pos >= f->ra_pos && f->pos < f->ra_pos + (int64_t)f->ra_len) {
            size_t off = (size_t)(f->pos - f->ra_pos), k = f->ra_len - off;
            if ((sf_count_t)k > count - done)
                k = (size_t)(count - done);
            memcpy((char *)ptr + done, f->ra + off, k);
            done += (sf_count_t)k;
            f->pos += (int64_t)k;
            continue;
        }
        ssize_t k;
        if (f->ra && count - done < KS_READ_AHEAD) {
            k = pread(f->fd, f->ra, KS_READ_AHEAD, (off_t)f->pos);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                break;
            f->ra_pos = f->pos;
            f->ra_len = (size_t)k;
            continue;
        }
        k = pread(f->fd, (char *)ptr + done, (size_t)(count - done), (off_t)(f->pos));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        done += k;
        f->pos += k;
    }
    return done;
}
static sf_count_t sfv_write(const void *ptr, sf_count_t count, void *u)
{
    (void)ptr; (void)count; (void)u;
    return 0; /* read-only */
}

/* Returns 1 when libsndfile does not recognise the file (try FFmpeg). */
static int decode_sndfile(const ks_input *in, chain *c, char *why, size_t whylen)
{
    fdio f = {in->fd, 0, in->size, x_malloc(KS_READ_AHEAD), 0, 0};
    SF_VIRTUAL_IO vio = {sfv_len, sfv_seek, sfv_read, sfv_write, sfv_tell};
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *sf = sf_open_virtual(&vio, SFM_READ, &info, &f);
    if (!sf) {
        snprintf(why, whylen, "%s", sf_strerror(NULL));
        c->sf_malformed = sf_error(NULL) == SF_ERR_MALFORMED_FILE;
        x_free(f.ra);
        return 1;
    }
    int rc = 0;
    float *buf = NULL;
    SF_FORMAT_INFO fi;
    memset(&fi, 0, sizeof fi);
    fi.format = info.format & SF_FORMAT_TYPEMASK;
    const char *fname = sf_command(sf, SFC_GET_FORMAT_INFO, &fi, sizeof fi) == 0 && fi.name ? fi.name : "?";
    SF_FORMAT_INFO si;
    memset(&si, 0, sizeof si);
    si.format = info.format & SF_FORMAT_SUBMASK;
    const char *sname = sf_command(sf, SFC_GET_FORMAT_INFO, &si, sizeof si) == 0 && si.name ? si.name : "?";
    snprintf(c->out->decoder, sizeof c->out->decoder, "libsndfile (%s, %s)", fname, sname);
    rc = chain_start(c, info.channels, info.samplerate);
    if (rc < 0)
        goto done;
    const size_t block = 8192;
    buf = x_malloc(block * (size_t)info.channels * sizeof(float));
    for (;;) {
        sf_count_t got = sf_readf_float(sf, buf, (sf_count_t)block);
        if (got <= 0)
            break;
        int e = chain_push(c, buf, (size_t)got);
        if (e < 0) {
            rc = e;
            goto done;
        }
        if (e == 1)
            break;
    }
    if (sf_error(sf) != SF_ERR_NO_ERROR) {
        rc = chain_fail(c, KS_E_DECODE, "libsndfile: %s", sf_strerror(sf));
        goto done;
    }
    rc = chain_finish(c);
done:
    x_free(buf);
    sf_close(sf);
    x_free(f.ra);
    return rc;
}

/* ---- FFmpeg through a custom AVIOContext over the descriptor ---- */

static int av_read_cb(void *u, uint8_t *buf, int size)
{
    fdio *f = u;
    for (;;) {
        ssize_t k = pread(f->fd, buf, (size_t)size, (off_t)f->pos);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return AVERROR(errno);
        if (k == 0)
            return AVERROR_EOF;
        f->pos += k;
        return (int)k;
    }
}

static int64_t av_seek_cb(void *u, int64_t off, int whence)
{
    fdio *f = u;
    if (whence & AVSEEK_SIZE)
        return f->size;
    whence &= ~AVSEEK_FORCE;
    int64_t p = whence == SEEK_SET ? off : whence == SEEK_CUR ? f->pos + off : f->size + off;
    if (p < 0)
        return AVERROR(EINVAL);
    f->pos = p;
    return p;
}

/* Refuse every nested open (mov drefs, playlists, subtitles side files). */
static int av_no_open(struct AVFormatContext *s, AVIOContext **pb, const char *url, int flags, AVDictionary **opts)
{
    (void)s; (void)pb; (void)url; (void)flags; (void)opts;
    return AVERROR(EPERM);
}

static float sample_at(const AVFrame *fr, int fmt, int ch, int i, int channels)
{
    int planar = av_sample_fmt_is_planar(fmt);
    const uint8_t *base = planar ? fr->extended_data[ch] : fr->extended_data[0];
    size_t idx = planar ? (size_t)i : (size_t)i * (size_t)channels + (size_t)ch;
    switch (av_get_packed_sample_fmt(fmt)) {
    case AV_SAMPLE_FMT_U8: return ((float)base[idx] - 128.0f) / 128.0f;
    case AV_SAMPLE_FMT_S16: return (float)((const int16_t *)(const void *)base)[idx] / 32768.0f;
    case AV_SAMPLE_FMT_S32: return (float)((double)((const int32_t *)(const void *)base)[idx] / 2147483648.0);
    case AV_SAMPLE_FMT_S64: return (float)((double)((const int64_t *)(const void *)base)[idx] / 9223372036854775808.0);
    case AV_SAMPLE_FMT_FLT: return ((const float *)(const void *)base)[idx];
    case AV_SAMPLE_FMT_DBL: return (float)((const double *)(const void *)base)[idx];
    default: return NAN;
    }
}

static int av_fail(chain *c, int code, const char *what, int e)
{
    char msg[AV_ERROR_MAX_STRING_SIZE + 64];
    char s[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(e, s, sizeof s);
    snprintf(msg, sizeof msg, "ffmpeg %s: %s", what, s);
    return chain_fail(c, code, "%s", msg);
}

static int frame_push(chain *c, const AVFrame *fr, float **ibuf, size_t *icap)
{
    int channels = fr->ch_layout.nb_channels;
    if (channels != c->channels || fr->sample_rate != c->rate)
        return chain_fail(c, KS_E_DECODE, "%s", "ffmpeg: channel count or sample rate changed mid-stream");
    size_t need = (size_t)fr->nb_samples * (size_t)channels;
    if (need > *icap) {
        *icap = need;
        *ibuf = x_realloc(*ibuf, need * sizeof(float));
    }
    for (int i = 0; i < fr->nb_samples; i++)
        for (int ch = 0; ch < channels; ch++)
            (*ibuf)[(size_t)i * (size_t)channels + (size_t)ch] = sample_at(fr, fr->format, ch, i, channels);
    return chain_push(c, *ibuf, (size_t)fr->nb_samples);
}

static int decode_ffmpeg(const ks_input *in, chain *c, const char *sf_why)
{
    int rc = 0, e;
    fdio f = {in->fd, 0, in->size, NULL, 0, 0};
    AVFormatContext *fc = NULL;
    AVCodecContext *cc = NULL;
    AVPacket *pkt = NULL;
    AVFrame *fr = NULL;
    AVDictionary *opts = NULL;
    float *ibuf = NULL;
    size_t icap = 0;
    unsigned char *iobuf = av_malloc(65536);
    AVIOContext *pb = iobuf ? avio_alloc_context(iobuf, 65536, 0, &f, av_read_cb, NULL, av_seek_cb) : NULL;
    if (!pb) {
        av_free(iobuf);
        return chain_fail(c, KS_E_MEMORY, "%s", "ffmpeg: cannot allocate the I/O context");
    }
    /* Library code never prints: FFmpeg's own log goes nowhere (the error
     * strings we need come back through return codes). */
    av_log_set_level(AV_LOG_QUIET);
    fc = avformat_alloc_context();
    if (!fc) {
        rc = chain_fail(c, KS_E_MEMORY, "%s", "ffmpeg: cannot allocate the format context");
        goto done;
    }
    fc->pb = pb;
    fc->flags |= AVFMT_FLAG_CUSTOM_IO;
    fc->io_open = av_no_open;
    av_dict_set(&opts, "format_whitelist", ks_format_whitelist, 0);
    av_dict_set(&opts, "codec_whitelist", ks_codec_whitelist, 0);
    av_dict_set(&opts, "protocol_whitelist", "none", 0);
    av_dict_set(&opts, "max_streams", "64", 0);
    av_dict_set(&opts, "enable_drefs", "0", 0);
    e = avformat_open_input(&fc, NULL, NULL, &opts);
    av_dict_free(&opts);
    if (e < 0) {
        char s[AV_ERROR_MAX_STRING_SIZE];
        av_strerror(e, s, sizeof s);
        char msg[512];
        /* A format one of the decoders recognised but could not read is a
         * damaged file (truncated when FFmpeg ran out of data), not an
         * unsupported one. */
        int code = !c->sf_malformed ? KS_E_FORMAT : e == AVERROR_EOF ? KS_E_TRUNCATED : KS_E_DECODE;
        snprintf(msg, sizeof msg, "%s (libsndfile: %s; ffmpeg: %s)",
                 code == KS_E_FORMAT ? "not a supported audio file" : "damaged audio file", sf_why, s);
        rc = chain_fail(c, code, "%s", msg);
        goto done; /* avformat_open_input freed fc */
    }
    /* Only audio is wanted: never probe-decode the video of a film. */
    for (unsigned k = 0; k < fc->nb_streams; k++)
        if (fc->streams[k]->codecpar->codec_type != AVMEDIA_TYPE_AUDIO)
            fc->streams[k]->discard = AVDISCARD_ALL;
    e = avformat_find_stream_info(fc, NULL);
    if (e < 0) {
        rc = av_fail(c, KS_E_DECODE, "stream info", e);
        goto done;
    }
    const AVCodec *dec = NULL;
    int si = av_find_best_stream(fc, AVMEDIA_TYPE_AUDIO, -1, -1, &dec, 0);
    if (si < 0 || !dec) {
        rc = chain_fail(c, si == AVERROR_DECODER_NOT_FOUND ? KS_E_FORMAT : KS_E_NO_STREAM, "%s",
                        si == AVERROR_DECODER_NOT_FOUND ? "ffmpeg: no decoder for the audio stream"
                                                        : "ffmpeg: the container has no audio stream");
        goto done;
    }
    cc = avcodec_alloc_context3(dec);
    if (!cc) {
        rc = chain_fail(c, KS_E_MEMORY, "%s", "ffmpeg: cannot allocate the codec context");
        goto done;
    }
    e = avcodec_parameters_to_context(cc, fc->streams[si]->codecpar);
    if (e < 0) {
        rc = av_fail(c, KS_E_DECODE, "codec parameters", e);
        goto done;
    }
    cc->thread_count = 1;
    av_dict_set(&opts, "codec_whitelist", ks_codec_whitelist, 0);
    e = avcodec_open2(cc, dec, &opts);
    av_dict_free(&opts);
    if (e < 0) {
        rc = av_fail(c, KS_E_FORMAT, "open decoder", e);
        goto done;
    }
    snprintf(c->out->decoder, sizeof c->out->decoder, "ffmpeg (%s, %s)", fc->iformat->name, dec->name);
    rc = chain_start(c, cc->ch_layout.nb_channels, cc->sample_rate);
    if (rc < 0)
        goto done;
    pkt = av_packet_alloc();
    fr = av_frame_alloc();
    if (!pkt || !fr) {
        rc = chain_fail(c, KS_E_MEMORY, "%s", "ffmpeg: cannot allocate a packet");
        goto done;
    }
    int stop = 0, flushing = 0;
    while (!stop) {
        if (!flushing) {
            e = av_read_frame(fc, pkt);
            if (e == AVERROR_EOF || e == AVERROR(EIO)) {
                flushing = 1;
                e = avcodec_send_packet(cc, NULL);
            } else if (e < 0) {
                rc = av_fail(c, KS_E_DECODE, "read", e);
                goto done;
            } else {
                if (pkt->stream_index != si) {
                    av_packet_unref(pkt);
                    continue;
                }
                e = avcodec_send_packet(cc, pkt);
                av_packet_unref(pkt);
                /* A damaged packet is skipped like a player would; a wholly
                 * undecodable stream ends with no samples (too_short). */
                if (e < 0 && e != AVERROR(EAGAIN) && e != AVERROR_INVALIDDATA) {
                    rc = av_fail(c, KS_E_DECODE, "decode", e);
                    goto done;
                }
            }
        }
        for (;;) {
            e = avcodec_receive_frame(cc, fr);
            if (e == AVERROR(EAGAIN))
                break;
            if (e == AVERROR_EOF) {
                stop = 1;
                break;
            }
            if (e < 0) {
                if (e == AVERROR_INVALIDDATA)
                    break;
                rc = av_fail(c, KS_E_DECODE, "decode", e);
                goto done;
            }
            int p = frame_push(c, fr, &ibuf, &icap);
            av_frame_unref(fr);
            if (p < 0) {
                rc = p;
                goto done;
            }
            if (p == 1) {
                stop = 1;
                break;
            }
        }
        if (flushing)
            stop = 1;
    }
    rc = chain_finish(c);
done:
    x_free(ibuf);
    av_frame_free(&fr);
    av_packet_free(&pkt);
    avcodec_free_context(&cc);
    if (fc)
        avformat_close_input(&fc);
    if (pb) {
        av_freep(&pb->buffer);
        avio_context_free(&pb);
    }
    return rc;
}

int ks_audio_decode(const ks_input *in, int out_rate, double max_seconds, ks_pcm_sink sink, void *sink_ctx,
                    ks_pcm *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    err[0] = '\0';
    if (in->size == 0) {
        snprintf(err, errlen, "the file is empty");
        return KS_E_EMPTY;
    }
    if (out_rate < 8000 || out_rate > 96000) {
        snprintf(err, errlen, "analysis rate %d Hz outside 8000..96000", out_rate);
        return KS_E_USAGE;
    }
    chain c;
    memset(&c, 0, sizeof c);
    c.out = out;
    c.sink = sink;
    c.sink_ctx = sink_ctx;
    c.out_rate = out_rate;
    c.errbuf = err;
    c.errlen = errlen;
    c.max_seconds = max_seconds > 0 ? max_seconds : 1e7;
    char why[256];
    int rc = decode_sndfile(in, &c, why, sizeof why);
    if (rc == 1)
        rc = decode_ffmpeg(in, &c, why);
    swr_free(&c.swr);
    x_free(c.mono);
    if (rc == 0 && out->n == 0) {
        snprintf(err, errlen, "no audio samples decoded");
        rc = KS_E_TOO_SHORT;
    }
    if (rc < 0) {
        x_free(out->x);
        out->x = NULL;
        out->n = 0;
    }
    return rc < 0 ? rc : 0;
}

void ks_pcm_free(ks_pcm *p)
{
    if (!p)
        return;
    x_free(p->x);
    p->x = NULL;
    p->n = 0;
}

const char *ks_decode_versions(void)
{
    static char buf[192];
    char sv[64];
    sf_command(NULL, SFC_GET_LIB_VERSION, sv, sizeof sv);
    snprintf(buf, sizeof buf, "%s, libavformat %s, libavcodec %s, libswresample %s", sv,
             AV_STRINGIFY(LIBAVFORMAT_VERSION), AV_STRINGIFY(LIBAVCODEC_VERSION), AV_STRINGIFY(LIBSWRESAMPLE_VERSION));
    return buf;
}
