/* agg_cli.c - input handling shared by the aggregator commands. */
#define _POSIX_C_SOURCE 200809L
#include "agg_cli.h"
#include "cli.h"
#include "text.h"
#include "image.h"
#include "audio.h"
#include "video.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const ks_set_entry agg_set_fns[] = {
    {"text", ks_text_set_metrics},
    {"image", ks_image_set_metrics},
    {"audio", ks_audio_set_metrics},
    {"video", ks_video_set_metrics},
};
const size_t agg_set_nfns = sizeof agg_set_fns / sizeof agg_set_fns[0];

char *agg_input_open(const char *cmd, const char *path, int *is_temp)
{
    struct stat st;
    *is_temp = 0;
    if (strcmp(path, "-") == 0)
        return x_strdup(path);
    if (stat(path, &st) != 0) {
        cli_error(cmd, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISDIR(st.st_mode))
        return x_strdup(path);
    /* a folder: analyse it now into a temporary records file */
    const char *tmpdir = getenv("TMPDIR");
    char *tmp = x_malloc(4096);
    snprintf(tmp, 4096, "%s/kitsch-%s-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp", cmd);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        cli_error(cmd, "cannot create a temporary file: %s", strerror(errno));
        x_free(tmp);
        return NULL;
    }
    close(fd);
    ks_run_opts o;
    ks_run_opts_default(&o);
    o.quiet = 1;
    o.force = 1;
    const char *paths[1] = {path};
    fprintf(stderr, "kitsch %s: analysing folder %s ...\n", cmd, path);
    int rc = ks_run_analyze(paths, 1, NULL, &o, tmp);
    if (rc != 0 && rc != 1) {
        cli_error(cmd, "analysing %s failed (exit %d)", path, rc);
        unlink(tmp);
        x_free(tmp);
        return NULL;
    }
    *is_temp = 1;
    return tmp;
}

void agg_input_done(char *path, int is_temp)
{
    if (path && is_temp)
        unlink(path);
    x_free(path);
}

int agg_read_into(const char *cmd, ks_summary *s, const char *input, const ks_group_rule *rule)
{
    int tmp = 0;
    char *p = agg_input_open(cmd, input, &tmp);
    if (!p)
        return 1;
    int64_t bad = 0;
    char err[300];
    int rc = ks_summary_add_file(s, p, rule, &bad, err, sizeof err);
    agg_input_done(p, tmp);
    if (rc < 0) {
        cli_error(cmd, "%s: %s", input, err);
        return 1;
    }
    if (bad)
        cli_error(cmd, "%s: %lld line(s) are not kitsch records and were skipped", input, (long long)bad);
    return 0;
}

int agg_parse_size(const char *cmd, const char *opt, const char *val, size_t lo, size_t hi, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(val, &end, 10);
    if (errno || *end || !*val || v < lo || v > hi)
        return cli_usage(cmd, "%s takes a whole number from %zu to %zu", opt, lo, hi);
    *out = (size_t)v;
    return 0;
}

void agg_fmt(char *buf, size_t len, double v, int prec)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.*f", prec, v);
}

int agg_write_text(const char *cmd, const char *path, const char *text, int force)
{
    if (!path || strcmp(path, "-") == 0) {
        fputs(text, stdout);
        return 0;
    }
    struct stat st;
    if (!force && stat(path, &st) == 0) {
        cli_error(cmd, "%s exists; use --force to overwrite", path);
        return 1;
    }
    if (ks_write_file_atomic(path, text, strlen(text)) != 0) {
        cli_error(cmd, "cannot write %s: %s", path, strerror(errno));
        return 1;
    }
    return 0;
}
