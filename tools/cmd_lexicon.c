/* cmd_lexicon.c - `kitsch lexicon mine|check`: mine an over-used phrase
 * lexicon from a human and an AI set of texts (text/lexicon.c does the
 * statistics), and check a lexicon file. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "json.h"
#include "lexicon.h"
#include "text.h"

const char cmd_lexicon_help[] =
    "Usage: kitsch lexicon mine --human PATH... --ai PATH... -o lexicon.tsv [options]\n"
    "       kitsch lexicon check FILE\n"
    "\n"
    "mine: rank words, stop-word-stripped 2- and 3-word phrases, and character\n"
    "names by how much more the AI texts use them than the human texts, with the\n"
    "weighted log-odds ratio and an informative Dirichlet prior of Monroe,\n"
    "Colaresi & Quinn 2008 (\"Fightin' Words\"). A phrase must appear in at least\n"
    "--min-df AI documents, so one long work cannot dominate. The output is a\n"
    "TSV (kind, phrase, n, z, count_ai, count_human, df_ai, df_human) that\n"
    "`kitsch analyze --lexicon FILE` applies instead of the built-in lexicon.\n"
    "\n"
    "Each PATH (repeat --human/--ai as often as needed) is one of:\n"
    "  a folder         every file under it (recursively) is one document;\n"
    "  a .jsonl file    one document per line: its \"output\" or \"text\" string,\n"
    "                   or a kitsch record's text.excerpt descriptor (records carry\n"
    "                   only the first ~768 bytes of each text: prefer the texts);\n"
    "  a fortune file   (lines holding a single %) one document per fortune;\n"
    "  any other file   one document.\n"
    "Files that are not valid UTF-8 (e.g. fortune .dat indexes) are skipped and counted.\n"
    "\n"
    "Options:\n"
    "  -o FILE          write the lexicon here (\"-\" = stdout); never overwrites without --force\n"
    "  --force          overwrite FILE\n"
    "  --min-df N       minimum AI document frequency (default 5)\n"
    "  --min-z Z        minimum z-score (default 1; entries are ranked by z)\n"
    "  --alpha0 A       prior strength in pseudo-counts (default 1000)\n"
    "  --top-words N    at most N words (default 400); also --top-ngrams (400), --top-names (40)\n"
    "\n"
    "check: parse a lexicon exactly as `analyze --lexicon` would and print its\n"
    "entry counts; exit 1 if it is malformed.\n"
    "\n"
    "Examples:\n"
    "  kitsch lexicon mine --human corpus/human --ai corpus/gpt --ai corpus/llama -o mine.tsv\n"
    "  kitsch lexicon mine --human /usr/share/games/fortunes/literature --ai stories.jsonl -o - | head\n"
    "  kitsch analyze --lexicon mine.tsv stories/ -o out.jsonl\n";

typedef struct mine_ctx {
    ks_lexmine *m;
    size_t docs[2], skipped[2];
} mine_ctx;

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0, k;
    char *b = x_malloc(cap + 1);
    while ((k = fread(b + len, 1, cap - len, f)) > 0) {
        len += k;
        if (len == cap) {
            cap *= 2;
            b = x_realloc(b, cap + 1);
        }
    }
    fclose(f);
    b[len] = '\0';
    *n = len;
    return b;
}

static void add_doc(mine_ctx *c, int side, const char *s, size_t n)
{
    char msg[200];
    if (ks_lexmine_add(c->m, side, s, n, msg, sizeof msg) == 0)
        c->docs[side]++;
    else
        c->skipped[side]++;
}

static int is_fortune_file(const char *s, size_t n)
{
    int seps = 0;
    for (size_t i = 0; i + 1 < n && seps < 3; i++)
        if ((i == 0 || s[i - 1] == '\n') && s[i] == '%' && (s[i + 1] == '\n'))
            seps++;
    return seps >= 3;
}

/* One document per JSON line: its "output" or "text" string, or, for a
 * kitsch record, the excerpt packed in its text.excerpt descriptor. */
static void add_jsonl(mine_ctx *c, int side, char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        if (e > i) {
            char err[200], ex[1024];
            const char *t = NULL;
            ks_json *j = ks_json_loads(s + i, e - i, err, sizeof err);
            if (j) {
                t = ks_json_str(ks_json_get(j, "output"));
                if (!t)
                    t = ks_json_str(ks_json_get(j, "text"));
            }
            ks_record r;
            ks_record_init(&r);
            if (j && !t && ks_record_parse(s + i, e - i, &r, err, sizeof err) == 0 && r.status == KS_STATUS_OK &&
                ks_text_excerpt_unpack(&r.desc[KS_D_TEXT_EXCERPT], ex, sizeof ex) > 0)
                t = ex;
            if (t)
                add_doc(c, side, t, strlen(t));
            else
                c->skipped[side]++;
            ks_record_clear(&r);
            ks_json_del(j);
        }
        i = e + 1;
    }
}

static void add_file(mine_ctx *c, int side, const char *path)
{
    size_t n = 0;
    char *s = slurp(path, &n);
    if (!s) {
        c->skipped[side]++;
        return;
    }
    size_t pl = strlen(path);
    if (pl > 6 && strcmp(path + pl - 6, ".jsonl") == 0) {
        add_jsonl(c, side, s, n);
    } else if (is_fortune_file(s, n)) {
        size_t i = 0;
        while (i < n) {
            size_t e = i;
            while (e < n && !((e == 0 || s[e - 1] == '\n') && s[e] == '%' && (e + 1 >= n || s[e + 1] == '\n')))
                e++;
            if (e > i)
                add_doc(c, side, s + i, e - i);
            i = e + 2;
        }
    } else {
        add_doc(c, side, s, n);
    }
    x_free(s);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void add_path(mine_ctx *c, int side, const char *path, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0 || depth > 32) {
        c->skipped[side]++;
        return;
    }
    if (S_ISREG(st.st_mode)) {
        add_file(c, side, path);
        return;
    }
    if (!S_ISDIR(st.st_mode))
        return;
    DIR *d = opendir(path);
    if (!d) {
        c->skipped[side]++;
        return;
    }
    /* Sorted, so the lexicon does not depend on directory order. */
    char **names = NULL;
    size_t nn = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (nn == cap) {
            cap = cap ? 2 * cap : 64;
            names = x_realloc(names, cap * sizeof *names);
        }
        names[nn++] = x_strdup(e->d_name);
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_str);
    for (size_t i = 0; i < nn; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *p = x_malloc(len);
        snprintf(p, len, "%s/%s", path, names[i]);
        add_path(c, side, p, depth + 1);
        x_free(p);
        x_free(names[i]);
    }
    x_free(names);
}

static int lexicon_check(const char *path)
{
    ks_lexicon *l = NULL;
    char msg[300];
    if (ks_lexicon_load(path, &l, msg, sizeof msg) < 0) {
        cli_error("lexicon", "%s", msg);
        return 1;
    }
    printf("%s: %zu words, %zu phrases, %zu names\n", path, ks_lexicon_count(l, KS_LEX_WORD),
           ks_lexicon_count(l, KS_LEX_NGRAM), ks_lexicon_count(l, KS_LEX_NAME));
    ks_lexicon_del(l);
    return 0;
}

static int parse_num(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return errno || end == s || *end != '\0' ? -1 : 0;
}

int cmd_lexicon(int argc, char **argv);
int cmd_lexicon(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("lexicon", "expected a subcommand: mine or check");
    if (strcmp(argv[1], "check") == 0) {
        if (argc != 3)
            return cli_usage("lexicon", "check takes one FILE");
        return lexicon_check(argv[2]);
    }
    if (strcmp(argv[1], "mine") != 0)
        return cli_usage("lexicon", "unknown subcommand '%s' (mine or check)", argv[1]);
    ks_lexmine_opts o;
    ks_lexmine_opts_default(&o);
    const char *out = NULL;
    int force = 0;
    const char **paths = x_malloc((size_t)argc * sizeof *paths);
    int *sides = x_malloc((size_t)argc * sizeof *sides);
    size_t np = 0;
    int rc = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        double v;
        int has = i + 1 < argc;
        if ((strcmp(a, "--human") == 0 || strcmp(a, "--ai") == 0) && has) {
            sides[np] = strcmp(a, "--ai") == 0;
            paths[np++] = argv[++i];
        } else if (strcmp(a, "-o") == 0 && has) {
            out = argv[++i];
        } else if (strcmp(a, "--force") == 0) {
            force = 1;
        } else if (strcmp(a, "--min-df") == 0 && has && parse_num(argv[i + 1], &v) == 0 && v >= 1) {
            o.min_df = (int)v;
            i++;
        } else if (strcmp(a, "--min-z") == 0 && has && parse_num(argv[i + 1], &v) == 0) {
            o.min_z = v;
            i++;
        } else if (strcmp(a, "--alpha0") == 0 && has && parse_num(argv[i + 1], &v) == 0 && v > 0) {
            o.alpha0 = v;
            i++;
        } else if (strcmp(a, "--top-words") == 0 && has && parse_num(argv[i + 1], &v) == 0 && v >= 0) {
            o.top[KS_LEX_WORD] = (int)v;
            i++;
        } else if (strcmp(a, "--top-ngrams") == 0 && has && parse_num(argv[i + 1], &v) == 0 && v >= 0) {
            o.top[KS_LEX_NGRAM] = (int)v;
            i++;
        } else if (strcmp(a, "--top-names") == 0 && has && parse_num(argv[i + 1], &v) == 0 && v >= 0) {
            o.top[KS_LEX_NAME] = (int)v;
            i++;
        } else {
            rc = cli_usage("lexicon", "bad or incomplete argument '%s'", a);
            goto done;
        }
    }
    if (!out) {
        rc = cli_usage("lexicon", "-o FILE is required (\"-\" for stdout)");
        goto done;
    }
    int have[2] = {0, 0};
    for (size_t i = 0; i < np; i++)
        have[sides[i]] = 1;
    if (!have[0] || !have[1]) {
        rc = cli_usage("lexicon", "need at least one --human and one --ai path");
        goto done;
    }
    FILE *f = cli_open_output("lexicon", out, force);
    if (!f) {
        rc = 2;
        goto done;
    }
    mine_ctx c = {0};
    c.m = ks_lexmine_new();
    for (size_t i = 0; i < np; i++)
        add_path(&c, sides[i], paths[i], 0);
    fprintf(stderr, "kitsch lexicon: %zu human and %zu AI documents (%zu and %zu skipped)\n", c.docs[0], c.docs[1],
            c.skipped[0], c.skipped[1]);
    if (!c.docs[0] || !c.docs[1]) {
        cli_error("lexicon", "no usable documents on one side");
        rc = 1;
    } else {
        size_t ne;
        char *tsv = ks_lexmine_tsv(c.m, &o, &ne);
        if (fputs(tsv, f) == EOF)
            rc = 1;
        x_free(tsv);
        fprintf(stderr, "kitsch lexicon: %zu entries\n", ne);
    }
    ks_lexmine_del(c.m);
    if (f != stdout) {
        if (fclose(f) != 0) {
            cli_error("lexicon", "%s: write failed", out);
            rc = 1;
        }
    } else if (fflush(stdout) != 0) {
        rc = 1;
    }
done:
    x_free(paths);
    x_free(sides);
    return rc;
}
