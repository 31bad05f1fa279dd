#!/usr/bin/env python3
"""dask_kitsch.py - measure many files with kitsch on a Dask cluster.

The kitsch binary does the work; Dask only distributes it. The file paths
become a Dask bag; each partition runs one `kitsch analyze --files-from -`
process on a worker (which decodes in its own sandboxed worker processes),
writing part-K.jsonl into a folder every worker can reach; then
`kitsch merge` joins the parts into one records file, sorted by path, as a
single `kitsch analyze` over the same inputs writes them (modulo seq and
elapsed_ms).

    # a local cluster of 4 single-threaded workers (Debian: python3-distributed)
    python3 examples/dask_kitsch.py --workers 4 -o stories.jsonl stories/
    # an existing cluster; paths and --work-dir must be visible to every worker
    python3 examples/dask_kitsch.py --scheduler tcp://head:8786 \\
        --files-from all.txt --work-dir /shared/kitsch-parts -o all.jsonl

Then, e.g.: kitsch score stories.jsonl --format table
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile


def list_inputs(paths, files_from):
    """Files named on the command line, folders walked in sorted order."""
    out = []
    if files_from:
        src = sys.stdin if files_from == "-" else open(files_from)
        out += [line.rstrip("\n") for line in src if line.strip()]
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                out += [os.path.join(root, f) for f in sorted(files)]
        else:
            out.append(p)
    return out


def analyze_partition(paths, index, kitsch, jobs, work_dir, cwd, extra):
    """Runs on a worker: one kitsch process measures this partition's files.
    Exit status 1 only means some inputs got error records; the part is
    complete. Anything else (usage error, interrupted) fails the task."""
    out = os.path.join(work_dir, f"part-{index:05d}.jsonl")
    if os.path.exists(out):  # a retried task starts over
        os.unlink(out)
    cmd = [kitsch, "analyze", "-q", "--jobs", str(jobs), "--files-from", "-", "-o", out] + extra
    proc = subprocess.run(cmd, input="".join(p + "\n" for p in paths), text=True, cwd=cwd,
                          stderr=subprocess.PIPE)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"partition {index}: {' '.join(cmd)} exited {proc.returncode}: "
                           f"{proc.stderr.strip()}")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", help="files and folders to measure")
    ap.add_argument("--files-from", metavar="LIST", help="file with one input path a line ('-' = stdin)")
    ap.add_argument("-o", "--output", required=True, help="merged records file (JSON Lines)")
    ap.add_argument("--force", action="store_true", help="overwrite --output")
    ap.add_argument("--scheduler", metavar="ADDR", help="address of a running Dask scheduler")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="workers of the local cluster when no --scheduler (default: cores)")
    ap.add_argument("--partitions", type=int, default=0,
                    help="partitions of the bag (default: 4 per worker)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="kitsch worker processes per partition (default 1: Dask runs the partitions in parallel)")
    ap.add_argument("--kitsch", default=shutil.which("kitsch") or "kitsch", help="the kitsch binary")
    ap.add_argument("--work-dir", help="folder for the partition files (default: a temporary folder)")
    ap.add_argument("--analyze-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for kitsch analyze (repeatable), e.g. --analyze-arg=--modality=text")
    a = ap.parse_args()

    if os.path.exists(a.output) and not a.force:
        ap.error(f"{a.output} exists (use --force to overwrite)")
    if a.scheduler and not a.work_dir:
        ap.error("--scheduler needs --work-dir: a folder every worker can write and this machine can read")
    paths = list_inputs(a.paths, a.files_from)
    if not paths:
        ap.error("no inputs")
    kitsch = os.path.abspath(a.kitsch) if os.sep in a.kitsch else a.kitsch

    import dask.bag as db
    from dask import delayed
    from dask.distributed import Client, LocalCluster

    cluster = None
    if a.scheduler:
        client = Client(a.scheduler)
    else:
        # Processes, one thread each: the work is in the kitsch subprocesses.
        cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    nparts = max(1, min(len(paths), a.partitions or 4 * max(1, a.workers)))
    tmp = None
    work_dir = a.work_dir
    if not work_dir:
        tmp = tempfile.mkdtemp(prefix="kitsch-dask-")
        work_dir = tmp
    os.makedirs(work_dir, exist_ok=True)
    try:
        bag = db.from_sequence(paths, npartitions=nparts)
        # One delayed object per partition, so each knows its index.
        parts = bag.to_delayed()
        tasks = [delayed(analyze_partition)(p, i, kitsch, a.jobs, work_dir, os.getcwd(), a.analyze_arg)
                 for i, p in enumerate(parts)]
        files = client.compute(tasks, sync=True)
        merge = [kitsch, "merge", "-o", a.output] + (["--force"] if a.force else []) + sorted(files)
        rc = subprocess.run(merge).returncode
        if rc != 0:
            sys.exit(f"dask_kitsch: {' '.join(merge[:4])} ... exited {rc}")
        print(f"dask_kitsch: {len(paths)} inputs in {len(files)} partitions -> {a.output}",
              file=sys.stderr)
    finally:
        client.close()
        if cluster:
            cluster.close()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
