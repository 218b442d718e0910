#!/usr/bin/env bash
# npm run test:slurm: the array runs on a real (local, single-node) Slurm cluster.
#   1. the quick verify as a four-task array (verify.sbatch via submit.sh) merges into exactly the
#      unsharded quick report (reports/latest/report.json from npm test when it is of this commit);
#   2. a stability run of four root seeds as a four-task array (0-based ids) merges into exactly
#      the unsharded stability run (restricted to cheap claims to fit the time);
#   3. inside run 1: task 2 is cancelled while it runs, after it finished a unit, and resubmitted:
#      it continues its directory and keeps every unit it had finished (same records, same
#      durations); a new merge job runs, while the first, held by afterok on the whole array, is
#      cancelled by Slurm without ever running;
#   4. the merge job fails visibly, naming the shard, when a shard is missing.
# Skips with one line where Slurm is not installed or this is not root, unless
# RANKCHECK_REQUIRE_SLURM=1 (CI after a successful install), where that is a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
here=$repo/scripts/slurm

STABILITY_CLAIMS=fact-1,theorem-5
STABILITY_SEEDS=0-3
WAIT_LIMIT=900

skip() {
  if [ "${RANKCHECK_REQUIRE_SLURM:-}" = 1 ]; then
    echo "test:slurm: $1 (and RANKCHECK_REQUIRE_SLURM=1)" >&2
    exit 1
  fi
  echo "test:slurm: skipped: $1"
  exit 0
}
[ "$(id -u)" -eq 0 ] || skip "not root (the local cluster's daemons run as root)"
for cmd in munged slurmctld slurmd sbatch; do
  command -v "$cmd" >/dev/null || skip "$cmd is missing (apt-get install -y slurm-wlm munge)"
done

t_start=$EPOCHREALTIME
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }'; }
fail() {
  echo "test:slurm: FAILED: $*" >&2
  exit 1
}

work=$(mktemp -d /tmp/rankcheck-slurm-test.XXXXXX)
mkdir -p "$work/logs"
jobs_submitted=()
cluster_was_up=no
if scontrol ping 2>/dev/null | grep -q 'is UP'; then cluster_was_up=yes; fi
cleanup() {
  local status=$?
  if [ ${#jobs_submitted[@]} -gt 0 ]; then scancel "${jobs_submitted[@]}" 2>/dev/null || true; fi
  if [ "$cluster_was_up" = no ]; then "$here/stop.sh" >/dev/null || true; fi
  if [ "$status" -eq 0 ]; then rm -rf "$work"; else echo "test:slurm: files kept in $work" >&2; fi
}
trap cleanup EXIT

# --- helpers -------------------------------------------------------------------------------------
# Submits with sbatch and prints the job id (the caller adds it to jobs_submitted for the cleanup).
submit() {
  local id
  id=$(sbatch --parsable "$@")
  echo "${id%%;*}"
}
# The state of a job or array task (RUNNING, COMPLETED, CANCELLED, …).
state_of() { scontrol show job -o "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1; }
exit_of() { scontrol show job -o "$1" 2>/dev/null | sed -n 's/.* ExitCode=\([0-9:]*\).*/\1/p' | head -n 1; }
# A time field (SubmitTime, EndTime) of a job, in seconds since the epoch.
time_of() {
  date -d "$(scontrol show job -o "$1" 2>/dev/null | sed -n "s/.* $2=\([0-9T:-]*\).*/\1/p" | head -n 1)" +%s
}
# Waits until no task of the job is pending, running or completing.
wait_done() {
  local deadline=$((SECONDS + WAIT_LIMIT))
  while [ -n "$(squeue -h -j "$1" -t PD,R,CG,CF,S 2>/dev/null)" ]; do
    [ $SECONDS -lt $deadline ] || fail "job $1 still running after ${WAIT_LIMIT} s"
    sleep 0.5
  done
}
# completedUnits of a report.json (0 when it is not there yet).
completed_units() {
  node -e 'try { console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).completedUnits.length) } catch { console.log(0) }' "$1"
}

# --- 0. the cluster ------------------------------------------------------------------------------
t0=$EPOCHREALTIME
"$here/start.sh"
time_cluster=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

# The unsharded reference: npm test's audit:quick report when it is of this commit and clean tree.
head_commit=$(git rev-parse HEAD)
reference=$repo/reports/latest/report.json
reference_job=
if ! node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const p = r.provenance;
  process.exit(p.gitCommit === process.argv[2] && p.dirty === false && p.budget === "quick" && p.seed === 0 &&
    p.shard === null && !r.partial ? 0 : 1);
' "$reference" "$head_commit" 2>/dev/null; then
  echo "test:slurm: reports/latest/report.json is not the quick report of $head_commit on a clean tree:"
  echo "test:slurm: running the unsharded quick audit as well (the test then takes about 4 minutes longer)"
  reference=$work/unsharded/report.json
  reference_job=$(submit --cpus-per-task=1 --job-name=rankcheck-unsharded --output="$work/logs/unsharded-%j.out" \
    --wrap "node bin/rankcheck.js verify --budget quick --out $work/unsharded")
  jobs_submitted+=("$reference_job")
fi

# --- 1 and 3. verify as an array, one task cancelled and resubmitted -----------------------------
export RANKCHECK_BUDGET=quick
line=$(RANKCHECK_RUN_DIR=$work/verify "$here/submit.sh" verify --array=1-4 --cpus-per-task=1 \
  --output="$work/logs/%x-%A_%a.out")
read -r verify_array verify_merge < <(echo "$line" | sed -n 's/^array job \([0-9]*\) .*merge job \([0-9]*\):.*/\1 \2/p') || true
[ -n "${verify_merge:-}" ] || fail "submit.sh printed '$line'"
jobs_submitted+=("$verify_array" "$verify_merge")
echo "test:slurm: verify array $verify_array (4 tasks), merge $verify_merge"

# 3: cancel task 2 while it runs, once it has finished at least one unit.
task2=$work/verify/shards/task-2/report.json
deadline=$((SECONDS + WAIT_LIMIT))
until [ "$(state_of "${verify_array}_2")" = RUNNING ] && [ "$(completed_units "$task2")" -ge 1 ]; do
  [ $SECONDS -lt $deadline ] || fail "task ${verify_array}_2 never finished a unit"
  sleep 0.3
done
scancel "${verify_array}_2"
killed_at=$(date +%s)
wait_done "${verify_array}_2"
[ "$(state_of "${verify_array}_2")" = CANCELLED ] || fail "task 2 ended $(state_of "${verify_array}_2"), not CANCELLED"
cp "$task2" "$work/task-2-at-kill.json"
kept=$(completed_units "$work/task-2-at-kill.json")
partial=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).partial)' "$work/task-2-at-kill.json")
[ "$partial" = true ] || fail "task 2 had already finished when it was cancelled"
echo "test:slurm: cancelled task ${verify_array}_2 after $kept finished units"
resumed=$(RANKCHECK_RUN_DIR=$work/verify submit --array=2 --cpus-per-task=1 --output="$work/logs/%x-%A_%a-resubmitted.out" \
  "$here/verify.sbatch" --shard 2/4)
jobs_submitted+=("$resumed")
verify_merge2=$(submit --dependency="afterok:${verify_array}_1:${verify_array}_3:${verify_array}_4:$resumed" \
  --kill-on-invalid-dep=yes --output="$work/logs/merge-%j.out" "$here/merge.sbatch" "$work/verify")
jobs_submitted+=("$verify_merge2")
echo "test:slurm: resubmitted shard 2/4 as $resumed, new merge $verify_merge2"

# 2, submitted after the resubmitted task so that it fills the core the last verify task leaves idle.
line=$(RANKCHECK_RUN_DIR=$work/stability RANKCHECK_SEEDS=$STABILITY_SEEDS RANKCHECK_CLAIMS=$STABILITY_CLAIMS \
  "$here/submit.sh" stability --array=0-3 --cpus-per-task=1 --output="$work/logs/%x-%A_%a.out")
read -r stability_array stability_merge < <(echo "$line" | sed -n 's/^array job \([0-9]*\) .*merge job \([0-9]*\):.*/\1 \2/p') || true
[ -n "${stability_merge:-}" ] || fail "submit.sh printed '$line'"
jobs_submitted+=("$stability_array" "$stability_merge")
stability_whole=$(submit --cpus-per-task=1 --job-name=rankcheck-stability-whole \
  --output="$work/logs/stability-whole-%j.out" \
  --wrap "node bin/rankcheck.js stability --budget quick --seeds $STABILITY_SEEDS --claim $STABILITY_CLAIMS --out $work/stability-whole")
jobs_submitted+=("$stability_whole")
echo "test:slurm: stability array $stability_array (seeds $STABILITY_SEEDS, claims $STABILITY_CLAIMS), merge $stability_merge, unsharded $stability_whole"

wait_done "$verify_merge2"
time_verify=$(($(time_of "$verify_merge2" EndTime) - $(time_of "$verify_array" SubmitTime)))
[ "$(state_of "$verify_merge2")" = COMPLETED ] ||
  fail "verify merge $verify_merge2 ended $(state_of "$verify_merge2") (exit $(exit_of "$verify_merge2")); log: $(cat "$work"/logs/merge-"$verify_merge2".out)"
# The first merge waited on every task (afterok): Slurm cancels it once the array has ended with
# task 2 cancelled (--kill-on-invalid-dep); it must never have run on three shards.
deadline=$((SECONDS + 60))
until [ "$(state_of "$verify_merge")" = CANCELLED ]; do
  [ $SECONDS -lt $deadline ] || fail "merge $verify_merge is $(state_of "$verify_merge") after the array ended without task 2"
  sleep 0.5
done
[ ! -e "$work/verify/logs/rankcheck-merge-$verify_merge.out" ] || fail "merge $verify_merge ran without shard 2"
grep -q 'continuing the report' "$work"/logs/*-resubmitted.out || fail "the resubmitted task did not continue its report"
node "$here/kept-units.mjs" "$work/task-2-at-kill.json" "$task2" || fail "the resumed task lost or reran a finished unit"
time_resume=$(($(time_of "$resumed" EndTime) - killed_at))

if [ -n "$reference_job" ]; then
  wait_done "$reference_job"
  [ "$(state_of "$reference_job")" = COMPLETED ] || fail "the unsharded audit ended $(state_of "$reference_job")"
fi
node "$here/same-report.mjs" "$reference" "$work/verify/report.json" || fail "merged verify report differs"
node bin/rankcheck.js compare "$reference" "$work/verify/report.json" >"$work/compare.txt" ||
  fail "rankcheck compare of the merged report: $(cat "$work/compare.txt")"
echo "test:slurm: rankcheck compare: $(head -n 1 "$work/compare.txt")"
# What sharding costs: units of a claim that share trainings repeat them in every shard holding one.
node -e '
  const fs = require("fs");
  const ms = (p) => { const r = JSON.parse(fs.readFileSync(p, "utf8"));
    return [...r.claims.flatMap((c) => [...c.checks, ...c.figures]), ...r.sensitivity].reduce((a, u) => a + (u.durationMs ?? 0), 0); };
  const shards = process.argv.slice(2, -1).reduce((a, p) => a + ms(p), 0);
  console.log(`test:slurm: unit-seconds: ${(shards / 1000).toFixed(0)} in the 4 shards, ${(ms(process.argv.at(-1)) / 1000).toFixed(0)} unsharded`);
' "$work"/verify/shards/*/report.json "$reference"

# 2: the stability array against the unsharded stability run.
wait_done "$stability_merge"
wait_done "$stability_whole"
stability_end=$(time_of "$stability_merge" EndTime)
whole_end=$(time_of "$stability_whole" EndTime)
time_stability=$(($(if [ "$stability_end" -gt "$whole_end" ]; then echo "$stability_end"; else echo "$whole_end"; fi) - $(time_of "$stability_array" SubmitTime)))
[ "$(state_of "$stability_merge")" = COMPLETED ] || fail "stability merge ended $(state_of "$stability_merge")"
[ "$(state_of "$stability_whole")" = COMPLETED ] || fail "unsharded stability ended $(state_of "$stability_whole")"
node "$here/same-report.mjs" "$work/stability-whole/stability.json" "$work/stability/stability.json" ||
  fail "merged stability file differs"

# 4: a missing shard makes the merge job fail, naming it.
t4=$EPOCHREALTIME
mkdir -p "$work/missing/shards"
cp -r "$work/verify/shards/task-1" "$work/verify/shards/task-2" "$work/verify/shards/task-4" "$work/missing/shards/"
missing_merge=$(submit --output="$work/logs/merge-missing-%j.out" "$here/merge.sbatch" "$work/missing")
jobs_submitted+=("$missing_merge")
wait_done "$missing_merge"
[ "$(state_of "$missing_merge")" = FAILED ] || fail "merge without shard 3 ended $(state_of "$missing_merge")"
grep -q 'shard 3 of 4 missing' "$work/logs/merge-missing-$missing_merge.out" ||
  fail "merge without shard 3 did not name it: $(cat "$work/logs/merge-missing-$missing_merge.out")"
time_missing=$(since "$t4")

total=$(since "$t_start")
# Times from Slurm's SubmitTime and EndTime (whole seconds); steps 1 to 3 share the cores.
echo "test:slurm: passed in ${total} s of wall time (2 and 3 ran inside or beside 1, on the same cores)"
printf '  %-84s %4s s\n' \
  "0. cluster started (or found running)" "$time_cluster" \
  "1. quick verify as a 4-task array, merged = the unsharded report, exactly" "$time_verify" \
  "2. stability, seeds $STABILITY_SEEDS of $STABILITY_CLAIMS, 4 tasks from id 0, merged = unsharded" "$time_stability" \
  "3. task 2 cancelled after $kept units, resubmitted, all kept (kill to task end)" "$time_resume" \
  "4. merge with shard 3 missing fails, naming it" "$time_missing"
