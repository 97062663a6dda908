"""Expected run times of every built-in statement, measured: what ``pactools show ID`` prints.

Runs each statement in quick and in full mode, serially (one process, BLAS on one
thread, no trial cache, a fresh session per statement, so a shared sweep is counted in
each statement that uses it), at its default seed, and writes
``pactools/theorems/run_times.json``: wall seconds per statement and mode, with the
machine, the pactools and numpy versions and the date.  ``--jobs`` runs that many
statements side by side (each still serial inside: the times are of one core each, as
a user's ``verify --jobs 1`` sees them on a machine that is otherwise as busy).

    python benchmarks/bench_run_times.py [--mode quick|full|both] [--jobs 1] [--theorem ID ...]
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pactools" / "theorems" / "run_times.json"


def _time(tid, quick):
    from threadpoolctl import threadpool_limits

    from pactools import theorems
    from pactools.statement import Session
    with threadpool_limits(1):
        t = time.perf_counter()
        res = theorems.get(tid).run(quick=quick, session=Session())
        return tid, "quick" if quick else "full", time.perf_counter() - t, res.verdict


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mode", choices=("quick", "full", "both"), default="both")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--theorem", action="append", default=[], metavar="ID")
    p.add_argument("--out", default=str(OUT))
    args = p.parse_args(argv)
    from joblib import Parallel, delayed

    from pactools import __version__, theorems
    from pactools.theorems import _registry
    ids = args.theorem or [t for t in _registry.all_ids()
                           if _registry.get(t).source == "built in"]
    modes = {"quick": [True], "full": [False], "both": [True, False]}[args.mode]
    jobs = [(tid, q) for q in modes for tid in ids]
    out = Path(args.out)
    data = json.loads(out.read_text()) if out.is_file() else {"statements": {}}
    for tid, mode, seconds, verdict in Parallel(n_jobs=args.jobs, return_as="generator")(
            delayed(_time)(tid, q) for tid, q in jobs):
        print(f"{tid:28s} {mode:5s} {seconds:8.1f} s  {verdict}", flush=True)
        data["statements"].setdefault(tid, {})[mode] = round(seconds, 1)
        import numpy
        data["measured_on"] = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "pactools": __version__, "numpy": numpy.__version__,
            "date": datetime.date.today().isoformat(),
            "how": "one process per statement, BLAS on one thread, no trial cache, default "
                   "seed; statements sharing a sweep each count it"}
        out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")   # after each
    del theorems
    return 0


if __name__ == "__main__":
    sys.exit(main())
