#!/bin/bash
# test_reliability_kill.sh - results already written survive kill -9.
#
# One 500-file run (text, so it is fast) is killed with SIGKILL at 20 points
# drawn at random over its progress; each killed run is continued by
# --resume, which is the next run to be killed. Every other kill also gets a
# torn last line appended, as a crash in the middle of a write would leave.
# After every kill the file must hold only whole valid JSON lines (a torn
# last one allowed) and no duplicate; at every fifth kill a --resume of a
# copy must complete it to exactly one record per input; the last resume
# completes the run itself to exactly one record per input with unique seq.
# No worker may outlive its killed parent (workers carry PR_SET_PDEATHSIG).
#
# The driver is one Python process (not a shell loop): kill points are taken
# by progress (output size), polled every half millisecond, so they fall
# where intended even on a loaded machine.
set -u
K=${KITSCH:?set KITSCH to the kitsch binary}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

python3 - "$K" "$T" <<'EOF'
import json, os, random, shutil, signal, subprocess, sys, time

K, T = sys.argv[1], sys.argv[2]
N = 500
IN = os.path.join(T, "in")
os.makedirs(IN)
rng = random.Random(20)
words = ("the a cat dog sea light house old new ran walked said quietly under over river stone "
         "garden window letter morning silver paper train").split()
for i in range(N):
    with open(os.path.join(IN, "k%03d.txt" % i), "w") as f:
        for s in range(rng.randint(3, 15)):
            f.write(" ".join(rng.choice(words) for _ in range(rng.randint(3, 18))).capitalize() + ". ")

fails = 0
def check(what, cond):
    global fails
    print(("ok: " if cond else "FAILED: ") + what, flush=True)
    fails += not cond

def analyze(*args):
    return subprocess.run([K, "analyze", "-q", "-j", "2", *args, IN]).returncode

def verify(path):
    """Exactly one ok record per input, unique seq, whole lines. Returns an error string or ''."""
    data = open(path, "rb").read()
    if not data.endswith(b"\n"):
        return "file does not end with a newline"
    try:
        recs = [json.loads(l) for l in data.split(b"\n")[:-1]]
    except ValueError as e:
        return f"invalid line: {e}"
    paths = [r["path"] for r in recs]
    if len(recs) != N or len(set(paths)) != N:
        return f"{len(recs)} records, {len(set(paths))} distinct paths, for {N} inputs"
    if len(set(r["seq"] for r in recs)) != N:
        return "duplicate seq"
    if not all(r["status"] == "ok" for r in recs):
        return "an input failed"
    return ""

def partial(path):
    """Whole valid lines (a torn last one allowed), no duplicates. Returns count or -1."""
    try:
        lines = open(path, "rb").read().split(b"\n")
    except FileNotFoundError:
        return 0
    try:
        paths = [json.loads(l)["path"] for l in lines[:-1]]
    except ValueError:
        return -1
    return len(paths) if len(paths) == len(set(paths)) <= N else -1

def children(pid):
    kids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                st = open(f"/proc/{d}/stat").read()
            except OSError:
                continue
            if int(st[st.rindex(")") + 2:].split()[1]) == pid:
                kids.append(int(d))
    return kids

def alive(pid):
    try:
        st = open(f"/proc/{pid}/stat").read()
    except OSError:
        return False
    return st[st.rindex(")") + 2] != "Z"  # a zombie of init is dead, just unreaped

full = os.path.join(T, "full.jsonl")
t0 = time.monotonic()
rc = analyze("-o", full)
err = verify(full)
check(f"uninterrupted run: {N} records in {time.monotonic() - t0:.2f} s {err}", rc == 0 and not err)
rec_bytes = os.path.getsize(full) / N

out = os.path.join(T, "chain.jsonl")
points = sorted(random.Random(8).sample(range(1, N), 20))
bad = orphans = 0
for i, at in enumerate(points, 1):
    p = subprocess.Popen([K, "analyze", "-q", "-j", "2", "--resume", out, IN])
    limit = at * rec_bytes
    while p.poll() is None:
        try:
            if os.stat(out).st_size >= limit:
                break
        except OSError:
            pass
        time.sleep(0.0005)
    kids = children(p.pid)
    p.send_signal(signal.SIGKILL)
    p.wait()
    # workers get SIGKILL from the kernel when the parent dies; tearing down
    # a process takes a moment (long under ASan, with its huge mappings)
    deadline = time.monotonic() + 30  # generous: a loaded machine under ASan is slow to reap
    while any(alive(c) for c in kids) and time.monotonic() < deadline:
        time.sleep(0.02)
    left = [c for c in kids if alive(c)]
    orphans += len(left)
    for c in left:
        os.kill(c, signal.SIGKILL)  # our own leaked worker, by id
    have = partial(out)
    msg = f"kill point {i:2d} (target {at:3d} records): {have} whole records"
    if have < 0:
        msg += ": DAMAGED FILE"
        bad += 1
    if i % 2 == 0 and os.path.exists(out) and os.path.getsize(out) > 0:
        with open(out, "ab") as f:
            f.write(b'{"schema":"kitsch/1","path":"torn')
        msg += " + torn line"
    if i % 5 == 0:
        copy = os.path.join(T, "copy.jsonl")
        shutil.copyfile(out, copy)
        rc = analyze("--resume", copy)
        err = verify(copy) if rc == 0 else f"exit {rc}"
        msg += "; --resume of a copy: " + (err or f"exactly {N} records")
        bad += bool(err)
    if left:
        msg += f"; {len(left)} worker(s) outlived the parent"
    print(msg, flush=True)
rc = analyze("--resume", out)
err = verify(out) if rc == 0 else f"exit {rc}"
print("final --resume: " + (err or f"exactly {N} records, unique seq, whole lines"))
bad += bool(err)
check("20 kill -9 points + --resume: valid file every time, exactly one record per input", bad == 0)
check(f"no worker outlives a killed parent ({orphans})", orphans == 0)
sys.exit(1 if fails else 0)
EOF
