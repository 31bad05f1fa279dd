/* kitsch.c - the command-line entry point: dispatches to the subcommands
 * declared in commands.def. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "man.h"
#include "sandbox.h"
#include "text.h"
#include "image.h"
#include "audio.h"
#include "video.h"

#define KS_COMMAND(name, fn, help, summary) int fn(int argc, char **argv);
#include "commands.def"
#undef KS_COMMAND

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
#define KS_COMMAND(name, fn, help, summary) {#name, fn, summary},
#include "commands.def"
#undef KS_COMMAND
};

static void usage(FILE *f)
{
    fprintf(f,
            "kitsch %s - measure how averaged, conventional and predictable creative works are\n"
            "\n"
            "Usage: kitsch COMMAND [OPTIONS] [ARGS]\n"
            "\n"
            "Commands:\n",
            KS_TOOL_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "  %-10s %s\n", "help", "show the help of a command: kitsch help analyze");
    fprintf(f,
            "\n"
            "Typical session:\n"
            "  kitsch analyze -o human.jsonl stories/human/    # one JSON record per file\n"
            "  kitsch analyze -o ai.jsonl stories/ai/\n"
            "  kitsch score ai.jsonl                           # 0-100 kitsch score with reasons\n"
            "  kitsch compare human.jsonl ai.jsonl             # which features separate the sets\n"
            "\n"
            "Global options: --help, --version\n"
            "Exit status: 0 all ok, 1 some inputs failed, 2 usage error, 130 interrupted.\n");
}

static void version(void)
{
    printf("kitsch %s\nrecord schema: %s\nfeatures: %d, descriptors: %d, set metrics: %d\n", KS_TOOL_VERSION,
           KS_SCHEMA, KS_NFEATURES, KS_NDESCRIPTORS, KS_NSETMETRICS);
    printf("jansson %s, zlib %s\n", ks_jansson_version(), ks_zlib_version());
    const char *v[] = {ks_text_lib_versions(), ks_image_lib_versions(), ks_audio_lib_versions(),
                       ks_video_lib_versions()};
    for (size_t i = 0; i < 4; i++)
        if (v[i] && *v[i])
            printf("%s\n", v[i]);
    printf("worker sandbox: %s\n", ks_sandbox_kind());
}

int main(int argc, char **argv)
{
    ks_malloc_keep(); /* before any large allocation; inherited by the workers */
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        version();
        return 0;
    }
    /* Hidden: the build writes the manual page with it (tools/man.c). */
    if (strcmp(cmd, "--man") == 0)
        return ks_man_page(stdout, argc > 2 ? argv[2] : NULL) == 0 ? 0 : 1;
    if (strcmp(cmd, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return 0;
        }
        if (!cli_help_text(argv[2])) {
            fprintf(stderr, "kitsch: no command '%s'; see 'kitsch --help'\n", argv[2]);
            return 2;
        }
        return cli_print_help(argv[2]);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, cmd) == 0) {
            for (int k = 2; k < argc; k++) {
                if (strcmp(argv[k], "--") == 0)
                    break;
                if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0)
                    return cli_print_help(cmd);
            }
            return commands[i].fn(argc - 1, argv + 1);
        }
    fprintf(stderr, "kitsch: unknown command '%s'; see 'kitsch --help'\n", cmd);
    return 2;
}
