/* cmd_registry.c - `kitsch features` and `kitsch schema`: the registry as
 * a table, as JSON, and as the JSON Schema of a record. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"

const char cmd_features_help[] =
    "Usage: kitsch features [--json] [--modality M]\n"
    "\n"
    "List every feature kitsch measures: name, unit, direction, facet, meaning\n"
    "and the paper it comes from. Direction +1 means a higher value is more\n"
    "kitsch (more averaged or predictable), -1 means a lower value is, and 0\n"
    "marks context (length, duration, resolution) that is reported, not scored.\n"
    "The facet says what the feature measures: averaging (closeness to the\n"
    "typical, within-set similarity) or predictability (entropy, information\n"
    "content, regularity). Descriptors (vectors for set measures), info fields\n"
    "and set metrics are listed after the features.\n"
    "\n"
    "Options:\n"
    "  --json        the whole registry as JSON\n"
    "  --modality M  only text, audio, image or video\n"
    "\n"
    "Examples:\n"
    "  kitsch features --modality text\n"
    "  kitsch features --json | python3 -m json.tool\n";

const char cmd_schema_help[] =
    "Usage: kitsch schema\n"
    "\n"
    "Print the JSON Schema (draft 2020-12) that every record written by\n"
    "`kitsch analyze` satisfies. It is generated from the same registry as the\n"
    "records, so it always lists exactly the features this build knows.\n"
    "\n"
    "Example (validate output with python3-jsonschema):\n"
    "  kitsch schema > kitsch.schema.json\n"
    "  python3 -c 'import json,sys,jsonschema; s=json.load(open(\"kitsch.schema.json\"));\n"
    "    [jsonschema.validate(json.loads(l), s) for l in open(\"out.jsonl\")]'\n";

static int prefix_is(const char *name, const char *mod)
{
    size_t n = strlen(mod);
    return strncmp(name, mod, n) == 0 && name[n] == '.';
}

int cmd_features(int argc, char **argv);
int cmd_features(int argc, char **argv)
{
    int json = 0;
    const char *mod = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--modality") == 0 && i + 1 < argc)
            mod = argv[++i];
        else
            return cli_usage("features", "unknown argument '%s'", argv[i]);
    }
    if (mod && !cli_valid_modality(mod))
        return cli_usage("features", "--modality must be text, audio, image or video");
    if (json) {
        char *s = ks_features_dump();
        puts(s);
        x_free(s);
        return 0;
    }
    printf("%-34s %-10s %4s  %-14s %s\n", "feature", "unit", "dir", "facet", "meaning [citation]");
    for (int i = 0; i < KS_NFEATURES; i++) {
        const ks_feature_def *f = &ks_features[i];
        if (mod && !prefix_is(f->name, mod))
            continue;
        printf("%-34s %-10s %+4d  %-14s %s%s%s%s\n", f->name, f->unit, f->direction, ks_facet_name(f->facet),
               f->meaning, *f->cite ? " [" : "", f->cite, *f->cite ? "]" : "");
    }
    printf("\n%-34s %6s  %s\n", "descriptor", "length", "meaning");
    for (int i = 0; i < KS_NDESCRIPTORS; i++)
        if (!mod || prefix_is(ks_descriptors[i].name, mod))
            printf("%-34s %6d  %s\n", ks_descriptors[i].name, ks_descriptors[i].len, ks_descriptors[i].meaning);
    printf("\n%-34s %s\n", "info", "meaning");
    for (int i = 0; i < KS_NINFO; i++)
        if (!mod || prefix_is(ks_infos[i].name, mod))
            printf("%-34s %s\n", ks_infos[i].name, ks_infos[i].meaning);
    printf("\n%-34s %-10s %4s  %s\n", "set metric", "unit", "dir", "meaning [citation]");
    for (int i = 0; i < KS_NSETMETRICS; i++) {
        const ks_setmetric_def *s = &ks_setmetrics[i];
        if (mod && !prefix_is(s->name, mod))
            continue;
        printf("%-34s %-10s %+4d  %s%s%s%s\n", s->name, s->unit, s->direction, s->meaning, *s->cite ? " [" : "",
               s->cite, *s->cite ? "]" : "");
    }
    return 0;
}

int cmd_schema(int argc, char **argv);
int cmd_schema(int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage("schema", "takes no arguments");
    char *s = ks_schema_dump();
    puts(s);
    x_free(s);
    return 0;
}
