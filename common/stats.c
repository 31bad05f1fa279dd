/* stats.c - rank statistics, effect sizes and logistic regression for the
 * aggregator. Formulas follow the published definitions and scipy's
 * implementation choices (stated per function) so results can be checked
 * against python3-scipy to 1e-9 relative (tests/test_stats_scipy.c). */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ixval { double v; size_t i; } ixval;

static int cmp_ixval(const void *a, const void *b)
{
    const ixval *x = a, *y = b;
    if (x->v < y->v) return -1;
    if (x->v > y->v) return 1;
    return (x->i > y->i) - (x->i < y->i); /* stable: deterministic */
}

double ks_rank_average(const double *x, size_t n, double *rank)
{
    ixval *s = x_malloc((n ? n : 1) * sizeof *s);
    double tie = 0;
    for (size_t i = 0; i < n; i++) {
        s[i].v = x[i];
        s[i].i = i;
    }
    qsort(s, n, sizeof *s, cmp_ixval);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && s[j].v == s[i].v)
            j++;
        /* ranks i+1 .. j share their average */
        double avg = 0.5 * ((double)(i + 1) + (double)j);
        for (size_t k = i; k < j; k++)
            rank[s[k].i] = avg;
        double t = (double)(j - i);
        tie += t * t * t - t;
        i = j;
    }
    x_free(s);
    return tie;
}

double ks_norm_sf(double z)
{
    return 0.5 * erfc(z / sqrt(2.0));
}

/* Mann & Whitney 1947; tie-corrected variance (Lehmann 1975), continuity
 * correction 0.5, two-sided p = 2 * sf((max(U1,U2) - mu - 0.5) / s), exactly
 * as scipy.stats.mannwhitneyu(method="asymptotic"). */
int ks_mann_whitney(const double *a, size_t na, const double *b, size_t nb, ks_mwu *out)
{
    out->u = out->z = out->p = out->auroc = out->delta = NAN;
    if (na == 0 || nb == 0)
        return KS_E_TOO_SHORT;
    size_t n = na + nb;
    double *x = x_malloc(n * sizeof *x), *r = x_malloc(n * sizeof *r);
    memcpy(x, a, na * sizeof *x);
    memcpy(x + na, b, nb * sizeof *x);
    double tie = ks_rank_average(x, n, r);
    double r1 = 0;
    for (size_t i = 0; i < na; i++)
        r1 += r[i];
    double n1 = (double)na, n2 = (double)nb, nn = (double)n;
    double u1 = r1 - n1 * (n1 + 1) / 2, u2 = n1 * n2 - u1;
    out->u = u1;
    out->auroc = u2 / (n1 * n2);
    out->delta = 2 * out->auroc - 1;
    double mu = n1 * n2 / 2;
    double s = sqrt(n1 * n2 / 12 * ((nn + 1) - (n > 1 ? tie / (nn * (nn - 1)) : 0)));
    double umax = u1 > u2 ? u1 : u2;
    if (s > 0) {
        double zabs = (umax - mu - 0.5) / s;
        out->p = 2 * ks_norm_sf(zabs);
        if (out->p > 1)
            out->p = 1;
        out->z = (u2 >= u1 ? 1 : -1) * fabs((umax - mu) / s);
    } else {
        out->p = 1; /* every value tied: no evidence either way */
        out->z = 0;
    }
    x_free(x);
    x_free(r);
    return 0;
}

/* Wilcoxon 1945 signed-rank test; zeros dropped (Wilcoxon's method), normal
 * approximation with the tie correction of the variance, no continuity
 * correction: scipy.stats.wilcoxon(d, method="approx") defaults. */
int ks_wilcoxon_signed_rank(const double *d, size_t n, ks_wilcoxon *out)
{
    out->t = out->wplus = out->z = out->p = NAN;
    out->n_used = 0;
    double *nz = x_malloc((n ? n : 1) * sizeof *nz), *ab = x_malloc((n ? n : 1) * sizeof *ab);
    double *r = x_malloc((n ? n : 1) * sizeof *r);
    size_t m = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i] != 0) {
            nz[m] = d[i];
            ab[m] = fabs(d[i]);
            m++;
        }
    out->n_used = m;
    if (m == 0) {
        rc = KS_E_TOO_SHORT;
        goto done;
    }
    double tie = ks_rank_average(ab, m, r);
    double wp = 0, wm = 0;
    for (size_t i = 0; i < m; i++) {
        if (nz[i] > 0)
            wp += r[i];
        else
            wm += r[i];
    }
    double c = (double)m;
    double mn = c * (c + 1) * 0.25;
    double se = c * (c + 1) * (2 * c + 1) - 0.5 * tie;
    se = sqrt(se / 24);
    out->wplus = wp;
    out->t = wp < wm ? wp : wm;
    if (se > 0) {
        double z = (out->t - mn) / se;
        out->p = 2 * ks_norm_sf(fabs(z));
        if (out->p > 1)
            out->p = 1;
        out->z = (wp >= wm ? 1 : -1) * fabs(z);
    }
done:
    x_free(nz);
    x_free(ab);
    x_free(r);
    return rc;
}

/* Weighted AUROC over values sorted ascending with labels (1 = b): one sweep
 * over tie groups. wa/wb are the resampling multiplicities. */
static double weighted_auc(const ixval *s, size_t n, const double *w, double na, double nb)
{
    double below_a = 0, sum = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double ga = 0, gb = 0;
        while (j < n && s[j].v == s[i].v) {
            /* s[j].i encodes label in its lowest bit, index above */
            if (s[j].i & 1)
                gb += w[j];
            else
                ga += w[j];
            j++;
        }
        sum += gb * (below_a + 0.5 * ga);
        below_a += ga;
        i = j;
    }
    return sum / (na * nb);
}

/* Cliff 1993's delta = P(b > a) - P(b < a) = 2 AUROC - 1; CI by the
 * percentile bootstrap (Efron & Tibshirani 1993), resampling each group. */
int ks_cliff_delta_ci(const double *a, size_t na, const double *b, size_t nb, int reps,
                      double level, ks_rng *g, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (na == 0 || nb == 0 || reps < 10)
        return KS_E_TOO_SHORT;
    size_t n = na + nb;
    ixval *s = x_malloc(n * sizeof *s);
    size_t *pos_a = x_malloc(na * sizeof *pos_a), *pos_b = x_malloc(nb * sizeof *pos_b);
    double *w = x_malloc(n * sizeof *w), *boot = x_malloc((size_t)reps * sizeof *boot);
    for (size_t i = 0; i < na; i++) {
        s[i].v = a[i];
        s[i].i = i << 1;
    }
    for (size_t i = 0; i < nb; i++) {
        s[na + i].v = b[i];
        s[na + i].i = (i << 1) | 1;
    }
    qsort(s, n, sizeof *s, cmp_ixval);
    for (size_t j = 0; j < n; j++) {
        size_t idx = s[j].i >> 1;
        if (s[j].i & 1)
            pos_b[idx] = j;
        else
            pos_a[idx] = j;
    }
    for (int rep = 0; rep < reps; rep++) {
        memset(w, 0, n * sizeof *w);
        for (size_t i = 0; i < na; i++)
            w[pos_a[ks_rng_below(g, na)]] += 1;
        for (size_t i = 0; i < nb; i++)
            w[pos_b[ks_rng_below(g, nb)]] += 1;
        boot[rep] = 2 * weighted_auc(s, n, w, (double)na, (double)nb) - 1;
    }
    qsort(boot, (size_t)reps, sizeof *boot, ks_cmp_double);
    *lo = ks_quantile_sorted(boot, (size_t)reps, (1 - level) / 2);
    *hi = ks_quantile_sorted(boot, (size_t)reps, 1 - (1 - level) / 2);
    x_free(s);
    x_free(pos_a);
    x_free(pos_b);
    x_free(w);
    x_free(boot);
    return 0;
}

double ks_norm_ppf(double p)
{
    /* Acklam 2003 rational approximation (rel. error 1.15e-9), refined by one
     * Halley step on erfc so the result is accurate to double precision. */
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                               1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    if (!(p > 0 && p < 1))
        return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
    double q, r, x;
    if (p < 0.02425) {
        q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p > 1 - 0.02425) {
        q = sqrt(-2 * log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else {
        q = p - 0.5;
        r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
    double e = 0.5 * erfc(-x / sqrt(2.0)) - p;
    double u = e * 2.5066282746310002 * exp(x * x / 2); /* sqrt(2 pi) */
    return x - u / (1 + x * u / 2);
}

int ks_cliff_delta_ci_delong(const double *a, size_t na, const double *b, size_t nb, double level,
                             double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (na < 2 || nb < 2)
        return KS_E_TOO_SHORT;
    size_t n = na + nb;
    ixval *s = x_malloc(n * sizeof *s);
    for (size_t i = 0; i < na; i++)
        s[i].v = a[i], s[i].i = i << 1;
    for (size_t i = 0; i < nb; i++)
        s[na + i].v = b[i], s[na + i].i = (i << 1) | 1;
    qsort(s, n, sizeof *s, cmp_ixval);
    /* placements: for each b, share of a below it (ties half); for each a,
     * share of b above it (ties half) */
    double below_a = 0, below_b = 0, sum_b = 0, ss_b = 0, sum_a = 0, ss_a = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double ga = 0, gb = 0;
        while (j < n && s[j].v == s[i].v) {
            if (s[j].i & 1) gb++; else ga++;
            j++;
        }
        double vb = (below_a + 0.5 * ga) / (double)na;           /* per b in this tie group */
        double va = ((double)nb - below_b - 0.5 * gb) / (double)nb; /* per a: b above */
        sum_b += gb * vb, ss_b += gb * vb * vb;
        sum_a += ga * va, ss_a += ga * va * va;
        below_a += ga;
        below_b += gb;
        i = j;
    }
    double auc = sum_b / (double)nb;
    double var_b = (ss_b - sum_b * sum_b / (double)nb) / (double)(nb - 1);
    double var_a = (ss_a - sum_a * sum_a / (double)na) / (double)(na - 1);
    double se = sqrt(var_b / (double)nb + var_a / (double)na);
    double z = ks_norm_ppf(1 - (1 - level) / 2);
    double l = 2 * (auc - z * se) - 1, h = 2 * (auc + z * se) - 1;
    *lo = l < -1 ? -1 : l;
    *hi = h > 1 ? 1 : h;
    x_free(s);
    return 0;
}

/* Hanley & McNeil 1982: AUROC = Mann-Whitney U / (n_pos n_neg). */
double ks_auroc(const double *score, const int *label, size_t n)
{
    ixval *s = x_malloc((n ? n : 1) * sizeof *s);
    double *w = x_malloc((n ? n : 1) * sizeof *w);
    double np = 0, nn = 0;
    for (size_t i = 0; i < n; i++) {
        s[i].v = score[i];
        s[i].i = (i << 1) | (label[i] ? 1u : 0u);
        if (label[i])
            np++;
        else
            nn++;
    }
    qsort(s, n, sizeof *s, cmp_ixval);
    for (size_t i = 0; i < n; i++)
        w[i] = 1;
    double auc = (np > 0 && nn > 0) ? weighted_auc(s, n, w, nn, np) : NAN;
    x_free(s);
    x_free(w);
    return auc;
}

size_t ks_roc_curve(const double *score, const int *label, size_t n, double *fpr, double *tpr)
{
    ixval *s = x_malloc((n ? n : 1) * sizeof *s);
    double np = 0, nn = 0;
    for (size_t i = 0; i < n; i++) {
        s[i].v = -score[i]; /* descending score */
        s[i].i = (i << 1) | (label[i] ? 1u : 0u);
        if (label[i])
            np++;
        else
            nn++;
    }
    qsort(s, n, sizeof *s, cmp_ixval);
    size_t m = 0;
    double tp = 0, fp = 0;
    fpr[m] = 0;
    tpr[m] = 0;
    m++;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j].v == s[i].v) {
            if (s[j].i & 1)
                tp++;
            else
                fp++;
            j++;
        }
        fpr[m] = nn > 0 ? fp / nn : NAN;
        tpr[m] = np > 0 ? tp / np : NAN;
        m++;
        i = j;
    }
    x_free(s);
    return m;
}

/* Benjamini & Hochberg 1995 step-up q-values: q_(i) = min_{j>=i} p_(j) m / j. */
void ks_bh_adjust(const double *p, size_t n, double *q)
{
    ixval *s = x_malloc((n ? n : 1) * sizeof *s);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        q[i] = NAN;
        if (!isnan(p[i])) {
            s[m].v = p[i];
            s[m].i = i;
            m++;
        }
    }
    qsort(s, m, sizeof *s, cmp_ixval);
    double run = 1;
    for (size_t r = m; r-- > 0;) {
        double v = s[r].v * (double)m / (double)(r + 1);
        if (v < run)
            run = v;
        q[s[r].i] = run;
    }
    x_free(s);
}

/* Cholesky solve of the symmetric positive definite k x k system A x = b
 * (A is overwritten). Returns -1 if A is not positive definite. */
static int chol_solve(double *A, double *b, size_t k)
{
    for (size_t j = 0; j < k; j++) {
        double d = A[j * k + j];
        for (size_t p = 0; p < j; p++)
            d -= A[j * k + p] * A[j * k + p];
        if (!(d > 0))
            return -1;
        d = sqrt(d);
        A[j * k + j] = d;
        for (size_t i = j + 1; i < k; i++) {
            double v = A[i * k + j];
            for (size_t p = 0; p < j; p++)
                v -= A[i * k + p] * A[j * k + p];
            A[i * k + j] = v / d;
        }
    }
    for (size_t i = 0; i < k; i++) {
        double v = b[i];
        for (size_t p = 0; p < i; p++)
            v -= A[i * k + p] * b[p];
        b[i] = v / A[i * k + i];
    }
    for (size_t i = k; i-- > 0;) {
        double v = b[i];
        for (size_t p = i + 1; p < k; p++)
            v -= A[p * k + i] * b[p];
        b[i] = v / A[i * k + i];
    }
    return 0;
}

double ks_logreg_predict(const double *w, const double *xrow, size_t k)
{
    double eta = w[k];
    for (size_t j = 0; j < k; j++)
        eta += w[j] * xrow[j];
    return 1 / (1 + exp(-eta));
}

static double logreg_objective(const double *x, const int *y, size_t n, size_t k, double lambda,
                               const double *w)
{
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        double eta = w[k];
        for (size_t j = 0; j < k; j++)
            eta += w[j] * x[i * k + j];
        /* log(1 + e^eta) - y eta, computed without overflow */
        double l1p = eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta));
        f += l1p - (y[i] ? eta : 0);
    }
    for (size_t j = 0; j < k; j++)
        f += 0.5 * lambda * w[j] * w[j];
    return f;
}

/* Ridge-penalised logistic regression (le Cessie & van Houwelingen 1992) by
 * Newton-Raphson with step halving. */
int ks_logreg_fit(const double *x, const int *y, size_t n, size_t k, double lambda, double *w)
{
    size_t K = k + 1;
    double *H = x_malloc(K * K * sizeof *H), *gr = x_malloc(K * sizeof *gr);
    double *wn = x_malloc(K * sizeof *wn), *row = x_malloc(K * sizeof *row);
    int rc = 0;
    for (size_t j = 0; j < K; j++)
        w[j] = 0;
    double f = logreg_objective(x, y, n, k, lambda, w);
    for (int it = 0; it < 100; it++) {
        memset(H, 0, K * K * sizeof *H);
        memset(gr, 0, K * sizeof *gr);
        for (size_t i = 0; i < n; i++) {
            memcpy(row, x + i * k, k * sizeof *row);
            row[k] = 1;
            double p = ks_logreg_predict(w, row, k);
            double r = p - (y[i] ? 1 : 0), v = p * (1 - p);
            for (size_t a = 0; a < K; a++) {
                gr[a] += r * row[a];
                double va = v * row[a];
                for (size_t b = 0; b <= a; b++)
                    H[a * K + b] += va * row[b];
            }
        }
        for (size_t a = 0; a < K; a++)
            for (size_t b = a + 1; b < K; b++)
                H[a * K + b] = H[b * K + a];
        for (size_t j = 0; j < k; j++) {
            gr[j] += lambda * w[j];
            H[j * K + j] += lambda;
        }
        H[k * K + k] += 1e-9; /* keeps the intercept solvable when all y agree */
        if (chol_solve(H, gr, K) < 0) {
            rc = KS_E_INTERNAL;
            goto done;
        }
        double step = 1, fn = f, maxd = 0;
        for (int half = 0; half < 30; half++) {
            for (size_t j = 0; j < K; j++)
                wn[j] = w[j] - step * gr[j];
            fn = logreg_objective(x, y, n, k, lambda, wn);
            if (fn <= f)
                break;
            step *= 0.5;
        }
        for (size_t j = 0; j < K; j++) {
            double dj = fabs(wn[j] - w[j]);
            if (dj > maxd)
                maxd = dj;
        }
        memcpy(w, wn, K * sizeof *w);
        f = fn;
        if (maxd < 1e-10)
            break;
    }
done:
    x_free(H);
    x_free(gr);
    x_free(wn);
    x_free(row);
    return rc;
}

void ks_column_moments(const double *x, size_t n, size_t k, double *mean, double *sd)
{
    for (size_t j = 0; j < k; j++) {
        double s = 0, ss = 0;
        size_t c = 0;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * k + j];
            if (isnan(v))
                continue;
            s += v;
            c++;
        }
        mean[j] = c ? s / (double)c : NAN;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * k + j];
            if (!isnan(v))
                ss += (v - mean[j]) * (v - mean[j]);
        }
        sd[j] = c > 1 ? sqrt(ss / (double)(c - 1)) : NAN;
    }
}

double ks_logreg_cv(const double *x, const int *y, const int *fold, int kfolds, size_t n,
                    size_t k, double lambda, double *oof)
{
    double *mean = x_malloc((k ? k : 1) * sizeof *mean), *sd = x_malloc((k ? k : 1) * sizeof *sd);
    double *tr = x_malloc((n ? n : 1) * (k ? k : 1) * sizeof *tr), *w = x_malloc((k + 1) * sizeof *w);
    int *ytr = x_malloc((n ? n : 1) * sizeof *ytr);
    double *zrow = x_malloc((k ? k : 1) * sizeof *zrow);
    for (size_t i = 0; i < n; i++)
        oof[i] = NAN;
    for (int f = 0; f < kfolds; f++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (fold[i] != f) {
                memcpy(tr + m * k, x + i * k, k * sizeof *tr);
                ytr[m++] = y[i];
            }
        if (m == n || m == 0)
            continue;
        ks_column_moments(tr, m, k, mean, sd);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < k; j++) {
                double v = tr[i * k + j];
                tr[i * k + j] = (isnan(v) || !(sd[j] > 0)) ? 0 : (v - mean[j]) / sd[j];
            }
        if (ks_logreg_fit(tr, ytr, m, k, lambda, w) < 0)
            continue;
        for (size_t i = 0; i < n; i++) {
            if (fold[i] != f)
                continue;
            for (size_t j = 0; j < k; j++) {
                double v = x[i * k + j];
                zrow[j] = (isnan(v) || !(sd[j] > 0)) ? 0 : (v - mean[j]) / sd[j];
            }
            oof[i] = ks_logreg_predict(w, zrow, k);
        }
    }
    /* AUROC over rows that got a prediction */
    double *sc = x_malloc((n ? n : 1) * sizeof *sc);
    int *lb = x_malloc((n ? n : 1) * sizeof *lb);
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(oof[i])) {
            sc[c] = oof[i];
            lb[c++] = y[i];
        }
    double auc = c ? ks_auroc(sc, lb, c) : NAN;
    x_free(sc);
    x_free(lb);
    x_free(mean);
    x_free(sd);
    x_free(tr);
    x_free(w);
    x_free(ytr);
    x_free(zrow);
    return auc;
}

void ks_median_mad(double *v, size_t n, double *median, double *mad)
{
    *median = *mad = NAN;
    if (n == 0)
        return;
    qsort(v, n, sizeof *v, ks_cmp_double);
    double med = ks_quantile_sorted(v, n, 0.5);
    for (size_t i = 0; i < n; i++)
        v[i] = fabs(v[i] - med);
    qsort(v, n, sizeof *v, ks_cmp_double);
    *median = med;
    /* 1.4826 = 1/Phi^-1(3/4): MAD consistent for the normal sd (Rousseeuw & Croux 1993) */
    *mad = 1.4826 * ks_quantile_sorted(v, n, 0.5);
}
