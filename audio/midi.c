/* midi.c - Standard MIDI File reader (format 0/1) for `kitsch melody`.
 * Spec: MIDI Manufacturers Association, "Standard MIDI Files 1.0" (1996). */
#include "midi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ev {
    uint64_t tick;
    uint32_t order;     /* file order, keeps sorting stable */
    int kind;           /* 0 note off, 1 note on, 2 tempo */
    int chan, pitch;
    uint32_t tempo;     /* microseconds per quarter note */
} ev;

typedef struct evbuf {
    ev *v;
    size_t n, cap;
} evbuf;

static void push(evbuf *b, ev e)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 256;
        b->v = x_realloc(b->v, b->cap * sizeof *b->v);
    }
    e.order = (uint32_t)b->n;
    b->v[b->n++] = e;
}

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* Variable-length quantity: at most 4 bytes (28 bits). */
static int vlq(const unsigned char *p, size_t len, size_t *pos, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        if (*pos >= len)
            return -1;
        unsigned char c = p[(*pos)++];
        v = (v << 7) | (c & 0x7f);
        if (!(c & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -2;
}

static int cmp_ev(const void *a, const void *b)
{
    const ev *x = a, *y = b;
    if (x->tick != y->tick)
        return x->tick < y->tick ? -1 : 1;
    /* At equal ticks: tempo first, then offs before ons (a repeated note
     * ends before it starts again), then file order. */
    int kx = x->kind == 2 ? -1 : x->kind, ky = y->kind == 2 ? -1 : y->kind;
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_note(const void *a, const void *b)
{
    const ks_note *x = a, *y = b;
    if (x->onset_s != y->onset_s)
        return x->onset_s < y->onset_s ? -1 : 1;
    return y->pitch - x->pitch;
}

static int parse_track(const unsigned char *p, size_t len, int channel, evbuf *b,
                       uint64_t *end_tick, char *err, size_t errlen)
{
    size_t pos = 0;
    uint64_t tick = 0;
    int status = 0;
    while (pos < len) {
        uint32_t delta;
        if (vlq(p, len, &pos, &delta) < 0)
            return ks_errf(err, errlen, KS_E_TRUNCATED, "MIDI track: bad or truncated delta time at byte %zu", pos);
        tick += delta;
        if (pos >= len)
            return ks_errf(err, errlen, KS_E_TRUNCATED, "MIDI track: event missing after delta time");
        unsigned char c = p[pos];
        if (c & 0x80) {
            pos++;
            if (c < 0xF0)
                status = c;          /* running status applies to channel messages only */
        } else if (!status) {
            return ks_errf(err, errlen, KS_E_DECODE, "MIDI track: data byte 0x%02x without a status (running status unset)", c);
        } else {
            c = (unsigned char)status;
        }
        if (c == 0xFF) {
            if (pos >= len)
                return ks_errf(err, errlen, KS_E_TRUNCATED, "MIDI track: truncated meta event");
            int type = p[pos++];
            uint32_t l;
            if (vlq(p, len, &pos, &l) < 0 || l > len - pos)
                return ks_errf(err, errlen, KS_E_TRUNCATED, "MIDI track: meta event 0x%02x runs past the track", type);
            if (type == 0x51 && l == 3) {
                ev e = {.tick = tick, .kind = 2, .tempo = (uint32_t)p[pos] << 16 | (uint32_t)p[pos + 1] << 8 | p[pos + 2]};
                if (e.tempo > 0)
                    push(b, e);
            }
            pos += l;
            if (type == 0x2F)
                break;
            status = 0;
        } else if (c == 0xF0 || c == 0xF7) {
            uint32_t l;
            if (vlq(p, len, &pos, &l) < 0 || l > len - pos)
                return ks_errf(err, errlen, KS_E_TRUNCATED, "MIDI track: sysex runs past the track");
            pos += l;
            status = 0;
        } else if (c >= 0xF0) {
            return ks_errf(err, errlen, KS_E_DECODE, "MIDI track: system message 0x%02x is not allowed in a file", c);
        } else {
            int hi = c & 0xF0, ch = c & 0x0F;
            size_t nd = (hi == 0xC0 || hi == 0xD0) ? 1 : 2;
            if (nd > len - pos)
                return ks_errf(err, errlen, KS_E_TRUNCATED, "MIDI track: channel message cut short");
            int d1 = p[pos] & 0x7f, d2 = nd == 2 ? (p[pos + 1] & 0x7f) : 0;
            pos += nd;
            int want = channel < 0 ? ch != 9 : ch == channel;
            if (want && (hi == 0x90 || hi == 0x80)) {
                if (b->n >= 4 * (size_t)KS_MIDI_MAX_NOTES)
                    return ks_errf(err, errlen, KS_E_LIMIT, "MIDI: more than %d notes", KS_MIDI_MAX_NOTES);
                ev e = {.tick = tick, .kind = (hi == 0x90 && d2 > 0) ? 1 : 0, .chan = ch, .pitch = d1};
                push(b, e);
            }
        }
    }
    if (tick > *end_tick)
        *end_tick = tick;
    return 0;
}

int ks_midi_read(const unsigned char *buf, size_t len, int channel,
                 ks_note **notes, size_t *n, char *err, size_t errlen)
{
    evbuf b = {0};
    ks_note *out = NULL;
    size_t nout = 0, cap = 0;
    int rc = 0;
    uint64_t end_tick = 0;
    /* Open notes: per channel and pitch, a FIFO of note-on event indices (a pitch
     * struck twice before its off pairs first-on with first-off). */
    uint64_t *open_ev = NULL;
    int *open_n = NULL;
    enum { DEPTH = 8 };
    *notes = NULL;
    *n = 0;
    if (len < 14 || memcmp(buf, "MThd", 4) != 0) {
        rc = ks_errf(err, errlen, KS_E_FORMAT, "not a Standard MIDI File (no MThd header)");
        goto done;
    }
    uint32_t hlen = be32(buf + 4);
    /* The header chunk is 6 bytes in every SMF; a wild length is a corrupt
     * header, a plausible one running past the end is a cut file. */
    if (hlen < 6 || hlen > 4096) {
        rc = ks_errf(err, errlen, KS_E_DECODE, "MIDI header length %u is invalid", (unsigned)hlen);
        goto done;
    }
    if (hlen > len - 8) {
        rc = ks_errf(err, errlen, KS_E_TRUNCATED, "MIDI header runs past the end of the file");
        goto done;
    }
    int format = buf[8] << 8 | buf[9];
    int ntrk = buf[10] << 8 | buf[11];
    int division = buf[12] << 8 | buf[13];
    if (format > 1) {
        rc = ks_errf(err, errlen, KS_E_FORMAT, "MIDI format %d (independent sequences) is not supported; formats 0 and 1 are", format);
        goto done;
    }
    double sec_per_tick_smpte = 0.0;
    if (division & 0x8000) {
        int fps = -(int)(signed char)(division >> 8), tpf = division & 0xff;
        if (fps <= 0 || tpf == 0) {
            rc = ks_errf(err, errlen, KS_E_DECODE, "MIDI SMPTE division is invalid");
            goto done;
        }
        sec_per_tick_smpte = 1.0 / ((fps == 29 ? 29.97 : fps) * tpf);
    } else if (division == 0) {
        rc = ks_errf(err, errlen, KS_E_DECODE, "MIDI division is zero");
        goto done;
    }
    size_t pos = 8 + hlen;
    int tracks = 0;
    while (pos + 8 <= len && tracks < ntrk) {
        uint32_t clen = be32(buf + pos + 4);
        int is_trk = memcmp(buf + pos, "MTrk", 4) == 0;
        pos += 8;
        if (clen > len - pos) {
            if (!is_trk) {
                rc = ks_errf(err, errlen, KS_E_TRUNCATED, "MIDI chunk runs past the end of the file");
                goto done;
            }
            clen = (uint32_t)(len - pos); /* a cut last track: read what is there */
        }
        if (is_trk) {
            rc = parse_track(buf + pos, clen, channel, &b, &end_tick, err, errlen);
            if (rc < 0)
                goto done;
            tracks++;
        }
        pos += clen;
    }
    if (tracks == 0) {
        rc = ks_errf(err, errlen, KS_E_TRUNCATED, "MIDI file has no track");
        goto done;
    }
    if (b.n)
        qsort(b.v, b.n, sizeof *b.v, cmp_ev);

    /* Tempo map: seconds = piecewise linear in ticks; default 120 bpm. */
    open_ev = x_malloc(16 * 128 * DEPTH * sizeof *open_ev);
    open_n = x_calloc(16 * 128, sizeof *open_n);
    double sec = 0.0, spt = sec_per_tick_smpte ? sec_per_tick_smpte : 500000e-6 / division;
    uint64_t last = 0;
    double *tick_sec = NULL; /* seconds of each event, filled as we go */
    tick_sec = x_malloc((b.n + 1) * sizeof *tick_sec);
    for (size_t i = 0; i < b.n; i++) {
        sec += (double)(b.v[i].tick - last) * spt;
        last = b.v[i].tick;
        tick_sec[i] = sec;
        if (b.v[i].kind == 2) {
            if (!sec_per_tick_smpte)
                spt = b.v[i].tempo * 1e-6 / division;
            continue;
        }
        int key = b.v[i].chan * 128 + b.v[i].pitch;
        if (b.v[i].kind == 1) {
            if (open_n[key] < DEPTH)
                open_ev[key * DEPTH + open_n[key]++] = i;
            continue;
        }
        if (open_n[key] == 0)
            continue; /* an off without an on */
        size_t on = (size_t)open_ev[key * DEPTH];
        memmove(&open_ev[key * DEPTH], &open_ev[key * DEPTH + 1], (size_t)(--open_n[key]) * sizeof *open_ev);
        if (nout == cap) {
            cap = cap ? 2 * cap : 256;
            out = x_realloc(out, cap * sizeof *out);
        }
        out[nout++] = (ks_note){tick_sec[on], sec - tick_sec[on], b.v[on].pitch, 1.0};
    }
    /* Notes never switched off end with the last event of the file. */
    double end_sec = sec + (double)(end_tick > last ? end_tick - last : 0) * spt;
    for (int key = 0; key < 16 * 128; key++)
        for (int j = 0; j < open_n[key]; j++) {
            size_t on = (size_t)open_ev[key * DEPTH + j];
            if (nout == cap) {
                cap = cap ? 2 * cap : 256;
                out = x_realloc(out, cap * sizeof *out);
            }
            out[nout++] = (ks_note){tick_sec[on], end_sec - tick_sec[on], b.v[on].pitch, 1.0};
        }
    x_free(tick_sec);
    if (nout)
        qsort(out, nout, sizeof *out, cmp_note);
    *notes = out;
    *n = nout;
    out = NULL;
done:
    x_free(out);
    x_free(b.v);
    x_free(open_ev);
    x_free(open_n);
    return rc;
}

size_t ks_midi_skyline(ks_note *notes, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1, best = i;
        while (j < n && notes[j].onset_s - notes[i].onset_s < 0.010) {
            if (notes[j].pitch > notes[best].pitch)
                best = j;
            j++;
        }
        notes[w++] = notes[best];
        i = j;
    }
    return w;
}

int ks_midi_analyze(const ks_input *in, ks_record *r)
{
    char *buf = NULL, err[200];
    size_t len = 0, n = 0;
    ks_note *notes = NULL;
    int rc = ks_read_all(in, in->opt->max_file_bytes, &buf, &len, r);
    if (rc < 0)
        goto done;
    rc = ks_midi_read((const unsigned char *)buf, len, -1, &notes, &n, err, sizeof err);
    if (rc < 0) {
        rc = ks_record_fail(r, rc, "%s", err);
        goto done;
    }
    n = ks_midi_skyline(notes, n);
    if (n < KS_MELODY_MIN_NOTES) {
        rc = ks_record_fail(r, KS_E_TOO_SHORT, "MIDI: %zu melody notes; at least %d are needed", n, KS_MELODY_MIN_NOTES);
        goto done;
    }
    rc = ks_melody_measure(notes, n, r);
done:
    x_free(notes);
    x_free(buf);
    return rc;
}
