#!/usr/bin/env bash
# Installs Debian's Slurm and munge for the Slurm test (tests/slurm/run.sh), when apt is available and we
# are root. Idempotent and fast when already installed (no apt-get call at all then).
# Exit 0: installed (or already there); 77: not possible here (not root, no apt-get, repositories
# unreachable: the test then skips with a message); 1: the install failed where apt works.
set -uo pipefail
need=(slurmctld slurmd sbatch scontrol squeue munged)
missing=0
for b in "${need[@]}"; do command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || missing=1; done
if [ "$missing" = 0 ]; then
  echo "slurm install: already installed ($(/usr/sbin/slurmctld -V 2>/dev/null))"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then echo "slurm install: skipped (not root)"; exit 77; fi
if ! command -v apt-get >/dev/null 2>&1; then echo "slurm install: skipped (no apt-get)"; exit 77; fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null 2>&1; then
  if ! apt-get update -qq >/dev/null 2>&1; then
    echo "slurm install: skipped (apt-get update failed: Debian's repositories are not reachable here)"
    exit 77
  fi
  if ! apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null 2>&1; then
    # the repositories answer, so this is a real failure, not an environment without apt
    echo "slurm install: FAILED (apt-get install slurmctld slurmd slurm-client munge failed after apt-get update)"
    exit 1
  fi
fi
echo "slurm install: installed $(/usr/sbin/slurmctld -V 2>/dev/null)"
