"""CPU time of the quick tier, as a new user pays it: each ``pactools verify --theorem ID
--quick`` in its own process (imports, trials, checks and the report with its figures),
then ``pactools verify --all --quick`` once (shared sweeps run once).

CPU seconds are user + system time of the child process (``resource.getrusage``), so a
second busy core does not inflate them the way it inflates wall time.  Issue 16's
targets: every statement under 30 s of CPU, ``--all`` under 180 s.  Printed, not
asserted: seconds are not ratios, and machines differ between runs.

    python benchmarks/bench_quick_tier.py [--theorem ID ...] [--no-all]
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time

PER_STATEMENT = 30.0
ALL = 180.0


def _cpu_of(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, proc


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--theorem", action="append", default=[], metavar="ID")
    p.add_argument("--no-all", action="store_true", help="skip verify --all --quick")
    args = p.parse_args(argv)
    from pactools.theorems import _registry
    ids = args.theorem or [t for t in _registry.all_ids()
                           if _registry.get(t).source == "built in"]
    exe = [sys.executable, "-m", "pactools", "verify", "--quick", "--no-cache", "--quiet"]
    over = []
    with tempfile.TemporaryDirectory() as out:
        print(f"{'statement':26s} {'CPU s':>7s} {'wall s':>7s}  exit")
        total = 0.0
        for tid in ids:
            cpu, wall, proc = _cpu_of(exe + ["--theorem", tid, "--out", out])
            total += cpu
            print(f"{tid:26s} {cpu:7.1f} {wall:7.1f}  {proc.returncode}", flush=True)
            if cpu > PER_STATEMENT:
                over.append(tid)
        print(f"{'sum of the above':26s} {total:7.1f}")
        if not args.no_all:
            cpu, wall, proc = _cpu_of(exe + ["--all", "--out", out])
            print(f"{'verify --all --quick':26s} {cpu:7.1f} {wall:7.1f}  {proc.returncode}")
            if cpu > ALL:
                over.append("--all")
    print(f"targets: each statement < {PER_STATEMENT:.0f} s CPU, --all < {ALL:.0f} s CPU; "
          f"over: {', '.join(over) if over else 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
