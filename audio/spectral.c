/* spectral.c - frame-level features from the FFTW magnitude spectrum:
 * chroma (Fujishima 1999; Bartsch & Wakefield 2005), a cepstral timbre
 * summary (MFCC-like: DCT of log energies in log-spaced bands, Logan 2000)
 * and energy. */
#include "audio_int.h"

#include <string.h>

#define NBANDS 24
#define CHROMA_LO 65.0
#define CHROMA_HI 2100.0
#define BAND_LO 60.0
#define BAND_HI 10000.0

void ks_spec_compute(const float *x, size_t n, int rate, int nfft, int hop, ks_spec *s)
{
    memset(s, 0, sizeof *s);
    s->nfft = nfft;
    s->hop = hop;
    s->rate = rate;
    s->frame_s = (double)hop / rate;
    size_t nf = n / (size_t)hop + 1;
    s->nframes = nf;
    s->chroma = x_calloc(nf * 12, sizeof(float));
    s->timbre = x_calloc(nf * KS_NTIMBRE, sizeof(float));
    s->energy = x_calloc(nf, sizeof(float));
    int nb = nfft / 2 + 1;
    /* Bins of each pitch class (ascending) and the bin range of each band:
     * each sum runs over its own bins in ascending order, as one pass over
     * the spectrum would, but in a register rather than through memory. */
    int *pcbin = x_malloc((size_t)nb * sizeof(int)), pcstart[13] = {0};
    int blo[NBANDS], bhi[NBANDS];
    for (int b = 0; b < NBANDS; b++)
        blo[b] = bhi[b] = 0;
    int npc[12] = {0};
    for (int k = 0; k < nb; k++) {
        double f = (double)k * rate / nfft;
        if (f >= CHROMA_LO && f <= CHROMA_HI) {
            long m = lround(69 + 12 * log2(f / 440));
            npc[((m % 12) + 12) % 12]++;
        }
        if (f >= BAND_LO && f < BAND_HI && f < rate / 2.0) {
            int b = (int)(NBANDS * log(f / BAND_LO) / log(BAND_HI / BAND_LO));
            if (bhi[b] == 0)
                blo[b] = k;
            bhi[b] = k + 1;
        }
    }
    for (int c = 0; c < 12; c++)
        pcstart[c + 1] = pcstart[c] + npc[c];
    int fill[12];
    memcpy(fill, pcstart, sizeof fill);
    for (int k = 0; k < nb; k++) {
        double f = (double)k * rate / nfft;
        if (f >= CHROMA_LO && f <= CHROMA_HI) {
            long m = lround(69 + 12 * log2(f / 440));
            pcbin[fill[((m % 12) + 12) % 12]++] = k;
        }
    }
    ks_stft *st = ks_stft_new(nfft);
    float *frame = x_malloc((size_t)nfft * sizeof(float));
    float *mag = x_malloc((size_t)nb * sizeof(float));
    double be[NBANDS], lb[NBANDS], dct[KS_NTIMBRE][NBANDS];
    for (int c = 1; c <= KS_NTIMBRE; c++)
        for (int b = 0; b < NBANDS; b++)
            dct[c - 1][b] = cos(KS_PI * c * (b + 0.5) / NBANDS) * sqrt(2.0 / NBANDS);
    for (size_t i = 0; i < nf; i++) {
        long beg = (long)(i * (size_t)hop) - nfft / 2; /* frame centred on i*hop */
        double e = 0;
        if (beg >= 0 && (size_t)beg + (size_t)nfft <= n) {
            memcpy(frame, x + beg, (size_t)nfft * sizeof(float));
        } else {
            for (int k = 0; k < nfft; k++) {
                long p = beg + k;
                frame[k] = p >= 0 && (size_t)p < n ? x[p] : 0;
            }
        }
        for (int k = 0; k < nfft; k++)
            e += (double)frame[k] * frame[k];
        s->energy[i] = (float)(e / nfft);
        ks_stft_mag(st, frame, mag);
        for (int c = 0; c < 12; c++) {
            float v = 0;
            for (int j = pcstart[c]; j < pcstart[c + 1]; j++) {
                int k = pcbin[j];
                v += (float)((double)mag[k] * mag[k]);
            }
            s->chroma[i * 12 + (size_t)c] = v;
        }
        for (int b = 0; b < NBANDS; b++) {
            double v = 0;
            for (int k = blo[b]; k < bhi[b]; k++)
                v += (double)mag[k] * mag[k];
            be[b] = v;
        }
        for (int b = 0; b < NBANDS; b++)
            lb[b] = log(be[b] + 1e-10);
        for (int c = 1; c <= KS_NTIMBRE; c++) {
            double v = 0;
            for (int b = 0; b < NBANDS; b++)
                v += lb[b] * dct[c - 1][b];
            s->timbre[i * KS_NTIMBRE + (size_t)(c - 1)] = (float)v;
        }
    }
    ks_stft_del(st);
    x_free(frame);
    x_free(mag);
    x_free(pcbin);
}

void ks_spec_free(ks_spec *s)
{
    if (!s)
        return;
    x_free(s->chroma);
    x_free(s->timbre);
    x_free(s->energy);
    memset(s, 0, sizeof *s);
}
