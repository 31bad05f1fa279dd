/* cli.c - shared helpers of the subcommands. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KS_COMMAND(name, fn, help, summary) extern const char help[];
#include "commands.def"
#undef KS_COMMAND

static const struct {
    const char *name;
    const char *help;
} helps[] = {
#define KS_COMMAND(name, fn, help, summary) {#name, help},
#include "commands.def"
#undef KS_COMMAND
};

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "kitsch %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'kitsch help %s'.\n", cmd);
    return 2;
}

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "kitsch %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

const char *cli_help_text(const char *cmd)
{
    for (size_t i = 0; i < sizeof helps / sizeof helps[0]; i++)
        if (strcmp(helps[i].name, cmd) == 0)
            return helps[i].help;
    return NULL;
}

int cli_print_help(const char *cmd)
{
    const char *h = cli_help_text(cmd);
    fputs(h ? h : "no such command\n", stdout);
    return h ? 0 : 2;
}

int cli_parse_shard(const char *s, unsigned *i, unsigned *n)
{
    char *end;
    unsigned long a = strtoul(s, &end, 10);
    if (end == s || *end != '/')
        return -1;
    const char *p = end + 1;
    unsigned long b = strtoul(p, &end, 10);
    if (end == p || *end || b == 0 || a >= b || b > 1000000)
        return -1;
    *i = (unsigned)a;
    *n = (unsigned)b;
    return 0;
}

unsigned cli_shard_of(const char *path, unsigned n)
{
    return (unsigned)(ks_hash64(path, strlen(path), 0x7368617264ull) % n);
}

FILE *cli_open_output(const char *cmd, const char *path, int force)
{
    if (!path || strcmp(path, "-") == 0)
        return stdout;
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            cli_error(cmd, "%s exists; use --force to overwrite it", path);
        else
            cli_error(cmd, "cannot write %s: %s", path, strerror(errno));
        return NULL;
    }
    FILE *f = fdopen(fd, "w");
    if (!f)
        close(fd);
    return f;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int cli_valid_modality(const char *m)
{
    return strcmp(m, "text") == 0 || strcmp(m, "audio") == 0 || strcmp(m, "image") == 0 ||
           strcmp(m, "video") == 0;
}
