/* style.c - placeholder for issue 3's style measures. */
#include "textint.h"

int ks_text_measure_style(const ks_tdoc *d, const ks_options *opt, ks_record *r)
{
    (void)d; (void)opt; (void)r;
    return 0;
}
