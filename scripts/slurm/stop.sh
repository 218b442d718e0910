#!/usr/bin/env bash
# Stops the single-node cluster start.sh started: cancels its jobs, then stops slurmd, slurmctld
# and (if start.sh started it) munged, each by its pid file. Idempotent: nothing running is fine.
set -euo pipefail

STATE=/run/rankcheck-slurm

running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Stops the daemon whose pid file is $1, waiting up to 10 s for it to exit.
stop_daemon() {
  local pidfile=$1 name=$2 pid
  running "$pidfile" || return 0
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "slurm/stop.sh: $name ($pid) ignored SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# Jobs first: their steps would outlive slurmd.
if running /run/slurmctld.pid && command -v squeue >/dev/null; then
  jobs=$(squeue -h -o '%A' 2>/dev/null || true)
  if [ -n "$jobs" ]; then
    # shellcheck disable=SC2086 # one job id per word
    scancel $jobs 2>/dev/null || true
    for _ in $(seq 150); do
      [ -z "$(squeue -h -o '%A' 2>/dev/null || true)" ] && break
      sleep 0.2
    done
  fi
fi

stop_daemon /run/slurmd.pid slurmd
stop_daemon /run/slurmctld.pid slurmctld
if [ -e "$STATE/munged-started" ]; then
  stop_daemon /run/munge/munged.pid munged
  rm -f "$STATE/munged-started"
fi
echo "slurm: stopped"
