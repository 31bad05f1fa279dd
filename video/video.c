/* video.c - the video analyzer: decode (decode.c) -> per-frame measures
 * (measure.c) -> shot boundaries (shots.c) -> shot rhythm (rhythm.c), camera
 * motion, keyframe palettes (plus the image analyzer on each keyframe) and
 * the soundtrack (the audio analyzer on the same input). */
#define _POSIX_C_SOURCE 200809L
#include "video.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio.h"
#include "image.h"
#include "vdecode.h"
#include "vinternal.h"

/* Analysis caps: beyond them decoding stops and the record says so. The
 * per-frame track costs ~0.5 kB, so 216000 frames (2 h at 30 fps) ~ 100 MB. */
#define MAX_FRAMES 216000
#define MAX_SECONDS (3.0 * 3600)
#define KF_BUDGET (48u << 20)    /* bytes of keyframe candidates kept */
#define MAX_DESC_SHOTS 1000
#define STATIC_LEVEL 2.0         /* motion energy per second below this: static */
#define BEAT_WINDOW 0.080        /* cut within +-80 ms of a beat */

/* Keyframe candidates: half-size copies of the working frame (128 px wide),
 * sampled every `step` seconds; when the budget fills, every other one is
 * dropped and the step doubles, so memory stays bounded on long inputs. */
typedef struct kf_store {
    int w, h;
    size_t n, cap;
    double step, next_t;
    double *t;
    unsigned char *pix;
} kf_store;

static void kf_init(kf_store *s, int work_w, int work_h)
{
    memset(s, 0, sizeof *s);
    s->w = work_w / 2;
    s->h = work_h / 2;
    size_t per = (size_t)s->w * s->h * 3;
    s->cap = KF_BUDGET / per;
    if (s->cap < 16) s->cap = 16;
    if (s->cap > 4096) s->cap = 4096;
    s->step = 0.5;
    s->t = x_malloc(s->cap * sizeof *s->t);
    s->pix = x_malloc(s->cap * per);
}

static void kf_free(kf_store *s)
{
    x_free(s->t);
    x_free(s->pix);
}

static void kf_add(kf_store *s, const ks_vframe *f)
{
    if (f->t < s->next_t) return;
    size_t per = (size_t)s->w * s->h * 3;
    if (s->n == s->cap) {
        size_t m = 0;
        for (size_t i = 0; i < s->n; i += 2, m++) {
            s->t[m] = s->t[i];
            if (m != i) memcpy(s->pix + m * per, s->pix + i * per, per);
        }
        s->n = m;
        s->step *= 2;
    }
    unsigned char *dst = s->pix + s->n * per;
    for (int y = 0; y < s->h; y++) {
        const unsigned char *r0 = f->rgb + (size_t)(2 * y) * f->stride;
        const unsigned char *r1 = r0 + f->stride;
        for (int x = 0; x < s->w; x++)
            for (int c = 0; c < 3; c++)
                dst[((size_t)y * s->w + x) * 3 + c] = (unsigned char)
                    ((r0[6 * x + c] + r0[6 * x + 3 + c] + r1[6 * x + c] + r1[6 * x + 3 + c] + 2) / 4);
    }
    s->t[s->n++] = f->t;
    s->next_t = f->t + s->step;
}

/* sRGB (0..255) -> CIELAB a*, b* (D65). */
static double srgb_lin(double c)
{
    c /= 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}
static double lab_f(double t)
{
    return t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116.0;
}

static void keyframe_stats(const unsigned char *p, int w, int h, double hist[64], double *a_out, double *b_out)
{
    size_t n = (size_t)w * h;
    double sa = 0, sb = 0;
    memset(hist, 0, 64 * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        int r = p[3 * i], g = p[3 * i + 1], b = p[3 * i + 2];
        hist[(r >> 6) * 16 + (g >> 6) * 4 + (b >> 6)] += 1.0 / (double)n;
        double R = srgb_lin(r), G = srgb_lin(g), B = srgb_lin(b);
        double X = (0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047;
        double Y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
        double Z = (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883;
        double fx = lab_f(X), fy = lab_f(Y), fz = lab_f(Z);
        sa += 500 * (fx - fy);
        sb += 200 * (fy - fz);
    }
    *a_out = sa / (double)n;
    *b_out = sb / (double)n;
}

static double hist_intersection(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] < b[i] ? a[i] : b[i];
    return s;
}

static void note_add(char *notes, size_t cap, const char *msg)
{
    size_t l = strlen(notes);
    if (l + 3 >= cap) return;
    snprintf(notes + l, cap - l, "%s%s", l ? "; " : "", msg);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Camera motion of one shot from the per-frame phase-correlation shifts
 * (Kuglin & Hines 1975), classified by the dominant velocity: pan (x), tilt
 * (y) or zoom (divergence of the quadrant shifts = relative scale change
 * per second). Returns 0 static, 1 pan, 2 tilt, 3 zoom; -1 too short.
 * *jerk: RMS second difference / RMS of the velocity on a 4 Hz grid (NaN for
 * a static camera or too few bins). */
static int shot_camera(const ks_vtrack *k, size_t a, size_t b, double *jerk)
{
    *jerk = NAN;
    if (b <= a + 2 || k->t[b] - k->t[a] < 0.5) return -1;
    double sx = 0, sy = 0, sz = 0, T = 0;
    for (size_t i = a + 1; i <= b; i++) {
        if (isnan(k->dx[i]) || !(k->peak[i] > 0.2)) continue;
        sx += k->dx[i]; sy += k->dy[i]; sz += k->zoom[i];
    }
    T = k->t[b] - k->t[a];
    double vx = fabs(sx) / T, vy = fabs(sy) / T, vz = fabs(sz) / T;
    /* Thresholds from Ken Burns clips of known motion (eval/video_synth.sh):
     * a pan of 2% of the frame per second, a zoom of 0.8% scale per second;
     * a pan also shows some spurious divergence, so translation wins when
     * it is at least twice the zoom rate. */
    double vt = vx > vy ? vx : vy;
    int cls = 0;
    if (vt >= 0.02 && vt >= 2 * vz) cls = vx >= vy ? 1 : 2;
    else if (vz >= 0.008) cls = 3;
    else if (vt >= 0.02) cls = vx >= vy ? 1 : 2;
    if (cls != 0) {
        /* velocity on a 4 Hz grid: mean per-frame shift in each 0.25 s bin */
        size_t nb = (size_t)(T / 0.25);
        if (nb >= 6) {
            double *v = x_calloc(nb * 3, sizeof(double));
            int *cnt = x_calloc(nb, sizeof(int));
            for (size_t i = a + 1; i <= b; i++) {
                if (isnan(k->dx[i]) || !(k->peak[i] > 0.2)) continue;
                double dt = k->t[i] - k->t[i - 1];
                if (!(dt > 0)) continue;
                size_t q = (size_t)((k->t[i] - k->t[a]) / 0.25);
                if (q >= nb) q = nb - 1;
                v[3 * q] += k->dx[i] / dt; v[3 * q + 1] += k->dy[i] / dt; v[3 * q + 2] += 0.5 * k->zoom[i] / dt;
                cnt[q]++;
            }
            int ok = 1;
            for (size_t q = 0; q < nb; q++) {
                if (!cnt[q]) { ok = 0; break; }
                for (int c = 0; c < 3; c++) v[3 * q + c] /= cnt[q];
            }
            if (ok) {
                double j2 = 0, v2 = 0;
                for (size_t q = 0; q < nb; q++)
                    for (int c = 0; c < 3; c++) v2 += v[3 * q + c] * v[3 * q + c];
                for (size_t q = 1; q + 1 < nb; q++)
                    for (int c = 0; c < 3; c++) {
                        double d2 = v[3 * (q + 1) + c] - 2 * v[3 * q + c] + v[3 * (q - 1) + c];
                        j2 += d2 * d2;
                    }
                double rv = sqrt(v2 / (double)nb), rj = sqrt(j2 / (double)(nb - 2));
                if (rv > 0) *jerk = rj / rv;
            }
            x_free(v); x_free(cnt);
        }
    }
    return cls;
}

int ks_video_analyze(const ks_input *in, ks_record *r)
{
    ks_vdec *dec = NULL;
    ks_vmeasure *ms = NULL;
    ks_vtrack k;
    kf_store kf;
    ks_vinfo info;
    ks_vtrans *tr = NULL;
    size_t nt = 0;
    double *shot_s = NULL, *shot_e = NULL, *len = NULL, *desc = NULL;
    int *shot_kind = NULL;
    size_t *shot_fa = NULL, *shot_fb = NULL;
    char err[256] = "", notes[2048] = "";
    int rc = 0, have_kf = 0;
    ks_vframe f;

    ks_vtrack_init(&k);
    memset(&kf, 0, sizeof kf);
    rc = ks_vdec_new(in, &dec, &info, err, sizeof err);
    if (rc < 0) { ks_record_fail(r, rc, "%s", err); goto done; }
    /* 60 s of wall clock per minute of media (reliability issue), on top
     * of the 60 s every video gets: the callback sets the deadline to now +
     * seconds, so it must never be given less than the base. */
    if (in->extend_deadline && info.duration > 0 && isfinite(info.duration))
        in->extend_deadline(in->deadline_ctx, info.duration < MAX_SECONDS ? info.duration : MAX_SECONDS);
    {
        char buf[200];
        snprintf(buf, sizeof buf, "%s/%s %dx%d %.3f fps, working size %dx%d",
                 info.format, info.codec, info.width, info.height, info.fps, info.work_w, info.work_h);
        ks_record_set_info(r, KS_I_VIDEO_DECODE, buf);
    }
    ms = ks_vmeasure_new(info.work_w, info.work_h);
    kf_init(&kf, info.work_w, info.work_h);
    have_kf = 1;
    for (;;) {
        rc = ks_vdec_next(dec, &f);
        if (rc < 0) {
            if (k.n == 0) { ks_record_fail(r, rc, "%s", ks_vdec_error(dec)); goto done; }
            note_add(notes, sizeof notes, ks_vdec_error(dec));
            rc = 0;
            break;
        }
        if (rc == 0) break;
        if (k.n >= MAX_FRAMES || (k.n && f.t - k.t[0] > MAX_SECONDS)) {
            note_add(notes, sizeof notes, "analysis capped at 216000 frames / 3 h");
            break;
        }
        ks_vmeasure_do(ms, f.rgb, f.stride, f.t, &k);
        kf_add(&kf, &f);
    }
    rc = 0;
    if (ks_vdec_error(dec)[0] && !strstr(notes, ks_vdec_error(dec))) note_add(notes, sizeof notes, ks_vdec_error(dec));
    if (k.n == 0) {
        rc = ks_record_fail(r, KS_E_TOO_SHORT, "the video stream has no decodable frame");
        goto done;
    }

    /* ---- timing ---- */
    double fps = info.fps;
    double span = k.t[k.n - 1] - k.t[0];
    if (k.n >= 2 && span > 0) {
        double measured = (double)(k.n - 1) / span;
        if (!(fps > 0) || fabs(measured - fps) / fps > 0.2) fps = measured; /* VFR or wrong header */
    }
    double frame_dur = fps > 0 ? 1.0 / fps : 0.04;
    double t0 = k.t[0];
    double tend = k.t[k.n - 1] + frame_dur;
    r->feat[KS_F_VIDEO_DURATION] = tend - t0;
    r->feat[KS_F_VIDEO_FPS] = k.n >= 2 && span > 0 ? (double)(k.n - 1) / span : NAN;
    r->feat[KS_F_VIDEO_WIDTH] = info.width;
    r->feat[KS_F_VIDEO_HEIGHT] = info.height;

    /* ---- shots ---- */
    nt = ks_vshots_detect(&k, fps, &tr);
    {
        /* every transition, for inspection and evaluation */
        size_t nd = nt < MAX_DESC_SHOTS ? nt : MAX_DESC_SHOTS;
        if (nd) {
            double *tv = x_malloc(3 * nd * sizeof *tv);
            for (size_t i = 0; i < nd; i++) {
                tv[3 * i] = k.t[tr[i].start] - t0;
                tv[3 * i + 1] = k.t[tr[i].end] - t0;
                tv[3 * i + 2] = tr[i].kind;
            }
            ks_record_set_desc(r, KS_D_VIDEO_TRANSITIONS, tv, 3 * nd);
            x_free(tv);
        }
    }
    /* Segments between transitions (boundary: the cut frame, or the middle
     * of a gradual transition); black stretches (leader, gaps between a
     * fade-out and a fade-in, tail) are not shots. */
    size_t ns = 0, ngrad = 0, nbound = 0;
    shot_s = x_malloc((nt + 1) * sizeof *shot_s);
    shot_e = x_malloc((nt + 1) * sizeof *shot_e);
    shot_kind = x_malloc((nt + 1) * sizeof *shot_kind);
    shot_fa = x_malloc((nt + 1) * sizeof *shot_fa);
    shot_fb = x_malloc((nt + 1) * sizeof *shot_fb);
    len = x_malloc((nt + 1) * sizeof *len);
    {
        int pending = 0; /* kind of the boundary into the next kept shot */
        int dropped = 0; /* a black stretch was dropped since the last kept shot */
        for (size_t i = 0; i <= nt; i++) {
            double ts = i == 0 ? t0 : (tr[i - 1].kind == KS_TR_CUT ? k.t[tr[i - 1].start]
                                       : 0.5 * (k.t[tr[i - 1].start] + k.t[tr[i - 1].end]));
            double te = i == nt ? tend : (tr[i].kind == KS_TR_CUT ? k.t[tr[i].start]
                                          : 0.5 * (k.t[tr[i].start] + k.t[tr[i].end]));
            size_t fa = i == 0 ? 0 : tr[i - 1].end;
            size_t fb = i == nt ? k.n - 1 : (tr[i].start > 0 ? tr[i].start - 1 : 0);
            int kind_in = i == 0 ? 0 : tr[i - 1].kind;
            /* across a dropped black stretch the boundary is a fade through
             * black if either side faded, else a cut through black */
            if (dropped) pending = (pending >= KS_TR_FADE || kind_in >= KS_TR_FADE) ? KS_TR_FADE : KS_TR_CUT;
            else pending = kind_in;
            size_t nblack = 0, nf = 0;
            for (size_t q = fa; q <= fb && q < k.n; q++, nf++) if (k.luma_mean[q] < 12.0) nblack++;
            if (nf == 0 || 2 * nblack > nf || !(te > ts)) { dropped = 1; continue; }
            shot_s[ns] = ts; shot_e[ns] = te;
            shot_kind[ns] = ns == 0 ? 0 : pending;
            shot_fa[ns] = fa; shot_fb[ns] = fb < fa ? fa : fb;
            len[ns] = te - ts;
            if (ns > 0) { nbound++; if (pending != KS_TR_CUT) ngrad++; }
            pending = 0;
            dropped = 0;
            ns++;
        }
    }
    r->feat[KS_F_VIDEO_SHOTS] = (double)ns;
    r->feat[KS_F_VIDEO_CUTS_PER_MIN] = tend - t0 > 0 ? 60.0 * (double)nbound / (tend - t0) : NAN;
    r->feat[KS_F_VIDEO_GRADUAL_SHARE] = nbound ? (double)ngrad / (double)nbound : NAN;
    if (ns) {
        size_t nd = ns < MAX_DESC_SHOTS ? ns : MAX_DESC_SHOTS;
        desc = x_malloc(3 * nd * sizeof *desc);
        for (size_t i = 0; i < nd; i++) {
            desc[3 * i] = shot_s[i] - t0;
            desc[3 * i + 1] = shot_e[i] - t0;
            desc[3 * i + 2] = shot_kind[i];
        }
        ks_record_set_desc(r, KS_D_VIDEO_SHOTS, desc, 3 * nd);
        if (nd < ns) note_add(notes, sizeof notes, "shots descriptor truncated to 1000 shots");
    } else {
        note_add(notes, sizeof notes, "no shot: the picture is black throughout");
    }

    /* ---- shot rhythm ---- */
    {
        ks_vrhythm rh;
        /* lengths agree if within 1.5 frames (boundaries are frame-quantised) */
        ks_vrhythm_compute(len, ns, 1.5 * frame_dur, &rh);
        r->feat[KS_F_VIDEO_ASL] = rh.asl;
        r->feat[KS_F_VIDEO_SHOT_MEDIAN] = rh.median;
        r->feat[KS_F_VIDEO_SHOT_CV] = rh.cv;
        r->feat[KS_F_VIDEO_SHOT_ENTROPY] = rh.entropy;
        r->feat[KS_F_VIDEO_SHOT_NPVI] = rh.npvi;
        r->feat[KS_F_VIDEO_SHOT_QUANT] = rh.quant;
        r->feat[KS_F_VIDEO_SHOT_AC1] = rh.ac1;
        r->feat[KS_F_VIDEO_SHOT_SLOPE] = rh.slope;
        r->feat[KS_F_VIDEO_CUT_PERIODICITY] = rh.periodicity;
        if (ns >= KS_RHY_MIN_SHAPE) {
            double h[20] = { 0 };
            for (size_t i = 0; i < ns; i++) {
                double l = log2(len[i] > 1e-3 ? len[i] : 1e-3);
                int b = (int)floor((l + 3.0) * 2.0);
                b = b < 0 ? 0 : (b > 19 ? 19 : b);
                h[b] += 1.0 / (double)ns;
            }
            ks_record_set_desc(r, KS_D_VIDEO_SHOT_HIST, h, 20);
        }
    }

    /* ---- motion ---- */
    {
        /* frames that belong to a transition do not count as motion */
        unsigned char *skip = x_calloc(k.n, 1);
        skip[0] = 1;
        for (size_t i = 0; i < nt; i++)
            for (size_t q = tr[i].start; q <= tr[i].end && q < k.n; q++) skip[q] = 1;
        size_t nsec = (size_t)ceil(tend - t0);
        if (nsec < 1) nsec = 1;
        double *esum = x_calloc(nsec, sizeof(double));
        int *ecnt = x_calloc(nsec, sizeof(int)), *fcnt = x_calloc(nsec, sizeof(int));
        for (size_t i = 0; i < k.n; i++) {
            size_t s = (size_t)(k.t[i] - t0);
            if (s >= nsec) s = nsec - 1;
            fcnt[s]++;
            if (skip[i] || isnan(k.energy[i])) continue;
            esum[s] += k.energy[i];
            ecnt[s]++;
        }
        /* Per-second energy: mean per-frame change x frames per second, so
         * 8 fps and 25 fps clips of the same motion agree. */
        double sum = 0, sum2 = 0;
        size_t m = 0, nstatic = 0;
        for (size_t s = 0; s < nsec; s++) {
            if (ecnt[s] < 2 || 2 * ecnt[s] < fcnt[s]) continue;
            double e = esum[s] / ecnt[s] * fps;
            sum += e; sum2 += e * e; m++;
            if (e < STATIC_LEVEL) nstatic++;
        }
        if (m >= 1) {
            double mean = sum / (double)m;
            r->feat[KS_F_VIDEO_MOTION_MEAN] = mean;
            r->feat[KS_F_VIDEO_STATIC_SHARE] = (double)nstatic / (double)m;
            if (m >= 3 && mean > 0) {
                double var = (sum2 - (double)m * mean * mean) / (double)(m - 1);
                r->feat[KS_F_VIDEO_MOTION_CV] = sqrt(var > 0 ? var : 0) / mean;
            }
        }
        x_free(esum); x_free(ecnt); x_free(fcnt);

        size_t ncls[4] = { 0, 0, 0, 0 }, nc = 0, nj = 0;
        double *jerks = x_malloc((ns ? ns : 1) * sizeof(double));
        for (size_t i = 0; i < ns; i++) {
            double j;
            int c = shot_camera(&k, shot_fa[i], shot_fb[i], &j);
            if (c >= 0) { ncls[c]++; nc++; }
            if (!isnan(j)) jerks[nj++] = j;
        }
        if (nc) {
            r->feat[KS_F_VIDEO_CAM_STATIC] = (double)ncls[0] / (double)nc;
            r->feat[KS_F_VIDEO_CAM_PAN] = (double)ncls[1] / (double)nc;
            r->feat[KS_F_VIDEO_CAM_TILT] = (double)ncls[2] / (double)nc;
            r->feat[KS_F_VIDEO_CAM_ZOOM] = (double)ncls[3] / (double)nc;
        }
        if (nj) r->feat[KS_F_VIDEO_CAM_JERK] = ks_median(jerks, nj);
        x_free(jerks);
        x_free(skip);
    }

    /* ---- keyframes: palette reuse, grade spread, image analyzer ---- */
    if (kf.n > 0) {
        size_t per = (size_t)kf.w * kf.h * 3;
        double (*hist)[64] = x_malloc((ns ? ns : 1) * sizeof *hist);
        double *ga = x_malloc((ns ? ns : 1) * sizeof(double)), *gb = x_malloc((ns ? ns : 1) * sizeof(double));
        double mean_hist[64] = { 0 };
        size_t nk = 0, last = (size_t)-1;
        /* image.* features of the keyframes: median over keyframes */
        double *imf = x_malloc((ns ? ns : 1) * (size_t)KS_NFEATURES * sizeof(double));
        size_t nimg = 0;
        int img_err = 0;
        char img_msg[640] = "";
        for (size_t i = 0; i < ns; i++) {
            double mid = 0.5 * (shot_s[i] + shot_e[i]);
            size_t best = (size_t)-1;
            double bd = INFINITY;
            for (size_t q = 0; q < kf.n; q++) {
                if (kf.t[q] < shot_s[i] || kf.t[q] >= shot_e[i]) continue;
                double dd = fabs(kf.t[q] - mid);
                if (dd < bd) { bd = dd; best = q; }
            }
            if (best == (size_t)-1 || best == last) continue; /* shot shorter than the sampling step */
            last = best;
            const unsigned char *px = kf.pix + best * per;
            keyframe_stats(px, kf.w, kf.h, hist[nk], &ga[nk], &gb[nk]);
            for (int c = 0; c < 64; c++) mean_hist[c] += hist[nk][c];
            nk++;
            if (!img_err) {
                ks_record ir;
                ks_record_init(&ir);
                int e = ks_image_analyze_rgb(px, kf.w, kf.h, kf.w * 3, &ir);
                if (e < 0 || ir.status != KS_STATUS_OK) {
                    img_err = e < 0 ? e : ir.err;
                    snprintf(img_msg, sizeof img_msg, "keyframe image features not measured: %s: %s",
                             ks_error_code(img_err), ir.err_msg);
                } else {
                    memcpy(imf + nimg * KS_NFEATURES, ir.feat, KS_NFEATURES * sizeof(double));
                    nimg++;
                }
                ks_record_clear(&ir);
            }
        }
        r->feat[KS_F_VIDEO_KEYFRAMES] = (double)nk;
        if (nk) {
            for (int c = 0; c < 64; c++) mean_hist[c] /= (double)nk;
            ks_record_set_desc(r, KS_D_VIDEO_PALETTE, mean_hist, 64);
        }
        if (nk >= 2) {
            /* Histogram intersection (Swain & Ballard 1991) over all pairs
             * of shot keyframes; at most 200 keyframes pairwise. */
            size_t lim = nk < 200 ? nk : 200;
            double s = 0;
            size_t np = 0;
            for (size_t a = 0; a < lim; a++)
                for (size_t b = a + 1; b < lim; b++) { s += hist_intersection(hist[a], hist[b], 64); np++; }
            r->feat[KS_F_VIDEO_PALETTE_REUSE] = s / (double)np;
            double ma = 0, mb = 0, v = 0;
            for (size_t a = 0; a < nk; a++) { ma += ga[a]; mb += gb[a]; }
            ma /= (double)nk; mb /= (double)nk;
            for (size_t a = 0; a < nk; a++) v += (ga[a] - ma) * (ga[a] - ma) + (gb[a] - mb) * (gb[a] - mb);
            r->feat[KS_F_VIDEO_GRADE_SPREAD] = sqrt(v / (double)nk);
        }
        if (nimg) {
            /* The image analyzer's features of the keyframes go into the
             * record as their median across shots (image.* names). */
            double *col = x_malloc(nimg * sizeof(double));
            char mod[32];
            for (int fi = 0; fi < KS_NFEATURES; fi++) {
                if (strcmp(ks_feature_modality(fi, mod, sizeof mod), "image") != 0) continue;
                /* sizes in px are the keyframe's, not the work's */
                if (strcmp(ks_features[fi].unit, "px") == 0) continue;
                size_t m = 0;
                for (size_t q = 0; q < nimg; q++) {
                    double v = imf[q * KS_NFEATURES + fi];
                    if (!isnan(v)) col[m++] = v;
                }
                if (m) r->feat[fi] = ks_median(col, m);
            }
            x_free(col);
            note_add(notes, sizeof notes, "image.* = median over shot keyframes (128 px wide)");
        } else if (img_msg[0]) {
            note_add(notes, sizeof notes, img_msg);
        }
        x_free(imf); x_free(hist); x_free(ga); x_free(gb);
    }

    /* ---- soundtrack ---- */
    if (!info.has_audio) {
        note_add(notes, sizeof notes, "no audio stream: audio.* and cut_beat_share not measured");
    } else {
        ks_record ar;
        ks_audio_extra ex;
        memset(&ex, 0, sizeof ex);
        ks_record_init(&ar);
        if (lseek(in->fd, 0, SEEK_SET) < 0) { /* the audio decoder reads from the start */ }
        int e = ks_audio_analyze_ex(in, &ar, &ex);
        if (e < 0 || ar.status != KS_STATUS_OK) {
            char buf[640];
            snprintf(buf, sizeof buf, "soundtrack not measured: %s: %s",
                     ks_error_code(e < 0 ? e : ar.err), ar.err_msg);
            note_add(notes, sizeof notes, buf);
        } else {
            char mod[32];
            for (int fi = 0; fi < KS_NFEATURES; fi++)
                if (strcmp(ks_feature_modality(fi, mod, sizeof mod), "audio") == 0) r->feat[fi] = ar.feat[fi];
            if (ex.nbeats >= 4 && ns > 1) {
                double *bt = x_malloc(ex.nbeats * sizeof(double));
                memcpy(bt, ex.beats, ex.nbeats * sizeof(double));
                qsort(bt, ex.nbeats, sizeof(double), cmp_dbl);
                size_t hit = 0;
                for (size_t i = 1; i < ns; i++) {
                    double tb = shot_s[i] - t0;
                    size_t lo = 0, hi = ex.nbeats;
                    while (lo < hi) { size_t mid = (lo + hi) / 2; if (bt[mid] < tb) lo = mid + 1; else hi = mid; }
                    double dmin = INFINITY;
                    if (lo < ex.nbeats) dmin = fabs(bt[lo] - tb);
                    if (lo > 0 && fabs(bt[lo - 1] - tb) < dmin) dmin = fabs(bt[lo - 1] - tb);
                    if (dmin <= BEAT_WINDOW) hit++;
                }
                r->feat[KS_F_VIDEO_CUT_BEAT_SHARE] = (double)hit / (double)(ns - 1);
                x_free(bt);
            } else if (ns > 1) {
                note_add(notes, sizeof notes, "cut_beat_share: fewer than 4 beats tracked");
            }
        }
        ks_audio_extra_free(&ex);
        ks_record_clear(&ar);
    }
    if (ks_vdec_bad_packets(dec) > 0) {
        char buf[80];
        snprintf(buf, sizeof buf, "%lld corrupt packets skipped", (long long)ks_vdec_bad_packets(dec));
        note_add(notes, sizeof notes, buf);
    }
    if (notes[0]) ks_record_set_info(r, KS_I_VIDEO_NOTES, notes);
done:
    x_free(tr);
    x_free(shot_s); x_free(shot_e); x_free(shot_kind); x_free(shot_fa); x_free(shot_fb); x_free(len); x_free(desc);
    if (have_kf) kf_free(&kf);
    ks_vmeasure_del(ms);
    ks_vtrack_free(&k);
    ks_vdec_del(dec);
    return rc;
}

const char *ks_video_lib_versions(void) { return ks_vdec_versions(); }

/* Mean pairwise histogram intersection of one descriptor across records;
 * pairs are sampled when there are more than 20000. */
static void pairwise_hist(const ks_record *const *recs, size_t n, int id, size_t len,
                          struct ks_rng *g, ks_set_value *out)
{
    size_t *idx = x_malloc((n ? n : 1) * sizeof *idx), m = 0;
    for (size_t i = 0; i < n; i++)
        if (recs[i]->desc[id].n == len) idx[m++] = i;
    out->value = NAN;
    out->n = 0;
    if (m >= 2) {
        size_t pairs = m * (m - 1) / 2;
        double s = 0;
        size_t np = 0;
        if (pairs <= 20000 || !g) {
            for (size_t a = 0; a < m; a++)
                for (size_t b = a + 1; b < m; b++) {
                    s += hist_intersection(recs[idx[a]]->desc[id].v, recs[idx[b]]->desc[id].v, len);
                    np++;
                }
        } else {
            for (np = 0; np < 20000;) {
                size_t a = ks_rng_below(g, m), b = ks_rng_below(g, m);
                if (a == b) continue;
                s += hist_intersection(recs[idx[a]]->desc[id].v, recs[idx[b]]->desc[id].v, len);
                np++;
            }
            snprintf(out->note, sizeof out->note, "pairs sampled: 20000 of %zu", pairs);
        }
        out->value = s / (double)np;
        out->n = (int64_t)np;
    }
    x_free(idx);
}

int ks_video_set_metrics(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out)
{
    pairwise_hist(recs, n, KS_D_VIDEO_SHOT_HIST, 20, g, &out[KS_S_VIDEO_SHOTLEN_SIM]);
    pairwise_hist(recs, n, KS_D_VIDEO_PALETTE, 64, g, &out[KS_S_VIDEO_PALETTE_SIM]);
    return 0;
}
