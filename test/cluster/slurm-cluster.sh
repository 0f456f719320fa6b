#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the tests: munged, slurmctld and slurmd, with their
# configuration, key, state and logs written under DIR (nothing outside it), on 127.0.0.1 (so the host
# name need not resolve). Needs Debian's slurm-wlm and munge packages, and root (slurmd starts jobs as
# their users).
#   slurm-cluster.sh start DIR   start it and wait until the node takes jobs; prints SLURM_CONF=…
#   slurm-cluster.sh stop DIR    cancel every job and stop the daemons
set -euo pipefail
action=${1:?usage: slurm-cluster.sh start|stop DIR}
dir=$(realpath -m "${2:?usage: slurm-cluster.sh start|stop DIR}")
conf="$dir/slurm.conf"
socket="$dir/munge/munge.socket"

stop() {
  if [ -f "$conf" ]; then SLURM_CONF="$conf" scancel --full --quiet --user="$(id -un)" 2>/dev/null || true; fi
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    for _ in $(seq 50); do
      if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then sleep 0.1; else break; fi
    done
    rm -f "$pidfile"
  done
}

case "$action" in
stop)
  stop
  ;;
start)
  for tool in munged slurmctld slurmd sbatch; do
    command -v "$tool" >/dev/null || { echo "slurm-cluster.sh: $tool not found (apt-get install slurm-wlm munge)" >&2; exit 3; }
  done
  stop
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
  chmod 700 "$dir/munge"
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  munged --force --key-file="$dir/munge/munge.key" --socket="$socket" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
  host=$(hostname -s)
  cpus=$(nproc)
  memory=$(( $(awk '/^MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
  cat > "$conf" <<CONF
ClusterName=nnlab-test
SlurmctldHost=$host(127.0.0.1)
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
SlurmUser=$(id -un)
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=${NNLAB_SLURMCTLD_PORT:-6817}
SlurmdPort=${NNLAB_SLURMD_PORT:-6818}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# Jobs waiting on a dependency start within a second of it being met, not at the next periodic pass.
SchedulerParameters=bf_interval=1,sched_interval=1
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$conf"
  slurmctld -f "$conf"
  slurmd -f "$conf"
  for _ in $(seq 100); do
    state=$(sinfo --noheader --format=%T 2>/dev/null | head -1 || true)
    case "$state" in idle*|mixed*|allocated*) echo "SLURM_CONF=$conf"; exit 0 ;; esac
    sleep 0.2
  done
  echo "slurm-cluster.sh: the node did not come up (state: ${state:-none}); logs in $dir/log" >&2
  exit 1
  ;;
*)
  echo "usage: slurm-cluster.sh start|stop DIR" >&2
  exit 2
  ;;
esac
