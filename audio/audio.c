/* audio.c - placeholder until the audio analyzer lands: every input is reported
 * as unsupported, never as a fake measurement. */
#include "audio.h"

int ks_audio_analyze(const ks_input *in, ks_record *r)
{
    (void)in;
    return ks_record_fail(r, KS_E_UNSUPPORTED, "the audio analyzer is not built yet");
}

const char *ks_audio_lib_versions(void) { return ""; }

int ks_audio_set_metrics(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out)
{
    (void)recs; (void)n; (void)g; (void)out;
    return 0;
}
