#!/usr/bin/env bash
# The real-Slurm test of sharded sweeps (issue #17), run by .ci/run after tests/slurm/install.sh.
#
# A single-node Slurm (munge, slurmctld and slurmd in the foreground, proctrack/linuxproc, task/none, no
# accounting) is configured under a temp folder (SLURM_CONF) and started; a small sim1 (8 cells) runs once
# as one process and once as `deno task submit … --slurm --tasks 4` (a 4-task array plus the merge job);
# the tables must be byte-identical. Then one task is made to fail (its cells' records are deleted and one
# record path is blocked, so the task stops with an I/O error), the merge reports the missing cells and
# exits non-zero, `submit --only-missing` resubmits that index alone, and the merged tables are identical
# again. Every daemon started here is stopped by PID on exit, even on failure.
#
# Exit 0 passed, 1 failed, 77 skipped (not root, no Slurm/munge, or the daemons cannot start here).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export NO_COLOR=1
T0=$(date +%s.%N)
skip() { echo "slurm test: skipped ($*)"; exit 77; }
fail() { echo "slurm test: FAILED: $*"; exit 1; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" = 0 ] || skip "not root: slurmd and munged need root here"
for b in slurmctld slurmd munged; do [ -x "/usr/sbin/$b" ] || skip "/usr/sbin/$b not installed (tests/slurm/install.sh)"; done
for b in sbatch scontrol squeue setpriv; do command -v "$b" >/dev/null || skip "$b not on PATH"; done
[ -r /etc/munge/munge.key ] || skip "no /etc/munge/munge.key"
DENO=(${POLYLAB_DENO:-npx --yes deno@2.9.6})

BASE=$(mktemp -d /tmp/polylab-slurm-XXXXXX)
chmod 755 "$BASE"
PIDS=()
cleanup() {
  local status=$?
  [ -n "${SLURM_CONF:-}" ] && scancel --user=root >/dev/null 2>&1
  # munged's own pid (setpriv execs it, but it forks nothing in the foreground: $! is munged)
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  if [ "$status" != 0 ] && [ "$status" != 77 ] && [ -d "$BASE" ]; then
    echo "--- slurmctld.log (tail)"; tail -n 15 "$BASE/slurmctld.log" 2>/dev/null
    echo "--- slurmd.log (tail)"; tail -n 15 "$BASE/slurmd.log" 2>/dev/null
    for f in "$BASE"/out/array/sim1/*/slurm/logs/*.out; do [ -f "$f" ] && { echo "--- $f"; tail -n 5 "$f"; }; done
  fi
  rm -rf "$BASE"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 20000))
    ss -ltn "( sport = :$p )" 2>/dev/null | grep -q ":$p" || { echo "$p"; return; }
  done
  echo 26817
}
HOST=$(hostname -s 2>/dev/null || uname -n | cut -d. -f1)
CTLD_PORT=$(free_port)
SLURMD_PORT=$(free_port)
[ "$CTLD_PORT" != "$SLURMD_PORT" ] || SLURMD_PORT=$((CTLD_PORT + 1))

# munge, as the munge user, on a private socket
install -d -o munge -g munge -m 755 "$BASE/munge"
setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F --force \
  --socket="$BASE/munge/munge.socket" --pid-file="$BASE/munge/munged.pid" \
  --log-file="$BASE/munge/munged.log" --seed-file="$BASE/munge/munged.seed" >>"$BASE/munge/munged.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$BASE/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$BASE/munge/munge.socket" ] || skip "munged did not start ($(tail -n 2 "$BASE/munge/munged.log" 2>/dev/null))"

mkdir -p "$BASE/state" "$BASE/spool"
export SLURM_CONF="$BASE/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=polylab
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$BASE/munge/munge.socket
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool
SlurmctldPidFile=$BASE/slurmctld.pid
SlurmdPidFile=$BASE/slurmd.pid
SlurmctldLogFile=$BASE/slurmctld.log
SlurmdLogFile=$BASE/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SchedulerParameters=kill_invalid_depend
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=600
MpiDefault=none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF

/usr/sbin/slurmctld -D -i -f "$SLURM_CONF" >>"$BASE/slurmctld.out" 2>&1 &
PIDS+=($!)
/usr/sbin/slurmd -D -N "$HOST" -f "$SLURM_CONF" >>"$BASE/slurmd.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do
  state=$(scontrol show node "$HOST" 2>/dev/null | sed -n 's/.*State=\([A-Z+]*\).*/\1/p' | head -n 1)
  [ "$state" = IDLE ] && break
  sleep 0.2
done
[ "${state:-}" = IDLE ] || skip "the single-node cluster did not come up (node state '${state:-none}')"
echo "slurm test: cluster up (slurm $(/usr/sbin/slurmctld -V | cut -d' ' -f2), node $HOST) in $(elapsed "$T0") s"

SETS=(--set 'grid={"model.activation":["tanh","sigmoid"],"model.layers":[1,2]}' --set repetitions=2
  --set train.epochs=200 --set 'outputs.formats=["svg"]')
OUT="$BASE/out"

# one process (default workers)
t=$(date +%s.%N)
"${DENO[@]}" task -q run sim1 "${SETS[@]}" --out "$OUT/single" --run-id r --quiet >"$BASE/single.log" 2>&1 ||
  fail "the single-process run failed: $(tail -n 3 "$BASE/single.log")"
SINGLE_S=$(elapsed "$t")
SINGLE="$OUT/single/sim1/r"

# wait until none of our jobs is pending or running
wait_jobs() {
  for _ in $(seq 900); do
    [ -z "$(squeue -h -o %i 2>/dev/null)" ] && return 0
    sleep 0.2
  done
  fail "jobs still queued after 180 s: $(squeue 2>&1 | tail -n 5)"
}
job_exit() { scontrol -o show job "$1" 2>/dev/null | sed -n 's/.* ExitCode=\([0-9:]*\).*/\1/p'; }
same_tables() {
  local a=$1 b=$2 f
  [ -d "$b/tables" ] || return 1
  for f in "$a"/tables/*.csv; do cmp -s "$f" "$b/tables/$(basename "$f")" || return 1; done
  [ "$(ls "$a"/tables/*.csv | wc -l)" = "$(ls "$b"/tables/*.csv | wc -l)" ]
}

# the array: 4 tasks, at most 2 at once (2 CPUs), plus the merge
t=$(date +%s.%N)
submitted=$("${DENO[@]}" task -q submit sim1 --slurm --tasks 4 --parallel 2 "${SETS[@]}" --out "$OUT/array" \
  --run-id r 2>&1) || fail "submit failed: $submitted"
echo "slurm test: $submitted"
ARRAY_JOB=$(sed -n 's/^submitted array job \([0-9]*\).*/\1/p' <<<"$submitted")
MERGE_JOB=$(sed -n 's/.* merge job \([0-9]*\).*/\1/p' <<<"$submitted")
[ -n "$ARRAY_JOB" ] && [ -n "$MERGE_JOB" ] || fail "could not read the job ids from: $submitted"
wait_jobs
ARRAY_S=$(elapsed "$t")
RUN="$OUT/array/sim1/r"
[ "$(job_exit "$MERGE_JOB")" = "0:0" ] || fail "merge job $MERGE_JOB exit $(job_exit "$MERGE_JOB"): $(tail -n 3 "$RUN"/slurm/logs/merge-*.out)"
same_tables "$SINGLE" "$RUN" || fail "the array's tables differ from the single process's"
shards=$(grep -c '"shard":' "$RUN/manifest.json")
[ "$shards" = 4 ] || fail "the manifest records $shards shard attempts, expected 4"
echo "slurm test: 4-task array + merge byte-identical to one process (tables/*.csv); wall time: one process" \
  "${SINGLE_S} s, array of 4 tasks (2 at a time) + merge ${ARRAY_S} s"

# one task fails: shard 2's cell records are gone and one of its record paths is blocked (an I/O error)
rm -rf "$RUN/tables" "$RUN/metrics.jsonl" "$RUN/report.md"
rm -f "$RUN/cells/g001-r00.json" "$RUN/cells/g003-r00.json"
mkdir "$RUN/cells/g003-r00.json"
t=$(date +%s.%N)
submitted=$("${DENO[@]}" task -q submit sim1 --slurm --tasks 4 --parallel 2 "${SETS[@]}" --out "$OUT/array" \
  --run-id r 2>&1) || fail "second submit failed: $submitted"
MERGE_JOB=$(sed -n 's/.* merge job \([0-9]*\).*/\1/p' <<<"$submitted")
wait_jobs
merge_log=$(cat "$RUN/slurm/logs/merge-$MERGE_JOB.out" 2>/dev/null)
[ "$(job_exit "$MERGE_JOB")" = "6:0" ] || fail "the merge should exit 6 (missing cells), got $(job_exit "$MERGE_JOB"): $merge_log"
grep -q "1 of 8 cells have no record (shard 2/4): g003-r00" <<<"$merge_log" ||
  fail "the merge did not list the missing cell: $merge_log"
[ ! -e "$RUN/tables" ] || fail "an incomplete merge wrote tables"
echo "slurm test: a failed task (I/O error) → the merge reports: $(grep -o -- '--aggregate: [^;]*' <<<"$merge_log" | head -n 1)"

# free the path, resubmit only the missing index
rmdir "$RUN/cells/g003-r00.json"
submitted=$("${DENO[@]}" task -q submit sim1 --slurm --tasks 4 --only-missing "${SETS[@]}" --out "$OUT/array" \
  --run-id r 2>&1) || fail "--only-missing failed: $submitted"
grep -q "shards 2 of 4" <<<"$submitted" || fail "--only-missing should resubmit index 2 alone: $submitted"
MERGE_JOB=$(sed -n 's/.* merge job \([0-9]*\).*/\1/p' <<<"$submitted")
wait_jobs
[ "$(job_exit "$MERGE_JOB")" = "0:0" ] || fail "merge after --only-missing exit $(job_exit "$MERGE_JOB")"
same_tables "$SINGLE" "$RUN" || fail "tables after --only-missing differ from the single process's"
echo "slurm test: --only-missing resubmitted shard 2 alone ($(elapsed "$t") s for the failing round and the" \
  "resubmission); tables byte-identical again"
echo "slurm test: passed in $(elapsed "$T0") s"
