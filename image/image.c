/* image.c - placeholder until the image analyzer lands: every input is reported
 * as unsupported, never as a fake measurement. */
#include "image.h"

int ks_image_analyze(const ks_input *in, ks_record *r)
{
    (void)in;
    return ks_record_fail(r, KS_E_UNSUPPORTED, "the image analyzer is not built yet");
}

const char *ks_image_lib_versions(void) { return ""; }

int ks_image_set_metrics(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out)
{
    (void)recs; (void)n; (void)g; (void)out;
    return 0;
}

int ks_image_analyze_rgb(const unsigned char *rgb, int w, int h, int stride, ks_record *r)
{
    (void)rgb; (void)w; (void)h; (void)stride;
    return ks_record_fail(r, KS_E_UNSUPPORTED, "the image analyzer is not built yet");
}
