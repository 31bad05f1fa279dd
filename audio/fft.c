/* fft.c - the only file of kitsch that touches FFTW: Hann-windowed magnitude
 * spectra for chroma, timbre, novelty and melody salience. */
#include "audio_int.h"

#include <fftw3.h>
#include <stdlib.h>
#include <string.h>

struct ks_stft {
    int nfft;
    float *in, *win;
    fftwf_complex *out;
    fftwf_plan plan;
};

ks_stft *ks_stft_new(int nfft)
{
    ks_stft *s = x_calloc(1, sizeof *s);
    s->nfft = nfft;
    s->in = fftwf_malloc(sizeof(float) * (size_t)nfft);
    s->out = fftwf_malloc(sizeof(fftwf_complex) * (size_t)(nfft / 2 + 1));
    if (!s->in || !s->out)
        abort();
    s->win = x_malloc(sizeof(float) * (size_t)nfft);
    for (int i = 0; i < nfft; i++)
        s->win[i] = (float)(0.5 - 0.5 * cos(2 * KS_PI * i / nfft)); /* periodic Hann */
    /* FFTW_ESTIMATE: planning must not take longer than analysing a song. */
    s->plan = fftwf_plan_dft_r2c_1d(nfft, s->in, s->out, FFTW_ESTIMATE);
    return s;
}

void ks_stft_del(ks_stft *s)
{
    if (!s)
        return;
    fftwf_destroy_plan(s->plan);
    fftwf_free(s->in);
    fftwf_free(s->out);
    x_free(s->win);
    x_free(s);
}

void ks_stft_mag(ks_stft *s, const float *frame, float *mag)
{
    for (int i = 0; i < s->nfft; i++)
        s->in[i] = frame[i] * s->win[i];
    fftwf_execute(s->plan);
    for (int k = 0; k <= s->nfft / 2; k++)
        mag[k] = sqrtf(s->out[k][0] * s->out[k][0] + s->out[k][1] * s->out[k][1]);
}

const char *ks_fft_version(void) { return fftwf_version; }
