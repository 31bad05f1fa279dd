/* cmd_analyze.c - `kitsch analyze`: option parsing; the work is engine.c. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cmd_analyze_help[] =
    "Usage: kitsch analyze [OPTIONS] PATH...\n"
    "       kitsch analyze [OPTIONS] --files-from LIST\n"
    "\n"
    "Measure each file (folders are walked recursively, in sorted order) and\n"
    "write one JSON record per input, one per line (JSON Lines). The modality\n"
    "(text, audio, image, video) comes from the file's magic bytes, then its\n"
    "extension. A file that cannot be measured gets a record with\n"
    "status \"error\" and a specific error.code; the batch goes on.\n"
    "\n"
    "Records go to stdout unless -o is given; progress goes to stderr (a bar on\n"
    "a terminal, nothing when piped). Each input is decoded in a sandboxed\n"
    "worker process, so a crafted or broken file costs only its own record.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE     write records to FILE (refuses to overwrite)\n"
    "      --force           overwrite an existing output file\n"
    "      --resume FILE     continue an interrupted run: keep FILE's complete\n"
    "                        records, drop a torn last line, skip recorded inputs\n"
    "      --files-from LIST read input paths from LIST, one per line ('-' = stdin)\n"
    "  -j, --jobs N          worker processes (default: number of cores)\n"
    "      --modality M      treat every input as text, audio, image or video\n"
    "      --shard I/N       only inputs whose path hashes to shard I of N\n"
    "                        (stable across machines: for Slurm/Dask arrays)\n"
    "      --progress=KIND   bar (default on a terminal), jsonl (machine-readable\n"
    "                        lines on stderr) or none\n"
    "  -q, --quiet           no progress or summary on stderr\n"
    "      --timeout S       wall-clock seconds per input (default 10; video: S\n"
    "                        per minute of media, default 60)\n"
    "      --max-memory MIB  address-space limit per worker (default 1024)\n"
    "      --max-file-bytes N  refuse larger inputs (default 8 GiB)\n"
    "      --lexicon FILE    text: over-used phrase lexicon (default: built in)\n"
    "      --no-sandbox      no seccomp/rlimit confinement (debugging only)\n"
    "      --in-process      no worker processes at all: one crash or hang stops\n"
    "                        the batch, no timeouts (for gdb, valgrind, and as\n"
    "                        the reference of bench/isolation.sh)\n"
    "\n"
    "Exit status: 0 all inputs ok, 1 some inputs failed (see their records),\n"
    "2 usage error, 130 interrupted (output is valid; use --resume).\n"
    "\n"
    "Examples:\n"
    "  kitsch analyze -o stories.jsonl stories/\n"
    "  find clips -name '*.mp4' | kitsch analyze --files-from - -o clips.jsonl\n"
    "  kitsch analyze --resume stories.jsonl stories/     # after a crash or ^C\n"
    "  kitsch analyze --shard 3/8 --files-from all.txt -o shard-3.jsonl\n";

int cmd_analyze(int argc, char **argv);
int cmd_analyze(int argc, char **argv)
{
    enum { O_FORCE = 256, O_RESUME, O_FILES, O_MODALITY, O_SHARD, O_PROGRESS, O_TIMEOUT, O_MAXMEM,
           O_MAXFILE, O_LEXICON, O_NOSANDBOX, O_INPROC };
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'},     {"force", no_argument, 0, O_FORCE},
        {"resume", required_argument, 0, O_RESUME}, {"files-from", required_argument, 0, O_FILES},
        {"jobs", required_argument, 0, 'j'},       {"modality", required_argument, 0, O_MODALITY},
        {"shard", required_argument, 0, O_SHARD},  {"progress", required_argument, 0, O_PROGRESS},
        {"quiet", no_argument, 0, 'q'},            {"timeout", required_argument, 0, O_TIMEOUT},
        {"max-memory", required_argument, 0, O_MAXMEM}, {"max-file-bytes", required_argument, 0, O_MAXFILE},
        {"lexicon", required_argument, 0, O_LEXICON}, {"no-sandbox", no_argument, 0, O_NOSANDBOX},
        {"in-process", no_argument, 0, O_INPROC},
        {0, 0, 0, 0}};
    ks_run_opts o;
    ks_run_opts_default(&o);
    const char *out = NULL, *files_from = NULL;
    int c;
    char *end;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:j:q", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case O_FORCE: o.force = 1; break;
        case O_RESUME: o.resume = optarg; break;
        case O_FILES: files_from = optarg; break;
        case 'j':
            o.jobs = (int)strtol(optarg, &end, 10);
            if (*end || o.jobs < 1 || o.jobs > 1024)
                return cli_usage("analyze", "--jobs takes a number from 1 to 1024");
            break;
        case O_MODALITY:
            if (!cli_valid_modality(optarg))
                return cli_usage("analyze", "--modality must be text, audio, image or video");
            o.opt.forced_modality = optarg;
            break;
        case O_SHARD:
            if (cli_parse_shard(optarg, &o.shard_i, &o.shard_n) != 0)
                return cli_usage("analyze", "--shard takes I/N with 0 <= I < N, e.g. 0/4");
            break;
        case O_PROGRESS:
            if (strcmp(optarg, "jsonl") == 0)
                o.progress_jsonl = 1;
            else if (strcmp(optarg, "none") == 0)
                o.quiet = 1;
            else if (strcmp(optarg, "bar") != 0)
                return cli_usage("analyze", "--progress takes bar, jsonl or none");
            break;
        case 'q': o.quiet = 1; break;
        case O_TIMEOUT: {
            double t = strtod(optarg, &end);
            if (*end || !(t > 0))
                return cli_usage("analyze", "--timeout takes a positive number of seconds");
            for (int i = 0; i < 5; i++)
                o.timeout_s[i] = t;
            break;
        }
        case O_MAXMEM: {
            long long m = strtoll(optarg, &end, 10);
            if (*end || m < 64)
                return cli_usage("analyze", "--max-memory takes MiB, at least 64");
            o.max_memory = (int64_t)m << 20;
            break;
        }
        case O_MAXFILE: {
            long long m = strtoll(optarg, &end, 10);
            if (*end || m < 1)
                return cli_usage("analyze", "--max-file-bytes takes a positive number");
            o.opt.max_file_bytes = m;
            break;
        }
        case O_LEXICON: o.opt.lexicon_path = optarg; break;
        case O_NOSANDBOX: o.no_sandbox = 1; break;
        case O_INPROC: o.in_process = 1; break;
        case ':': return cli_usage("analyze", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("analyze", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (o.resume && out && strcmp(out, o.resume) != 0)
        return cli_usage("analyze", "--resume FILE writes to FILE; drop -o or give the same file");
    if (o.resume && o.force)
        return cli_usage("analyze", "--resume and --force contradict each other");
    if (optind >= argc && !files_from)
        return cli_usage("analyze", "no inputs: give files or folders, or --files-from LIST");
    return ks_run_analyze((const char *const *)argv + optind, (size_t)(argc - optind), files_from, &o, out);
}
