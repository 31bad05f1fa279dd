/* fuzz_profile.c - libFuzzer harness for the profile reader (profile.c):
 * ks_profile_parse on arbitrary text; a parsed profile must survive
 * dump -> parse, and its quantile lookups must not fault. */
#include "fuzz_common.h"
#include "profile.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ks_profile *p = NULL, *q = NULL;
    char err[200];
    if (ks_profile_parse((const char *)data, size, &p, err, sizeof err) == 0 && p) {
        for (int i = 0; i < KS_NFEATURES; i++) {
            (void)ks_profile_cdf(&p->feat[i], 0.5);
            (void)ks_profile_cdf(&p->feat[i], p->feat[i].median);
        }
        double feat[KS_NFEATURES];
        for (int i = 0; i < KS_NFEATURES; i++)
            feat[i] = NAN;
        (void)ks_profile_model_predict(p, feat);
        char *text = ks_profile_dump(p);
        if (ks_profile_parse(text, strlen(text), &q, err, sizeof err) != 0)
            abort(); /* the writer wrote something its reader refuses */
        x_free(text);
    }
    ks_profile_del(p);
    ks_profile_del(q);
    return 0;
}
