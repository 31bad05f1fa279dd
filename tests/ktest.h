/* ktest.h - a minimal test harness: checks print file:line and the values,
 * count failures, and the test exits non-zero if any failed.
 *
 *     #include "ktest.h"
 *     int main(void) {
 *         KT_NEAR(0.5, f(), 1e-9);
 *         KT_TRUE(g() < h());
 *         return kt_done();
 *     }
 */
#ifndef KTEST_H
#define KTEST_H
#include <math.h>
#include <stdio.h>
#include <string.h>

static int kt_fail_count, kt_check_count;

#define KT_TRUE(c) do { kt_check_count++; if (!(c)) { kt_fail_count++; \
    fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #c); } } while (0)
#define KT_EQ_INT(want, got) do { long long w_ = (long long)(want), g_ = (long long)(got); \
    kt_check_count++; if (w_ != g_) { kt_fail_count++; \
    fprintf(stderr, "%s:%d: FAILED: %s == %s (want %lld, got %lld)\n", __FILE__, __LINE__, #want, #got, w_, g_); } } while (0)
#define KT_NEAR(want, got, tol) do { double w_ = (want), g_ = (got); kt_check_count++; \
    if (!(fabs(w_ - g_) <= (tol))) { kt_fail_count++; \
    fprintf(stderr, "%s:%d: FAILED: %s ~ %s (want %.10g, got %.10g, tol %g)\n", __FILE__, __LINE__, #want, #got, w_, g_, (double)(tol)); } } while (0)
#define KT_STR(want, got) do { const char *w_ = (want), *g_ = (got); kt_check_count++; \
    if (!g_ || strcmp(w_, g_) != 0) { kt_fail_count++; \
    fprintf(stderr, "%s:%d: FAILED: %s == %s (want \"%s\", got \"%s\")\n", __FILE__, __LINE__, #want, #got, w_, g_ ? g_ : "(null)"); } } while (0)
#define KT_NAN(got) do { double g_ = (got); kt_check_count++; if (!isnan(g_)) { kt_fail_count++; \
    fprintf(stderr, "%s:%d: FAILED: %s is NaN (got %.10g)\n", __FILE__, __LINE__, #got, g_); } } while (0)

static inline int kt_done(void)
{
    fprintf(stderr, "%d checks, %d failed\n", kt_check_count, kt_fail_count);
    return kt_fail_count ? 1 : (kt_check_count ? 0 : 1); /* a test with no checks fails */
}
#endif
