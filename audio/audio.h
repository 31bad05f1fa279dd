/* audio.h - the audio analyzer's public entry points. */
#ifndef KITSCH_AUDIO_H
#define KITSCH_AUDIO_H

#include "kitsch.h"
#include "melody.h"

/* Analyze one audio input; fills r (features, descriptors, info) or marks it
 * failed. Returns 0 or a negative KS_E_* code. Never prints, never exits.
 * For a video file the best audio stream is analysed (KS_E_NO_STREAM if none). */
int ks_audio_analyze(const ks_input *in, ks_record *r);

/* Series the record does not carry, for callers that need them (the video
 * analyzer's cut/beat alignment, `kitsch notes`). Caller frees with
 * ks_audio_extra_free. */
typedef struct ks_audio_extra {
    double *beats;   /* beat times, seconds from the start of the audio */
    size_t nbeats;
    ks_note *notes;  /* transcribed melody notes */
    size_t nnotes;
    int melody_path; /* 0 monophonic (yinfft), 1 predominant (salience) */
} ks_audio_extra;
/* ks_audio_analyze that also returns the beat times and notes (extra may be
 * NULL). On failure extra is left empty. */
int ks_audio_analyze_ex(const ks_input *in, ks_record *r, ks_audio_extra *extra);
void ks_audio_extra_free(ks_audio_extra *x);

/* Versions of the third-party libraries this analyzer uses, for --version. */
const char *ks_audio_lib_versions(void);
/* Set-level measures of this modality (see ks_set_fn in kitsch.h). */
int ks_audio_set_metrics(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out);

#endif
