/* cmd_notes.c - `kitsch notes`: show what the audio analyzer heard (the
 * transcribed melody notes and the beat grid) so a user can check a
 * recording's melodic features against their ears or a score. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audio.h"
#include "cli.h"

const char cmd_notes_help[] =
    "Usage: kitsch notes [--beats] [--max-audio-seconds S] FILE...\n"
    "\n"
    "Transcribe the melody of each audio (or video soundtrack) FILE the way\n"
    "`kitsch analyze` does and print one note per line, tab-separated:\n"
    "  path  onset_s  duration_s  midi_pitch  confidence\n"
    "(the same columns as `kitsch melody --notes`, plus the confidence), so the\n"
    "notes of a recording can be compared with its score. A comment line per file\n"
    "says which transcription path ran: monophonic (aubio YIN) for a solo\n"
    "voice or instrument, predominant (harmonic salience) for accompanied songs.\n"
    "\n"
    "Options:\n"
    "  --beats                  print the beat times instead: path  beat_s\n"
    "  --max-audio-seconds S    analyse at most S seconds (default 1200)\n"
    "\n"
    "Examples:\n"
    "  kitsch notes tune.wav\n"
    "  kitsch notes --beats song.mp3 | head\n"
    "  kitsch notes tune.wav > heard.tsv; kitsch melody --notes tune.mid > truth.tsv\n";

int cmd_notes(int argc, char **argv); /* declared by the dispatcher from commands.def */
int cmd_notes(int argc, char **argv)
{
    int beats = 0, rc = 0;
    ks_options opt;
    ks_options_default(&opt);
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--beats") == 0)
            beats = 1;
        else if (strcmp(argv[i], "--max-audio-seconds") == 0 && i + 1 < argc)
            opt.max_audio_seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return cli_print_help("notes");
        else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage("notes", "unknown option %s", argv[i]);
        else
            break;
    }
    if (i >= argc)
        return cli_usage("notes", "no input files");
    for (; i < argc; i++) {
        const char *path = argv[i];
        int fd = open(path, O_RDONLY);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) {
            cli_error("notes", "%s: %s", path, strerror(errno));
            if (fd >= 0)
                close(fd);
            rc = 1;
            continue;
        }
        ks_input in;
        memset(&in, 0, sizeof in);
        in.path = path;
        in.fd = fd;
        in.size = st.st_size;
        in.opt = &opt;
        ks_record r;
        ks_record_init(&r);
        ks_audio_extra x;
        int e = ks_audio_analyze_ex(&in, &r, &x);
        close(fd);
        if (e < 0) {
            cli_error("notes", "%s: %s: %s", path, ks_error_code(r.err), r.err_msg);
            rc = 1;
        } else if (beats) {
            for (size_t k = 0; k < x.nbeats; k++)
                printf("%s\t%.4f\n", path, x.beats[k]);
        } else {
            printf("# %s\t%s\n", path, x.melody_path ? "predominant" : "monophonic");
            for (size_t k = 0; k < x.nnotes; k++)
                printf("%s\t%.4f\t%.4f\t%d\t%.3f\n", path, x.notes[k].onset_s, x.notes[k].dur_s, x.notes[k].pitch,
                       x.notes[k].conf);
        }
        ks_audio_extra_free(&x);
        ks_record_clear(&r);
    }
    return rc;
}
