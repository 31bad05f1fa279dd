/* cmd_calibrate.c - `kitsch calibrate`: build a reference profile from
 * records of reference (e.g. human-made) works. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agg_cli.h"
#include "cli.h"

const char cmd_calibrate_help[] =
    "Usage: kitsch calibrate [OPTIONS] INPUT... -o PROFILE.json\n"
    "\n"
    "Build a reference profile from reference works (e.g. human-made ones):\n"
    "per feature n, 101 quantiles, median and MAD. `kitsch score --profile`\n"
    "places new works against it. INPUT is a records file, a summary (from\n"
    "`kitsch summarize`/`kitsch merge`: the profile equals the one from all\n"
    "records in one run) or a folder (analysed on the fly). Beyond --k records\n"
    "the quantiles come from a uniform bottom-k sample; n stays exact.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   profile to write (refuses to overwrite)\n"
    "      --force         overwrite\n"
    "      --modality M    only records of modality M (text, image, audio, video)\n"
    "      --label TEXT    how reasons name the reference (default: human reference)\n"
    "      --source TEXT   free text stored in the profile (where the works came from)\n"
    "      --k K           sample size for quantiles (default 100000)\n"
    "\n"
    "Examples:\n"
    "  kitsch analyze my_human_stories/ -o human.jsonl\n"
    "  kitsch calibrate human.jsonl --modality text -o human-profile.json\n"
    "  kitsch score new.jsonl --profile human-profile.json --format table\n";

int cmd_calibrate(int argc, char **argv);
int cmd_calibrate(int argc, char **argv)
{
    enum { O_FORCE = 256, O_MOD, O_LABEL, O_SOURCE, O_K };
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'}, {"force", no_argument, 0, O_FORCE},
        {"modality", required_argument, 0, O_MOD}, {"label", required_argument, 0, O_LABEL},
        {"source", required_argument, 0, O_SOURCE}, {"k", required_argument, 0, O_K}, {0, 0, 0, 0}};
    const char *out = NULL, *mod = NULL, *label = "human reference", *source = NULL;
    int force = 0, c, rc = 0;
    size_t k = 100000;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case O_FORCE: force = 1; break;
        case O_MOD:
            if (!cli_valid_modality(optarg))
                return cli_usage("calibrate", "--modality must be text, audio, image or video");
            mod = optarg;
            break;
        case O_LABEL: label = optarg; break;
        case O_SOURCE: source = optarg; break;
        case O_K:
            if (agg_parse_size("calibrate", "--k", optarg, 2, 100000000, &k))
                return 2;
            break;
        case ':': return cli_usage("calibrate", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("calibrate", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("calibrate", "no inputs");
    if (!out)
        return cli_usage("calibrate", "give the profile to write with -o FILE");
    ks_summary *s = ks_summary_new(k, 0);
    ks_group_rule rule;
    ks_group_rule_fixed(&rule, "reference");
    for (int i = optind; i < argc; i++)
        if (agg_read_into("calibrate", s, argv[i], &rule)) {
            ks_summary_del(s);
            return 1;
        }
    ks_sample *g = ks_summary_group(s, "reference");
    ks_sample_finish(g);
    ks_profile *p = ks_profile_new();
    ks_profile_from_sample(p, g, mod);
    x_free(p->label);
    p->label = x_strdup(label);
    x_free(p->modality);
    p->modality = x_strdup(mod ? mod : "");
    if (source) {
        x_free(p->source);
        p->source = x_strdup(source);
    }
    if (p->n_sampled == 0) {
        cli_error("calibrate", "no ok records%s%s in the inputs", mod ? " of modality " : "", mod ? mod : "");
        rc = 1;
    } else {
        char *txt = ks_profile_dump(p);
        size_t n = strlen(txt);
        txt = x_realloc(txt, n + 2);
        memcpy(txt + n, "\n", 2);
        rc = agg_write_text("calibrate", out, txt, force);
        x_free(txt);
        if (!rc)
            fprintf(stderr, "kitsch calibrate: %s from %lld records (%lld sampled)\n", out, (long long)p->n_records,
                    (long long)p->n_sampled);
    }
    ks_profile_del(p);
    ks_summary_del(s);
    return rc;
}
