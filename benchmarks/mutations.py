"""Mutation test of the test suite: plant small bugs one at a time, see which the suite kills.

Each mutant is one textual edit of the library (a verdict rule loosened, an interval
narrowed, a constant changed, a certificate weakened).  For each, the repository's
``pactools/``, ``tests/``, ``reports/`` and ``examples/`` are copied to a scratch
directory, the edit is applied there, and the fast test tier runs against the copy
(``pytest -x``, the copy first on ``PYTHONPATH``).  A mutant is *killed* when some test
fails.  Prints one line per mutant and the count; exit status 1 if any survives.

    python benchmarks/mutations.py [--only NAME ...]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: (name, file, old text, new text)
MUTANTS = [
    ("t interval with a one-sided quantile", "pactools/stats.py",
     "_st.t.ppf(0.5 + cl / 2, n - 1)", "_st.t.ppf(cl, n - 1)"),
    ("a slope interval across the accepted line passes (two outcomes)", "pactools/stats.py",
     "if low_line <= ci.low and ci.high <= high_line:",
     "if ci.high >= low_line and ci.low <= high_line:"),
    ("rate checks outside the false-alarm budget", "pactools/statement.py",
     'STOCHASTIC_KINDS = ("mc-identity", "mc-upper", "probability", "upper-rate", "lower-rate",\n'
     '                    "tightness")', 'STOCHASTIC_KINDS = ("mc-identity", "mc-upper", "probability")'),
    ("combine_outcomes counts an inconclusive part as a pass", "pactools/stats.py",
     "verdict = FAIL if FAIL in verdicts else INCONCLUSIVE if INCONCLUSIVE in verdicts else PASS",
     "verdict = FAIL if FAIL in verdicts else PASS"),
    ("a control whose rule is inconclusive counts as caught", "pactools/statement.py",
     "verdict = CAUGHT if rule_verdict == FAIL else MISSED",
     "verdict = MISSED if rule_verdict == PASS else CAUGHT"),
    ("an O-form bound 10x looser (Lemma 3.2's rate)", "pactools/bounds.py",
     "return _out(k ** 4.0 * w ** 2 * np.sqrt(n) * np.log(n * s)",
     "return _out(10 * k ** 4.0 * w ** 2 * np.sqrt(n) * np.log(n * s)"),
    ("a pre-registered C_max 10x looser (Lemma 2.1)",
     "pactools/theorems/awasthi2024/lemma_2_1.py", "C_MAX = 2.0", "C_MAX = 20.0"),
    ("a probability claim 2x tighter (Lemma 3.4's concentration step)",
     "pactools/theorems/awasthi2024/lemma_3_4.py",
     "threshold = 8 * np.log(", "threshold = 4 * np.log("),
    ("the LSH certificate uses the smallest of min(D, k) singular values",
     "pactools/lsh.py", "    if D < k:\n        return 0.0\n", ""),
    ("least squares trusts any Cholesky that succeeds", "pactools/lowdegree.py",
     "RCOND_MIN = 1e-8", "RCOND_MIN = 0.0"),
    ("the false-alarm budget is not split (each claim at 1 - level)", "pactools/statement.py",
     "return {n: split_level(1.0 - self.false_alarm, len(names)) for n in names}",
     "return {n: 1.0 - self.false_alarm for n in names}"),
]


def run_mutant(name, rel, old, new, timeout=900):
    with tempfile.TemporaryDirectory(prefix="pactools-mutant-") as tmp:
        tmp = Path(tmp)
        for part in ("pactools", "tests", "reports", "examples", "pyproject.toml"):
            src = ROOT / part
            (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp / part)
        path = tmp / rel
        text = path.read_text()
        if text.count(old) != 1:
            return "not applied", f"the edit matches {text.count(old)} places in {rel}"
        path.write_text(text.replace(old, new))
        env = {**os.environ, "PYTHONPATH": str(tmp)}
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p",
                               "no:cacheprovider", "tests", "pactools"], cwd=tmp, env=env,
                              capture_output=True, text=True, timeout=timeout)
        wall = time.perf_counter() - t0
        if proc.returncode == 0:
            return "SURVIVED", f"{wall:.0f} s"
        failed = [ln for ln in proc.stdout.splitlines() if ln.startswith("FAILED")]
        return "killed", f"{wall:.0f} s; {failed[0][7:] if failed else 'error'}"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", action="append", default=[], help="run mutants whose name "
                   "contains this text")
    args = p.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.only or any(o in m[0] for o in args.only)]
    killed = 0
    for m in chosen:
        status, info = run_mutant(*m)
        killed += status == "killed"
        print(f"{status:11s} {m[0]}  ({info})", flush=True)
    print(f"{killed} of {len(chosen)} mutants killed")
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main())
