/* audio.h - the audio analyzer's public entry points. */
#ifndef KITSCH_AUDIO_H
#define KITSCH_AUDIO_H

#include "kitsch.h"

/* Analyze one audio input; fills r (features, descriptors, info) or marks it
 * failed. Returns 0 or a negative KS_E_* code. Never prints, never exits. */
int ks_audio_analyze(const ks_input *in, ks_record *r);
/* Versions of the third-party libraries this analyzer uses, for --version. */
const char *ks_audio_lib_versions(void);
/* Set-level measures of this modality (see ks_set_fn in kitsch.h). */
int ks_audio_set_metrics(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out);

#endif
