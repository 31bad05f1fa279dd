/* text.c - placeholder until the text analyzer lands: every input is reported
 * as unsupported, never as a fake measurement. */
#include "text.h"

int ks_text_analyze(const ks_input *in, ks_record *r)
{
    (void)in;
    return ks_record_fail(r, KS_E_UNSUPPORTED, "the text analyzer is not built yet");
}

const char *ks_text_lib_versions(void) { return ""; }

int ks_text_set_metrics(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out)
{
    (void)recs; (void)n; (void)g; (void)out;
    return 0;
}
