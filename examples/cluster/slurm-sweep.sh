#!/usr/bin/env bash
# An nnlab sweep as Slurm job arrays on a shared file system, then its report.
#   examples/cluster/slurm-sweep.sh SPEC TASKS [RESULTS_DIR]
# Each array task trains its shard (--shard auto reads SLURM_ARRAY_TASK_ID); every task writes into
# the same results folder, which nnlab's per-run locks make safe. With seeds until decided, each
# round is one more array, submitted now and started once the round before has finished: it
# decides from the runs on disk, as one machine would, and trains nothing when all is decided.
# Each task's log says which shard it is and lists its runs; the last job writes the summary and
# report.html and prints the answer into its log. Prints the job ids, the report's last.
set -euo pipefail
spec=${1:?usage: slurm-sweep.sh SPEC TASKS [RESULTS_DIR]}
tasks=${2:?usage: slurm-sweep.sh SPEC TASKS [RESULTS_DIR]}
out=${3:-results/$(basename "$spec" .yaml)}
nnlab=${NNLAB:-npx nnlab}
mkdir -p "$(dirname "$out")" # Slurm opens each task's log there and fails the task if the folder is missing
# Rounds the spec may take (sweep.seeds {min, max, step, until: decided}); 1 without.
rounds=$($nnlab validate "$spec" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).rounds))')

after=()
for round in $(seq 1 "$rounds"); do
  job=$(sbatch --parsable --array="1-$tasks" --cpus-per-task=1 --job-name="nnlab-round-$round" "${after[@]}" \
    --output="$out.slurm-%A_%a.log" --wrap="$nnlab run $spec --shard auto --workers 1 --out $out")
  echo "$job"
  after=(--dependency="afterok:$job")
done
sbatch --parsable --job-name=nnlab-report "${after[@]}" --output="$out.slurm-report-%j.log" \
  --wrap="$nnlab report $out"
