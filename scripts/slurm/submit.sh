#!/usr/bin/env bash
# Submits an array run and its merge, the merge held until every task succeeded (afterok):
#   scripts/slurm/submit.sh verify [SBATCH-OPTION…]       e.g. --array=1-64
#   scripts/slurm/submit.sh stability [SBATCH-OPTION…]    e.g. --array=0-19
# from the checkout, with the settings verify.sbatch and stability.sbatch read from the
# environment (RANKCHECK_BUDGET, RANKCHECK_SEED or RANKCHECK_SEEDS, RANKCHECK_CLAIMS,
# RANKCHECK_RUN_DIR). Prints the two job ids and where the merged files will be.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kind=${1:-}
case "$kind" in
  verify) run_dir=${RANKCHECK_RUN_DIR:-reports/cluster/verify-${RANKCHECK_BUDGET:-paper}-${RANKCHECK_SEED:-0}} ;;
  stability) run_dir=${RANKCHECK_RUN_DIR:-reports/cluster/stability-${RANKCHECK_BUDGET:-paper}} ;;
  *)
    echo "usage: submit.sh verify|stability [SBATCH-OPTION…] (got '${kind}')" >&2
    exit 2
    ;;
esac
shift
export RANKCHECK_RUN_DIR=$run_dir
# Slurm does not create the directory of --output; the logs stay beside the run (later options win).
mkdir -p "$run_dir/logs"
# --parsable prints "jobid" or "jobid;cluster".
array=$(sbatch --parsable --output="$run_dir/logs/%x-%A_%a.out" "$@" "$here/$kind.sbatch")
array=${array%%;*}
# A task that fails cancels the merge (--kill-on-invalid-dep) instead of leaving it pending forever.
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$run_dir/logs/%x-%j.out" "$here/merge.sbatch" "$run_dir")
merge=${merge%%;*}
echo "array job $array ($kind), merge job $merge: $run_dir/$([ "$kind" = verify ] && echo report || echo stability).json"
