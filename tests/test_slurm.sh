#!/bin/bash
# test_slurm.sh - tools/kitsch-slurm on a real single-node Slurm cluster:
# starts munged, slurmctld and slurmd (Debian slurm-wlm + munge) on localhost
# from a generated slurm.conf in a temporary folder (no systemd needed), runs
# a 4-task job array over generated text files with a dependent merge +
# compare + score job, and checks that the merged records equal one
# `kitsch analyze` over the same inputs (modulo seq and elapsed_ms), with the
# same compare table and the same scores. Then submits again to check that a
# resubmission resumes (finished shards are not redone).
# Skips (77) only when Slurm cannot run here: no slurm-wlm/munge, not root.
set -u
K=${KITSCH:?set KITSCH to the kitsch binary}
SRC=${KS_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$SRC/tests/scale_lib.sh"
PATH=$PATH:/usr/sbin:/sbin
skip() { echo "SKIP test_slurm: $*" >&2; exit 77; }
for b in munged slurmctld slurmd sbatch sinfo squeue scontrol; do
    command -v $b > /dev/null || skip "$b not installed (Debian packages slurm-wlm and munge, listed in tools/deps-debian.txt)"
done
[ "$(id -u)" = 0 ] || skip "slurmd must run as root to start jobs; run the test as root (CI does)"
# If this test itself runs inside a Slurm job, its variables would leak into ours.
for v in $(compgen -e | grep '^SLURM_'); do unset "$v"; done

T=$(mktemp -d /tmp/ks-slurm.XXXXXX)
chmod 755 "$T" # munged insists that everyone may traverse to its socket
mkdir -p "$T/munge" "$T/state" "$T/spool" "$T/log"
export SLURM_CONF=$T/slurm.conf
stop() {
    scancel --quiet --full --user=root 2> /dev/null
    for p in slurmd slurmctld; do
        [ -s "$T/$p.pid" ] && kill "$(cat "$T/$p.pid")" 2> /dev/null
    done
    [ -S "$T/munge/sock" ] && munged --stop --socket="$T/munge/sock" > /dev/null 2>&1
    sleep 1
    rm -rf "$T"
}
trap stop EXIT
fail=0
check() { # check "what" command...
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fail=1; fi
}
logs() { for f in "$T"/log/*.log "$T"/out/logs/*.log; do [ -e "$f" ] && { echo "== $f"; tail -n 15 "$f"; }; done; }

# ---- a one-node cluster ----
head -c 1024 /dev/urandom > "$T/munge/munge.key"
chmod 600 "$T/munge/munge.key"
munged --socket="$T/munge/sock" --key-file="$T/munge/munge.key" --log-file="$T/log/munged.log" \
    --pid-file="$T/munge/munged.pid" --seed-file="$T/munge/seed" ||
    { logs; echo "FAILED: munged did not start"; exit 1; }
# Free ports, so a site's own Slurm on 6817/6818 is not disturbed.
read -r P1 P2 < <("$PY" -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
H=$(hostname -s)
cat > "$T/slurm.conf" <<EOF
ClusterName=kitschtest
SlurmctldHost=$H(127.0.0.1)
SlurmctldPort=$P1
SlurmdPort=$P2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge/sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=sched_interval=1
ReturnToService=2
NodeName=$H NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=kitsch Nodes=$H Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -i -f "$T/slurm.conf" || { logs; echo "FAILED: slurmctld did not start"; exit 1; }
slurmd -f "$T/slurm.conf" || { logs; echo "FAILED: slurmd did not start"; exit 1; }
for _ in $(seq 60); do
    [ "$(sinfo -h -N -o %T 2> /dev/null)" = idle ] && break
    sleep 0.5
done
check "single-node cluster up (node idle)" test "$(sinfo -h -N -o %T 2> /dev/null)" = idle
[ $fail = 0 ] || { logs; exit 1; }

# ---- inputs: 24 reference texts analysed here, 40 texts for the cluster ----
gen_texts "$T/in" 24 40
"$K" analyze -q -j 2 -o "$T/ref.jsonl" "$T/in/human"
find "$T/in/ai" -type f | sort > "$T/list"

cd "$T" || exit 1
timeout 300 "$SRC/tools/kitsch-slurm" --kitsch "$K" -n 4 --compare "$T/ref.jsonl" --score \
    "$T/list" "$T/out" --wait > "$T/submit.txt" 2>&1
rc=$?
cat "$T/submit.txt"
check "kitsch-slurm --wait exits 0" test $rc -eq 0
[ $rc = 0 ] || logs

tasks=$(grep -l "^shard [0-9]/4 on " "$T"/out/logs/shard-*.log 2> /dev/null | wc -l)
check "4 array tasks ran (logs of $tasks)" test "$tasks" -eq 4
nonempty=0
for i in 0 1 2 3; do [ -s "$T/out/shard-$i.jsonl" ] && nonempty=$((nonempty + 1)); done
check "at least 3 shards hold records ($nonempty)" test $nonempty -ge 3
check "merged: one record per input" test "$(wc -l < "$T/out/records.jsonl")" -eq 40

# ---- the same work in one run ----
"$K" analyze -q -j 2 --files-from "$T/list" -o "$T/single.jsonl"
check "merged records equal a single run (modulo seq, elapsed_ms)" \
    same_records "$T/single.jsonl" "$T/out/records.jsonl"
"$K" compare "$T/ref.jsonl" "$T/single.jsonl" > "$T/single-compare.txt"
check "compare table of the merged records equals the single run's" \
    cmp "$T/single-compare.txt" "$T/out/compare.txt"
check "compare found the templated texts (model AUROC line)" grep -q "AUROC" "$T/out/compare.txt"
check "compare HTML report written" test -s "$T/out/compare.html"
"$K" score --format csv "$T/single.jsonl" 2> /dev/null | sort > "$T/single-scores.csv"
check "scores.csv equals the single run's scores (as rows)" \
    cmp "$T/single-scores.csv" <(sort "$T/out/scores.csv")

# ---- resubmission resumes: finished shards are not redone ----
timeout 300 "$SRC/tools/kitsch-slurm" --kitsch "$K" -n 4 --compare "$T/ref.jsonl" --score \
    "$T/list" "$T/out" --wait > "$T/submit2.txt" 2>&1
check "resubmission exits 0" test $? -eq 0
done_again=$(grep -l "already done" "$T"/out/logs/shard-*.log 2> /dev/null | wc -l)
check "resubmitted tasks saw their shards done ($done_again of 4)" test "$done_again" -eq 4
check "records unchanged after resubmission" same_records "$T/single.jsonl" "$T/out/records.jsonl"
"$SRC/tools/kitsch-slurm" --kitsch "$K" -n 5 "$T/list" "$T/out" --dry-run > /dev/null 2>&1
check "refuses to reuse OUTDIR with another --tasks (exit 2)" test $? -eq 2

# ---- a task that cannot run: the merge job is cancelled, nothing merged ----
cat > "$T/broken-kitsch" <<EOF
#!/bin/sh
case " \$* " in *" 1/4 "*) echo "simulated failure" >&2; exit 3 ;; esac
exec "$K" "\$@"
EOF
chmod +x "$T/broken-kitsch"
timeout 300 "$SRC/tools/kitsch-slurm" --kitsch "$T/broken-kitsch" -n 4 "$T/list" "$T/out-broken" --wait \
    > "$T/submit3.txt" 2>&1
check "a failed task fails the run (non-zero exit)" test $? -ne 0
check "... and nothing is merged" test ! -e "$T/out-broken/records.jsonl"
check "... the failed shard is not marked done" test ! -e "$T/out-broken/shard-1.jsonl.done"

[ $fail = 0 ] || logs
exit $fail
