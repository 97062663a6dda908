"""Calibration: a statement's verdicts over many seeds, measured (THEORY.md §C.0 rule 6).

A verdict is only as good as its error rates.  :func:`calibrate` runs statements over
``n_seeds`` seeds and counts, with exact Clopper–Pearson intervals,

* how often each verdict comes out — for a true statement the frequency of
  ``violated`` is its **false-violation rate**, which its false-alarm budget bounds;
* how often each claim fails or is inconclusive;
* how often each negative control is caught — the **power** of the controls.

>>> from pactools.theorems import get
>>> cal = calibrate([get("lemma-2.1")], n_seeds=2)
>>> cal[0].n_runs, cal[0].verdicts["consistent"]
(2, 2)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ._validation import check_int
from .statement import CAUGHT, CLAIM, CONSISTENT, INCONCLUSIVE, VIOLATED, Session
from .stats import FAIL, INCONCLUSIVE as RULE_INCONCLUSIVE, clopper_pearson

__all__ = ["Calibration", "calibrate", "to_markdown"]

CONFIDENCE = 0.95


@dataclass
class Calibration:
    """Verdict counts of one statement over ``seeds`` (quick or full mode)."""
    theorem: str
    inconclusive_by_nature: bool
    false_alarm: float
    quick: bool
    seeds: list
    verdicts: dict = field(default_factory=lambda: {CONSISTENT: 0, VIOLATED: 0,
                                                    INCONCLUSIVE: 0})
    claims: dict = field(default_factory=dict)      # name -> {"fail": n, "inconclusive": n}
    controls: dict = field(default_factory=dict)    # name -> caught count
    violated_seeds: list = field(default_factory=list)
    wall_time_s: float = 0.0

    @property
    def n_runs(self):
        return len(self.seeds)

    def add(self, run):
        """Count one run: a :func:`summary` of a result."""
        self.verdicts[run["verdict"]] += 1
        if run["verdict"] == VIOLATED:
            self.violated_seeds.append(run["seed"])
        for name, role, verdict in run["checks"]:
            if role == CLAIM:
                d = self.claims.setdefault(name, {"fail": 0, "inconclusive": 0})
                d["fail"] += verdict == FAIL
                d["inconclusive"] += verdict == RULE_INCONCLUSIVE
            else:
                self.controls[name] = self.controls.get(name, 0) + (verdict == CAUGHT)
        self.wall_time_s += run["wall_time_s"]

    def rate(self, count):
        """``(frequency, Clopper–Pearson 95 % interval)`` of ``count`` in the runs."""
        return count / self.n_runs, clopper_pearson(count, self.n_runs, CONFIDENCE)

    def to_dict(self):
        def r(k):
            f, ci = self.rate(k)
            return {"count": k, "frequency": f, "interval": ci.to_dict()}
        return {"theorem": self.theorem, "mode": "quick" if self.quick else "full",
                "seeds": [self.seeds[0], self.seeds[-1]], "n_runs": self.n_runs,
                "false_alarm": self.false_alarm,
                "inconclusive_by_nature": self.inconclusive_by_nature,
                "verdicts": {v: r(k) for v, k in self.verdicts.items()},
                "violated_seeds": self.violated_seeds,
                "claims": {n: {k: r(v) for k, v in d.items()} for n, d in self.claims.items()},
                "controls_caught": {n: r(k) for n, k in self.controls.items()},
                "wall_time_s": round(self.wall_time_s, 3)}


def summary(result):
    """What calibration keeps of a run: seed, verdict, each check's verdict, wall time."""
    return {"seed": result.seed, "verdict": result.verdict, "wall_time_s": result.wall_time_s,
            "checks": [(c.name, c.role, c.verdict) for c in result.checks]}


def _run_seed(ids, loads, seed, quick):
    """Every statement of ``ids`` at ``seed`` in one session (runs in a worker process,
    with one BLAS thread: the workers already fill the cores)."""
    from threadpoolctl import threadpool_limits

    from . import theorems
    for target in loads:
        theorems.load(target)
    with threadpool_limits(limits=1):
        return _run_seed_here([theorems.get(t) for t in ids], seed, quick)


def calibrate(statements, n_seeds, *, first_seed=0, quick=True, n_jobs=1, loads=(),
              progress=None):
    """One :class:`Calibration` per statement over seeds ``first_seed .. + n_seeds - 1``.

    The statements of one seed share a :class:`~pactools.statement.Session` (a shared
    sweep runs once per seed).  ``n_jobs > 1`` runs seeds in parallel worker processes
    (joblib); the workers find the statements by id, after loading ``loads`` (the
    ``--load`` files or modules that define them).  The counts do not depend on
    ``n_jobs``.  ``progress(message)`` is called after every seed.
    """
    n_seeds = check_int("n_seeds", n_seeds, low=1)
    first_seed = check_int("first_seed", first_seed, low=0)
    n_jobs = check_int("n_jobs", n_jobs, low=1)
    seeds = list(range(first_seed, first_seed + n_seeds))
    out = [Calibration(st.id, st.inconclusive_by_nature, st.false_alarm, quick, seeds)
           for st in statements]
    ids = [st.id for st in statements]
    if n_jobs == 1:
        runs = (_run_seed_here(statements, seed, quick) for seed in seeds)
    else:
        from joblib import Parallel, delayed
        runs = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_run_seed)(ids, list(loads), seed, quick) for seed in seeds)
    for seed, per_statement in zip(seeds, runs):
        for cal, run in zip(out, per_statement):
            cal.add(run)
        if progress is not None:
            progress(f"seed {seed}: " + ", ".join(f"{c.theorem} {r['verdict']}"
                                                   for c, r in zip(out, per_statement)))
    return out


def _run_seed_here(statements, seed, quick):
    """Every statement at ``seed`` in one session (a shared sweep runs once)."""
    session = Session()
    return [summary(st.run(quick=quick, seed=seed, session=session)) for st in statements]


def _pct(cal, count):
    f, ci = cal.rate(count)
    return f"{count}/{cal.n_runs} ({100 * f:.0f} %, {100 * ci.low:.1f}–{100 * ci.high:.1f} %)"


def to_markdown(calibrations):
    """A table of verdict frequencies and control power, one row per statement."""
    if isinstance(calibrations, Calibration):
        calibrations = [calibrations]
    if not isinstance(calibrations, (list, tuple)) or not all(
            isinstance(c, Calibration) for c in calibrations):
        raise TypeError(f"calibrations must be a list of Calibration (from calibrate); got "
                        f"{type(calibrations).__name__}")
    lines = ["| statement | runs | seeds | consistent | violated (false alarms) | inconclusive "
             "| weakest control caught | violated at seeds |", "|---|---|---|---|---|---|---|---|"]
    for c in calibrations:
        weakest = min(c.controls.items(), key=lambda kv: kv[1]) if c.controls else ("-", 0)
        lines.append(
            f"| `{c.theorem}` | {c.n_runs} | {c.seeds[0]}–{c.seeds[-1]} | "
            f"{_pct(c, c.verdicts[CONSISTENT])} | {_pct(c, c.verdicts[VIOLATED])} | "
            f"{_pct(c, c.verdicts[INCONCLUSIVE])} | `{weakest[0]}` {_pct(c, weakest[1])} | "
            f"{', '.join(map(str, c.violated_seeds)) or '-'} |")
    return "\n".join(lines) + "\n"
