/* cmd_melody.c - `kitsch melody`: melodic entropy and information content
 * of symbolic melodies (Standard MIDI Files read in C; ABC through abc2midi),
 * the evaluation against IDyOM (cross-validation) and the training of the
 * long-term model shipped in the binary. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "melody.h"
#include "midi.h"

const char cmd_melody_help[] =
    "Usage: kitsch melody [options] FILE.mid|FILE.midi|FILE.abc|FILE.tsv...\n"
    "\n"
    "Measure the melodic features of symbolic melodies and write one JSON record\n"
    "per melody (the same audio.melody_* features `kitsch analyze` computes from\n"
    "notes transcribed from a recording): pitch-class, interval and conditional\n"
    "interval entropy, and the information content (IC) of every note under an\n"
    "IDyOM-style model: a PPM long-term model of Essen folk songs (built in; the\n"
    "kinder0 subset is left out) plus a short-term model of the piece itself.\n"
    "\n"
    "MIDI files are read directly (formats 0 and 1, tempo map, running status);\n"
    "polyphonic files are reduced to their top line (highest note per onset),\n"
    "drums (channel 10) are ignored. An ABC file is converted with abc2midi\n"
    "(Debian package abcmidi) and gives one record per tune, path FILE.abc#X.\n"
    "A .tsv file (or - for stdin) holds notes as text, one per line, tab-separated:\n"
    "label, onset s, duration s, MIDI pitch[, confidence] - what --notes and\n"
    "`kitsch notes` print - and gives one record per label.\n"
    "\n"
    "Options:\n"
    "  -o FILE          write records to FILE (default: stdout); --force overwrites\n"
    "  --channel N      only MIDI channel N (1-16)\n"
    "  --notes          print the notes (path, onset s, duration s, pitch) instead\n"
    "  --cv K           evaluation: K-fold cross-validation over all melodies given,\n"
    "                   long-term model trained on the other folds (not the built-in\n"
    "                   one) + short-term model; prints mean IC in bits/note\n"
    "  --write-ltm F    train a long-term model on all melodies given and write it\n"
    "                   as C source F (how audio/essen_ltm.inc is made)\n"
    "  --desc TEXT      description stored with --write-ltm\n"
    "Model settings (for --cv experiments; records always use the defaults):\n"
    "  --order N        order bound of both models (default 3, at most 16)\n"
    "  --ppm-star       start at the shortest deterministic context (PPM*, as\n"
    "                   IDyOM without an order bound; use with --order 16)\n"
    "  --ltm-escape c|x|a, --stm-escape c|x|a   escape method (default c: PPM-C)\n"
    "  --ltm-ux N, --stm-ux N   update exclusion: 0 none, 1 Moffat 1990, 2 IDyOM's\n"
    "                   (defaults 0 and 2)\n"
    "  --backoff        back off with full exclusion instead of interpolating\n"
    "  --ltm-only, --stm-only   one model alone\n"
    "  --no-ltm-plus    the long-term model does not learn the pieces it predicts\n"
    "                   (default: it does, IDyOM's \"LTM+\")\n"
    "  --combine geometric|arithmetic, --bias B   LTM-STM combination, weights\n"
    "                   H_rel^-B (defaults geometric, 7 as IDyOM)\n"
    "\n"
    "Examples:\n"
    "  kitsch melody tune.mid\n"
    "  kitsch melody songs.abc -o songs.jsonl\n"
    "  kitsch melody --cv 10 ../shared/corpus/audio/essen/kinder0.abc\n"
    "  kitsch melody --notes tune.abc | head\n"
    "  kitsch notes song.wav > heard.tsv; kitsch melody heard.tsv   # a transcription\n";

typedef struct tune {
    char *label;
    const char *file;
    ks_note *notes;
    size_t n;
    int err;
    char msg[320];
} tune;

typedef struct tunes {
    tune *v;
    size_t n, cap;
} tunes;

static tune *add_tune(tunes *t)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->v = x_realloc(t->v, t->cap * sizeof *t->v);
    }
    tune *x = &t->v[t->n++];
    memset(x, 0, sizeof *x);
    return x;
}

static int read_file(const char *path, unsigned char **buf, size_t *len, char *msg, size_t msglen)
{
    FILE *f = fopen(path, "rb");
    *buf = NULL;
    *len = 0;
    if (!f) {
        snprintf(msg, msglen, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? KS_E_NOT_FOUND : KS_E_IO;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *b = x_malloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap >= (size_t)64 << 20) {
                fclose(f);
                x_free(b);
                snprintf(msg, msglen, "%s: larger than 64 MiB", path);
                return KS_E_TOO_LARGE;
            }
            cap *= 2;
            b = x_realloc(b, cap);
        }
        size_t k = fread(b + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        x_free(b);
        snprintf(msg, msglen, "%s: read error", path);
        return KS_E_IO;
    }
    *buf = b;
    *len = n;
    return 0;
}

static void load_midi(tune *t, const char *path, int channel)
{
    unsigned char *buf;
    size_t len;
    t->err = read_file(path, &buf, &len, t->msg, sizeof t->msg);
    if (t->err < 0)
        return;
    t->err = ks_midi_read(buf, len, channel, &t->notes, &t->n, t->msg, sizeof t->msg);
    x_free(buf);
    if (t->err == 0)
        t->n = ks_midi_skyline(t->notes, t->n);
}

static int cmp_tune_no(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* abc2midi writes one MIDI file per tune, named after the input's stem and
 * the tune's X: number, next to the input: give it a symlink in a private
 * temporary directory. */
static int load_abc(tunes *ts, const char *path, int channel, char *msg, size_t msglen)
{
    char dir[PATH_MAX], link[PATH_MAX + 16], real[PATH_MAX];
    const char *tmp = getenv("TMPDIR");
    int rc = 0;
    snprintf(dir, sizeof dir, "%s/kitsch-melody-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!realpath(path, real)) {
        snprintf(msg, msglen, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? KS_E_NOT_FOUND : KS_E_IO;
    }
    if (!mkdtemp(dir)) {
        snprintf(msg, msglen, "mkdtemp: %s", strerror(errno));
        return KS_E_IO;
    }
    snprintf(link, sizeof link, "%s/in.abc", dir);
    if (symlink(real, link) != 0) {
        snprintf(msg, msglen, "symlink: %s", strerror(errno));
        rmdir(dir);
        return KS_E_IO;
    }
    pid_t pid = fork();
    if (pid == 0) {
        int dn = open("/dev/null", O_WRONLY);
        if (dn >= 0) {
            dup2(dn, 1);
            dup2(dn, 2);
        }
        if (chdir(dir) == 0)
            execlp("abc2midi", "abc2midi", "in.abc", "-silent", (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        snprintf(msg, msglen, "cannot run abc2midi: %s", strerror(errno));
        rc = KS_E_IO;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        snprintf(msg, msglen, "abc2midi not found (install the Debian package abcmidi)");
        rc = KS_E_UNSUPPORTED;
    }
    long *nos = NULL;
    size_t nno = 0, capno = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char *end;
        if (strncmp(e->d_name, "in", 2) != 0 || !strstr(e->d_name, ".mid"))
            continue;
        long no = strtol(e->d_name + 2, &end, 10);
        if (end == e->d_name + 2 || strcmp(end, ".mid") != 0)
            continue;
        if (nno == capno) {
            capno = capno ? 2 * capno : 64;
            nos = x_realloc(nos, capno * sizeof *nos);
        }
        nos[nno++] = no;
    }
    if (d)
        closedir(d);
    /* Tunes the file declares (X: lines) that abc2midi did not write (it
     * skips a tune with, e.g., an unknown key) become error records rather
     * than disappearing. */
    long *miss = NULL;
    size_t nmiss = 0, capmiss = 0;
    FILE *f = fopen(real, "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        char *end;
        if (line[0] != 'X' || line[1] != ':')
            continue;
        long no = strtol(line + 2, &end, 10);
        int have = end == line + 2;
        for (size_t i = 0; i < nno && !have; i++)
            have = nos[i] == no;
        for (size_t i = 0; i < nmiss && !have; i++)
            have = miss[i] == no;
        if (have)
            continue;
        if (nmiss == capmiss) {
            capmiss = capmiss ? 2 * capmiss : 16;
            miss = x_realloc(miss, capmiss * sizeof *miss);
        }
        miss[nmiss++] = no;
    }
    if (f)
        fclose(f);
    qsort(nos, nno, sizeof *nos, cmp_tune_no);
    if (nmiss)
        qsort(miss, nmiss, sizeof *miss, cmp_tune_no);
    for (size_t i = 0, j = 0; i < nno || j < nmiss;) {
        int missing = j < nmiss && (i >= nno || miss[j] < nos[i]);
        long no = missing ? miss[j++] : nos[i++];
        char mid[PATH_MAX + 32], label[PATH_MAX + 32];
        snprintf(mid, sizeof mid, "%s/in%ld.mid", dir, no);
        snprintf(label, sizeof label, "%s#%ld", path, no);
        tune *t = add_tune(ts);
        t->label = x_strdup(label);
        t->file = path;
        if (missing) {
            t->err = KS_E_DECODE;
            snprintf(t->msg, sizeof t->msg, "abc2midi wrote no MIDI for tune X:%ld (e.g. an unknown K: key; abc2midi -c shows why)", no);
            continue;
        }
        load_midi(t, mid, channel);
        unlink(mid);
    }
    x_free(miss);
    unlink(link);
    rmdir(dir);
    x_free(nos);
    if (rc == 0 && nno == 0) {
        snprintf(msg, msglen, "abc2midi produced no tune from %s", path);
        rc = KS_E_DECODE;
    }
    return rc;
}

/* Notes as text, one per line, tab-separated: "label onset dur pitch
 * [confidence]" (what `kitsch melody --notes` and `kitsch notes` print) or
 * "onset dur pitch"; '#' lines are comments. One melody per label, in order
 * of first appearance; the melody keeps the file's note order. */
static int load_tsv(tunes *ts, const char *path, char *msg, size_t msglen)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        snprintf(msg, msglen, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? KS_E_NOT_FOUND : KS_E_IO;
    }
    size_t first = ts->n, lineno = 0;
    char line[4096];
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n' || line[0] == '\r')
            continue;
        char *fld[6];
        int nf = 0;
        for (char *q = line; nf < 6;) {
            fld[nf++] = q;
            char *tab = strchr(q, '\t');
            if (!tab)
                break;
            *tab = '\0';
            q = tab + 1;
        }
        fld[nf - 1][strcspn(fld[nf - 1], "\r\n")] = '\0';
        const char *label = path;
        int base = 0;
        if (nf >= 4 && nf <= 5) {
            label = fld[0];
            base = 1;
        } else if (nf != 3) {
            snprintf(msg, msglen, "%s:%zu: want 3 to 5 tab-separated columns ([label,] onset, duration, pitch[, confidence])", path, lineno);
            rc = KS_E_PARSE;
            break;
        }
        char *e1, *e2, *e3;
        double on = strtod(fld[base], &e1), du = strtod(fld[base + 1], &e2);
        long pitch = strtol(fld[base + 2], &e3, 10);
        if (e1 == fld[base] || *e1 || *e2 || *e3 || !isfinite(on) || !isfinite(du) || pitch < 0 || pitch > 127) {
            snprintf(msg, msglen, "%s:%zu: onset, duration and MIDI pitch (0-127) expected", path, lineno);
            rc = KS_E_PARSE;
            break;
        }
        /* Lines of one label usually come together: try the last one first. */
        tune *t = ts->n > first && strcmp(ts->v[ts->n - 1].label, label) == 0 ? &ts->v[ts->n - 1] : NULL;
        for (size_t i = ts->n; i > first && !t; i--)
            if (strcmp(ts->v[i - 1].label, label) == 0)
                t = &ts->v[i - 1];
        if (!t) {
            t = add_tune(ts);
            t->label = x_strdup(label);
            t->file = path;
        }
        if (t->n == 0 || (t->n >= 64 && (t->n & (t->n - 1)) == 0))
            t->notes = x_realloc(t->notes, (t->n ? 2 * t->n : 64) * sizeof *t->notes);
        t->notes[t->n++] = (ks_note){on, du, (int)pitch, 1.0};
    }
    if (f != stdin)
        fclose(f);
    if (rc == 0 && ts->n == first) {
        snprintf(msg, msglen, "%s: no notes", path);
        rc = KS_E_TOO_SHORT;
    }
    return rc;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static int parse_escape(const char *s)
{
    return strcmp(s, "x") == 0 ? KS_PPM_ESCAPE_X : strcmp(s, "a") == 0 ? KS_PPM_ESCAPE_A
         : strcmp(s, "c") == 0 ? KS_PPM_ESCAPE_C : -1;
}

static int *pitches_of(const tune *t)
{
    int *p = x_malloc((t->n + 1) * sizeof *p);
    for (size_t i = 0; i < t->n; i++)
        p[i] = t->notes[i].pitch;
    return p;
}

int cmd_melody(int argc, char **argv);
int cmd_melody(int argc, char **argv)
{
    const char *out_path = "-", *write_ltm = NULL, *desc = "";
    int force = 0, channel = -1, notes_only = 0, cv = 0, rc = 0;
    ks_melody_cfg cfg;
    ks_melody_cfg_default(&cfg);
    tunes ts = {0};
    const char **files = x_malloc((size_t)argc * sizeof *files);
    size_t nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            x_free(files);
            return cli_print_help("melody");
        } else if (strcmp(a, "-o") == 0 && v) {
            out_path = v, i++;
        } else if (strcmp(a, "--force") == 0) {
            force = 1;
        } else if (strcmp(a, "--channel") == 0 && v) {
            channel = atoi(v) - 1, i++;
            if (channel < 0 || channel > 15) {
                x_free(files);
                return cli_usage("melody", "--channel must be 1..16");
            }
        } else if (strcmp(a, "--notes") == 0) {
            notes_only = 1;
        } else if (strcmp(a, "--cv") == 0 && v) {
            cv = atoi(v), i++;
            if (cv < 2) {
                x_free(files);
                return cli_usage("melody", "--cv needs K >= 2");
            }
        } else if (strcmp(a, "--write-ltm") == 0 && v) {
            write_ltm = v, i++;
        } else if (strcmp(a, "--desc") == 0 && v) {
            desc = v, i++;
        } else if (strcmp(a, "--order") == 0 && v) {
            cfg.ltm.order = cfg.stm.order = atoi(v), i++;
        } else if ((strcmp(a, "--ltm-escape") == 0 || strcmp(a, "--stm-escape") == 0) && v) {
            int e = parse_escape(v);
            i++;
            if (e < 0) {
                x_free(files);
                return cli_usage("melody", "%s must be c, x or a", a);
            }
            (a[2] == 'l' ? &cfg.ltm : &cfg.stm)->escape = e;
        } else if (strcmp(a, "--ltm-ux") == 0 && v) {
            cfg.ltm.update_exclusion = atoi(v), i++;
        } else if (strcmp(a, "--stm-ux") == 0 && v) {
            cfg.stm.update_exclusion = atoi(v), i++;
        } else if (strcmp(a, "--ppm-star") == 0) {
            cfg.ltm.deterministic = cfg.stm.deterministic = 1;
        } else if (strcmp(a, "--backoff") == 0) {
            cfg.ltm.interpolate = cfg.stm.interpolate = 0;
        } else if (strcmp(a, "--ltm-only") == 0) {
            cfg.use_stm = 0;
        } else if (strcmp(a, "--stm-only") == 0) {
            cfg.use_ltm = 0;
        } else if (strcmp(a, "--ltm-plus") == 0) {
            cfg.ltm_plus = 1;
        } else if (strcmp(a, "--no-ltm-plus") == 0) {
            cfg.ltm_plus = 0;
        } else if (strcmp(a, "--combine") == 0 && v) {
            i++;
            if (strcmp(v, "geometric") == 0)
                cfg.combine = KS_MELODY_GEOMETRIC;
            else if (strcmp(v, "arithmetic") == 0)
                cfg.combine = KS_MELODY_ARITHMETIC;
            else {
                x_free(files);
                return cli_usage("melody", "--combine must be geometric or arithmetic");
            }
        } else if (strcmp(a, "--bias") == 0 && v) {
            cfg.bias = atof(v), i++;
        } else if (a[0] == '-' && a[1]) {
            x_free(files);
            return cli_usage("melody", "unknown option '%s'", a);
        } else {
            files[nfiles++] = a;
        }
    }
    if (!nfiles) {
        x_free(files);
        return cli_usage("melody", "no input file");
    }

    for (size_t f = 0; f < nfiles; f++) {
        int abc = ends_with(files[f], ".abc");
        if (abc || ends_with(files[f], ".tsv") || strcmp(files[f], "-") == 0) {
            char msg[300];
            int e = abc ? load_abc(&ts, files[f], channel, msg, sizeof msg) : load_tsv(&ts, files[f], msg, sizeof msg);
            if (e < 0) {
                tune *t = add_tune(&ts);
                t->label = x_strdup(files[f]);
                t->file = files[f];
                t->err = e;
                snprintf(t->msg, sizeof t->msg, "%s", msg);
            }
        } else {
            tune *t = add_tune(&ts);
            t->label = x_strdup(files[f]);
            t->file = files[f];
            load_midi(t, files[f], channel);
        }
    }

    if (cv || write_ltm) {
        int **seqs = x_calloc(ts.n, sizeof *seqs);
        size_t *lens = x_calloc(ts.n, sizeof *lens), k = 0, notes = 0;
        for (size_t i = 0; i < ts.n; i++) {
            if (ts.v[i].err < 0) {
                cli_error("melody", "%s: %s (%s)", ts.v[i].label, ts.v[i].msg, ks_error_code(ts.v[i].err));
                rc = 1;
                continue;
            }
            seqs[k] = pitches_of(&ts.v[i]);
            lens[k] = ts.v[i].n;
            notes += lens[k++];
        }
        if (cv) {
            double icn, icp, hn;
            int e = ks_melody_crossval((const int *const *)seqs, lens, k, cv, &cfg, &icn, &icp, &hn);
            if (e < 0) {
                cli_error("melody", "cross-validation of %zu melodies in %d folds failed: %s", k, cv,
                          e == KS_E_USAGE ? "needs at least as many melodies as folds" : ks_error_meaning(e));
                rc = 1;
            } else {
                printf("melodies\t%zu\nnotes\t%zu\nfolds\t%d\n", k, notes, cv);
                printf("mean_ic_per_note\t%.4f\nmean_ic_per_melody\t%.4f\nmean_entropy\t%.4f\n", icn, icp, hn);
            }
        } else {
            int e = ks_melody_write_ltm(write_ltm, (const int *const *)seqs, lens, k, &cfg, desc);
            if (e < 0) {
                cli_error("melody", "cannot write %s: %s", write_ltm, ks_error_meaning(e));
                rc = 1;
            } else {
                fprintf(stderr, "kitsch melody: wrote %s (%zu melodies, %zu notes)\n", write_ltm, k, notes);
            }
        }
        for (size_t i = 0; i < k; i++)
            x_free(seqs[i]);
        x_free(seqs);
        x_free(lens);
        goto done;
    }

    FILE *out = cli_open_output("melody", out_path, force);
    if (!out) {
        rc = 2;
        goto done;
    }
    char config[17];
    ks_options opt;
    ks_options_default(&opt);
    ks_options_hash(&opt, config);
    const char *hashed_file = NULL;
    char file_sha[65] = "";
    int64_t file_bytes = -1;
    for (size_t i = 0; i < ts.n; i++) {
        tune *t = &ts.v[i];
        if (notes_only) {
            if (t->err < 0) {
                cli_error("melody", "%s: %s", t->label, t->msg);
                rc = 1;
                continue;
            }
            for (size_t j = 0; j < t->n; j++)
                fprintf(out, "%s\t%.4f\t%.4f\t%d\n", t->label, t->notes[j].onset_s, t->notes[j].dur_s, t->notes[j].pitch);
            continue;
        }
        double t0 = cli_now();
        ks_record r;
        ks_record_init(&r);
        r.path = x_strdup(t->label);
        r.modality = x_strdup("audio");
        r.seq = (int64_t)i;
        snprintf(r.tool, sizeof r.tool, "%s", KS_TOOL_VERSION);
        memcpy(r.config, config, sizeof config);
        /* Size and hash of the input file, once per file (an ABC or note
         * list holds many melodies). */
        if (!hashed_file || strcmp(hashed_file, t->file) != 0) {
            struct stat st;
            unsigned char *buf;
            size_t len;
            char msg[64];
            hashed_file = t->file;
            file_bytes = stat(t->file, &st) == 0 && S_ISREG(st.st_mode) ? (int64_t)st.st_size : -1;
            file_sha[0] = '\0';
            if (file_bytes >= 0 && read_file(t->file, &buf, &len, msg, sizeof msg) == 0) {
                ks_sha256_hex(buf, len, file_sha);
                x_free(buf);
            }
        }
        r.bytes = file_bytes;
        memcpy(r.sha256, file_sha, sizeof file_sha);
        if (t->err < 0) {
            ks_record_fail(&r, t->err, "%s", t->msg);
        } else if (t->n < KS_MELODY_MIN_NOTES) {
            ks_record_fail(&r, KS_E_TOO_SHORT, "%zu notes; at least %d are needed", t->n, KS_MELODY_MIN_NOTES);
        } else {
            int e = ks_melody_measure(t->notes, t->n, &r);
            if (e < 0 && r.status == KS_STATUS_OK)
                ks_record_fail(&r, e, "melody measure failed");
        }
        if (r.status != KS_STATUS_OK)
            rc = 1;
        r.elapsed_ms = (cli_now() - t0) * 1000.0;
        char *line = ks_record_dump(&r);
        fprintf(out, "%s\n", line);
        x_free(line);
        ks_record_clear(&r);
    }
    if (out != stdout)
        fclose(out);
done:
    for (size_t i = 0; i < ts.n; i++) {
        x_free(ts.v[i].label);
        x_free(ts.v[i].notes);
    }
    x_free(ts.v);
    x_free(files);
    return rc;
}
