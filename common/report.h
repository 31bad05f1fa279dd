/* report.h - self-contained HTML reports (inline SVG and CSS, no JavaScript,
 * no network). Every number shown also sits in a data-v attribute with 17
 * significant digits, so tests can check the page against the JSON output. */
#ifndef KITSCH_REPORT_H
#define KITSCH_REPORT_H

#include "aggregate.h"

char *ks_report_compare(const ks_cmp_result *c, const ks_sample *a, const ks_sample *b, const char *la,
                        const char *lb);

typedef struct ks_report_work {
    char *path;
    double score;
    char reasons[3][320];
    int nreasons;
} ks_report_work;
/* works: the most and least kitsch works kept by the caller (any order). */
char *ks_report_score(const ks_report_work *works, size_t n, int64_t total, const char *profile_label);

/* s: the summary measured by ks_set_measure (groups in the same order as
 * res); used for image thumbnails (most and least typical by layout-grid
 * cosine to the rest of the set) and video shot timelines. May be NULL. */
char *ks_report_set(const ks_set_group_result *res, size_t ng, size_t n_used, const ks_summary *s);

#endif
