#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine (run as root): a munge key, a slurm.conf for
# this host's name, cores and memory, then munged, slurmctld and slurmd. Idempotent: what already
# runs is left running, and a second call only waits for the node to be idle.
# Needs Debian's slurm-wlm and munge (apt-get install -y slurm-wlm munge). Stop with stop.sh.
set -euo pipefail

CONF=/etc/slurm/slurm.conf
MARK='# Written by rankcheck scripts/slurm/start.sh'
STATE=/run/rankcheck-slurm

die() {
  echo "slurm/start.sh: $*" >&2
  exit 2
}

[ "$(id -u)" -eq 0 ] || die "run as root (munged, slurmctld and slurmd are system daemons)"
for cmd in munged slurmctld slurmd sinfo scontrol; do
  command -v "$cmd" >/dev/null || die "$cmd is missing: apt-get install -y slurm-wlm munge"
done

host=$(hostname -s)
cpus=$(nproc)
# Slurm drains a node that reports less memory than configured; leave a margin for the kernel.
mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)

mkdir -p "$STATE"

# munge: one key for the cluster (Debian's package usually generated it already).
if [ ! -s /etc/munge/munge.key ]; then
  if command -v mungekey >/dev/null; then
    mungekey --create --keyfile=/etc/munge/munge.key
  else
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
fi
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
install -d -o munge -g munge -m 0755 /run/munge
install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  touch "$STATE/munged-started"
  for _ in $(seq 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.1
  done
  munge -n | unmunge >/dev/null || die "munged did not start (see /var/log/munge/munged.log)"
fi

# slurm.conf: written here, never over one this script did not write.
if [ -e "$CONF" ] && ! head -n 1 "$CONF" | grep -qxF "$MARK"; then
  die "$CONF exists and was not written by this script; move it away to use this cluster"
fi
conf_new=$(mktemp)
cat >"$conf_new" <<EOF
$MARK
# Single node $host: $cpus CPUs, ${mem_mb} MB. Jobs are placed by CPU only (no memory limits).
ClusterName=rankcheck
SlurmctldHost=$host
SlurmUser=slurm
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdParameters=config_overrides
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
# A cancelled or failed task's record stays visible to squeue/scontrol for a while.
MinJobAge=600
KillWait=10
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if ! cmp -s "$conf_new" "$CONF"; then
  # Another host name or core count: the running daemons (if any) must read the new file.
  if running /run/slurmctld.pid || running /run/slurmd.pid; then
    "$(dirname "$0")/stop.sh"
  fi
  install -m 0644 "$conf_new" "$CONF"
fi
rm -f "$conf_new"

install -d -o slurm -g slurm -m 0755 /var/lib/slurm/slurmctld /var/log/slurm
install -d -m 0755 /var/lib/slurm/slurmd
chown slurm:slurm /var/log/slurm

running /run/slurmctld.pid || slurmctld
running /run/slurmd.pid || slurmd

# The node registers within seconds; one left down or drained by an earlier run is resumed.
for _ in $(seq 100); do
  state=$(sinfo -h -n "$host" -o '%T' 2>/dev/null | head -n 1 || true)
  case "$state" in
    idle* | mixed* | allocated*) break ;;
    down* | drain* | drained* | fail*) scontrol update nodename="$host" state=resume 2>/dev/null || true ;;
  esac
  sleep 0.2
done
case "$state" in
  idle* | mixed* | allocated*) echo "slurm: node $host up ($cpus CPUs, ${mem_mb} MB), state $state" ;;
  *) die "node $host did not come up (state '${state:-unknown}'; see /var/log/slurm/slurmctld.log and slurmd.log)" ;;
esac
