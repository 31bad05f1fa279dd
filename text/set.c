/* set.c - set-level homogeneity (issue 3); not built yet: measures nothing. */
#include "text.h"

int ks_text_set_metrics(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out)
{
    (void)recs; (void)n; (void)g; (void)out;
    return 0;
}
