#define _POSIX_C_SOURCE 200809L
/* test_stats_scipy.c - Mann-Whitney, Wilcoxon and AUROC checked against an
 * independent implementation (python3-scipy, Debian) on fixed inputs, to 1e-9
 * relative. Skips (77) when /usr/bin/python3 has no scipy. */
#include "ktest.h"
#include "stats.h"
#include <stdio.h>
#include <stdlib.h>

#define REL(want, got) KT_NEAR((want), (got), 1e-9 * fabs(want) + 1e-300)

static void print_arr(FILE *f, const char *name, const double *v, size_t n)
{
    fprintf(f, "%s = [", name);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%.17g", i ? ", " : "", v[i]);
    fprintf(f, "]\n");
}

int main(void)
{
    if (system("/usr/bin/python3 -c 'import scipy.stats' 2>/dev/null") != 0) {
        fprintf(stderr, "python3-scipy not installed: skipped\n");
        return 77;
    }
    /* fixed inputs: a continuous pair, a heavily tied pair, and paired diffs
     * with zeros and tied magnitudes */
    enum { NA = 37, NB = 53, NT = 40, ND = 61 };
    double a[NA], b[NB], ta[NT], tb[NT], d[ND];
    ks_rng g;
    ks_rng_seed(&g, 12345);
    for (int i = 0; i < NA; i++) a[i] = ks_rng_uniform(&g) * 10;
    for (int i = 0; i < NB; i++) b[i] = ks_rng_uniform(&g) * 10 + 1.5;
    for (int i = 0; i < NT; i++) { ta[i] = (double)ks_rng_below(&g, 5); tb[i] = (double)ks_rng_below(&g, 6); }
    for (int i = 0; i < ND; i++) d[i] = (double)((int)ks_rng_below(&g, 9) - 3) * 0.5;

    char path[] = "/tmp/ks_scipy_XXXXXX";
    int fd = mkstemp(path);
    KT_TRUE(fd >= 0);
    FILE *f = fdopen(fd, "w");
    print_arr(f, "a", a, NA);
    print_arr(f, "b", b, NB);
    print_arr(f, "ta", ta, NT);
    print_arr(f, "tb", tb, NT);
    print_arr(f, "d", d, ND);
    fputs("from scipy import stats\n"
          "def mw(x, y):\n"
          "    r = stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic', use_continuity=True)\n"
          "    print(repr(float(r.statistic)), repr(float(r.pvalue)), repr(float(len(x)*len(y)-r.statistic)/(len(x)*len(y))))\n"
          "mw(a, b); mw(ta, tb); mw(b, a)\n"
          "w = stats.wilcoxon(d, zero_method='wilcox', correction=False, method='approx')\n"
          "print(repr(float(w.statistic)), repr(float(w.pvalue)))\n", f);
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s", path);
    FILE *p = popen(cmd, "r");
    double ref[11];
    int got = 0;
    for (int i = 0; i < 11; i++)
        got += fscanf(p, "%lf", &ref[i]) == 1;
    pclose(p);
    remove(path);
    KT_EQ_INT(11, got);

    ks_mwu m;
    ks_mann_whitney(a, NA, b, NB, &m);
    REL(ref[0], m.u); REL(ref[1], m.p); REL(ref[2], m.auroc);
    ks_mann_whitney(ta, NT, tb, NT, &m);
    REL(ref[3], m.u); REL(ref[4], m.p); REL(ref[5], m.auroc);
    ks_mann_whitney(b, NB, a, NA, &m);
    REL(ref[6], m.u); REL(ref[7], m.p); REL(ref[8], m.auroc);
    ks_wilcoxon w;
    ks_wilcoxon_signed_rank(d, ND, &w);
    REL(ref[9], w.t); REL(ref[10], w.p);

    /* AUROC via labels equals the Mann-Whitney one (scipy-derived ref[2]) */
    double sc[NA + NB];
    int lb[NA + NB];
    for (int i = 0; i < NA; i++) { sc[i] = a[i]; lb[i] = 0; }
    for (int i = 0; i < NB; i++) { sc[NA + i] = b[i]; lb[NA + i] = 1; }
    REL(ref[2], ks_auroc(sc, lb, NA + NB));
    return kt_done();
}
