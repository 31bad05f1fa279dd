/* image_probe.c - a small driver for the image analyzer, used by
 * eval/image_sets.sh and bench/image.sh until `kitsch set` covers images.
 *
 *   image_probe analyze FILE...            one JSON record per line
 *   image_probe time FILE...               analyse all files, print files/s
 *   image_probe sets N[,N...] REPS LIST... LIST = name:path-of-file-list;
 *       analyse every file once, then for each N and each set with at least
 *       N records draw REPS random subsamples of exactly N records (one draw
 *       when the set has exactly N) and print the mean (sd) of every image
 *       set metric.
 */
#define _POSIX_C_SOURCE 200809L
#include "image.h"
#include "json.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int analyze_path(const char *path, const ks_options *opt, ks_record *r)
{
    ks_record_init(r);
    r->path = x_strdup(path);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return ks_record_fail(r, KS_E_NOT_FOUND, "cannot open");
    struct stat st;
    fstat(fd, &st);
    ks_input in = {path, fd, (int64_t)st.st_size, opt, NULL, NULL};
    r->bytes = st.st_size;
    int rc = ks_image_analyze(&in, r);
    close(fd);
    return rc;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    ks_malloc_keep(); /* as the kitsch tool does: same process policy as its workers */
    ks_options opt;
    ks_options_default(&opt);
    if (argc >= 2 && !strcmp(argv[1], "analyze")) {
        for (int i = 2; i < argc; i++) {
            ks_record r;
            analyze_path(argv[i], &opt, &r);
            r.modality = x_strdup("image");
            char *line = ks_record_dump(&r);
            puts(line);
            x_free(line);
            ks_record_clear(&r);
        }
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "time")) {
        int ok = 0;
        double t0 = now();
        for (int i = 2; i < argc; i++) {
            ks_record r;
            ok += analyze_path(argv[i], &opt, &r) == 0;
            ks_record_clear(&r);
        }
        double t = now() - t0;
        printf("%d files (%d ok) in %.3f s: %.2f files/s\n", argc - 2, ok, t, (argc - 2) / t);
        return 0;
    }
    if (argc >= 5 && !strcmp(argv[1], "sets")) {
        int reps = atoi(argv[3]), nsets = argc - 4;
        char **names = x_calloc((size_t)nsets, sizeof *names);
        ks_record **recs = x_calloc((size_t)nsets, sizeof *recs);
        size_t *nrec = x_calloc((size_t)nsets, sizeof *nrec);
        for (int s = 0; s < nsets; s++) {
            char *name = x_strdup(argv[4 + s]), *list = strrchr(name, ':');
            if (!list)
                return 2;
            *list++ = '\0';
            names[s] = name;
            FILE *f = fopen(list, "r");
            if (!f)
                return 2;
            size_t cap = 0;
            char line[4096];
            while (fgets(line, sizeof line, f)) {
                line[strcspn(line, "\n")] = '\0';
                if (!line[0])
                    continue;
                if (nrec[s] == cap)
                    recs[s] = x_realloc(recs[s], (cap = cap ? cap * 2 : 64) * sizeof **recs);
                if (analyze_path(line, &opt, &recs[s][nrec[s]]) == 0)
                    nrec[s]++;
                else
                    ks_record_clear(&recs[s][nrec[s]]);
            }
            fclose(f);
        }
        /* argv[2]: comma-separated subsample sizes */
        for (char *tok = strtok(argv[2], ","); tok; tok = strtok(NULL, ",")) {
            size_t N = (size_t)atoi(tok);
            printf("N=%zu\n%-24s %4s", N, "set", "n");
            for (int m = 0; m < KS_NSETMETRICS; m++)
                if (!strncmp(ks_setmetrics[m].name, "image.", 6))
                    printf(" %22s", ks_setmetrics[m].name + 6);
            printf("\n");
            for (int s = 0; s < nsets; s++) {
                size_t n = nrec[s];
                if (n < N)
                    continue; /* too small for this N */
                int rr = n == N ? 1 : reps; /* the whole set: one draw */
                const ks_record **sub = x_malloc(N * sizeof *sub);
                size_t *idx = x_malloc(n * sizeof *idx);
                double sum[KS_NSETMETRICS] = {0}, sum2[KS_NSETMETRICS] = {0};
                ks_rng g;
                ks_rng_seed(&g, 12345);
                for (int rep = 0; rep < rr; rep++) {
                    for (size_t i = 0; i < n; i++)
                        idx[i] = i;
                    for (size_t i = 0; i < N; i++) {
                        size_t j = i + ks_rng_below(&g, n - i), t = idx[i];
                        idx[i] = idx[j];
                        idx[j] = t;
                        sub[i] = &recs[s][idx[i]];
                    }
                    ks_set_value out[KS_NSETMETRICS];
                    for (int m = 0; m < KS_NSETMETRICS; m++) {
                        out[m].value = NAN;
                        out[m].n = 0;
                        out[m].note[0] = '\0';
                    }
                    ks_image_set_metrics(sub, N, &g, out);
                    for (int m = 0; m < KS_NSETMETRICS; m++) {
                        sum[m] += out[m].value;
                        sum2[m] += out[m].value * out[m].value;
                    }
                }
                printf("%-24s %4zu", names[s], n);
                for (int m = 0; m < KS_NSETMETRICS; m++)
                    if (!strncmp(ks_setmetrics[m].name, "image.", 6)) {
                        double mu = sum[m] / rr, sd = sqrt(fmax(0, sum2[m] / rr - mu * mu));
                        printf(" %14.4f (%5.3f)", mu, sd);
                    }
                printf("\n");
                x_free(sub);
                x_free(idx);
            }
        }
        for (int s = 0; s < nsets; s++) {
            for (size_t i = 0; i < nrec[s]; i++)
                ks_record_clear(&recs[s][i]);
            x_free(recs[s]);
            x_free(names[s]);
        }
        x_free(recs);
        x_free(names);
        x_free(nrec);
        return 0;
    }
    fprintf(stderr, "usage: image_probe analyze FILE... | time FILE... | sets N REPS name:listfile...\n");
    return 2;
}
