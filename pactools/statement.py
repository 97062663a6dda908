r"""Verifiable statements as data: the public API.

A :class:`Statement` reads like the theorem it tests: its metadata, named
:class:`Sweep`\ s (parameter grids with quick and full values, and a *trial* — a
pure function of one grid point and its generator that returns named
measurements), its claims and negative controls (:func:`claim`, :func:`control`)
over those measurements with the rules of :mod:`pactools.stats`, and its figures
as data (:class:`Figure`) over ``result.series``.

Seeds are the framework's: the generator of a trial is derived from the run seed
and a stable digest of the sweep name and the grid point, so results do not depend
on the order in which trials run, and the ``parameters`` of a result are the grids
that ran.  Adaptive searches stay ordinary Python inside a trial, or in a sweep
whose grid is computed from the sweeps before it.

Examples
--------
Hoeffding's inequality for the mean of ``n`` fair ±1 signs, as a statement:

>>> import numpy as np
>>> from pactools.statement import Statement, Sweep, Grid, claim, control, rules
>>> def trial(rng, n_samples):
...     means = rng.choice([-1.0, 1.0], size=(400, n_samples)).mean(axis=1)
...     return {"exceed": float(np.mean(np.abs(means) >= 0.2)),
...             "bound": 2 * np.exp(-n_samples * 0.2 ** 2 / 2)}
>>> st = Statement(
...     id="doc:hoeffding", paper="Hoeffding 1963", item="Theorem 1", title="Hoeffding",
...     text="P(|mean| >= t) <= 2 exp(-n t^2 / 2)",
...     sweeps=[Sweep("main", trial, grid={"n_samples": Grid(quick=[50, 100], full=[50, 100, 200])})],
...     checks=[claim("tail", rules.inequality("exceed", "bound")),
...             control("tail-halved", rules.inequality("exceed", lambda r: r["main"]["bound"] / 8))])
>>> st.run(quick=True, seed=0).verdict
'consistent'
"""
from __future__ import annotations

import hashlib
import inspect
import itertools
import json
import numbers
import time
from dataclasses import dataclass, field

import numpy as np

from . import stats as _stats
from .stats import FAIL, PASS, RuleOutcome
from ._validation import check_int as _check_int, check_real as _check_real

__all__ = ["Statement", "Sweep", "Grid", "Table", "Results", "Check", "Result", "Figure",
           "StatementError", "claim", "control", "rules", "trial_seed",
           "CONSISTENT", "VIOLATED", "INCONCLUSIVE", "CAUGHT", "MISSED", "DEFAULT_TOLERANCE",
           "STOCHASTIC_KINDS", "split_level"]

CONSISTENT, VIOLATED, INCONCLUSIVE = "consistent", "violated", "inconclusive"
CAUGHT, MISSED = "caught", "missed"
CLAIM, CONTROL = "claim", "control"

#: regression tolerance (relative, on ``measured`` and every number in ``details``) of
#: each rule kind unless a check overrides it: seeded float64 computations reproduce to
#: ~1e-12 across BLAS builds, so 1e-6 leaves room and still catches a change; ``None``
#: compares the verdict only (an identity's measured value is round-off); success
#: frequencies are ratios of counts, compared to 1e-9.
DEFAULT_TOLERANCE = {"inequality": 1e-6, "identity": None, "upper-rate": 1e-6,
                     "lower-rate": 1e-6, "tightness": 1e-6, "rate": 1e-6,
                     "mc-identity": 1e-6, "mc-upper": 1e-6, "probability": 1e-9,
                     "probe": 1e-6, "exact": 1e-6}


class StatementError(ValueError):
    """A statement is malformed (no control, an unknown parameter or measurement, ...)."""


# --------------------------------------------------------------------------- grids and seeds

@dataclass(frozen=True)
class Grid:
    """The values one sweep parameter takes in quick and in full mode."""
    quick: tuple
    full: tuple

    def __init__(self, quick, full):
        object.__setattr__(self, "quick", tuple(quick))
        object.__setattr__(self, "full", tuple(full))
        if not self.quick or not self.full:
            raise StatementError(f"Grid needs at least one quick and one full value; got "
                                 f"quick={list(self.quick)}, full={list(self.full)}")

    def values(self, quick):
        return self.quick if quick else self.full


def _axis(values, quick):
    if isinstance(values, Grid):
        return values.values(quick)
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        return (values,)
    return tuple(values)


def _plain(v):
    """A grid value as plain JSON data (numpy scalars unwrapped)."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    return v


def _canonical(point):
    try:
        return json.dumps(_plain(point), sort_keys=True, separators=(",", ":"))
    except TypeError as e:
        raise StatementError(f"grid values must be numbers, strings or lists of them; got "
                             f"{point!r}") from e


def trial_seed(seed, sweep, point):
    """The :class:`numpy.random.SeedSequence` of one trial.

    Keyed by the run ``seed`` and a SHA-256 digest of the sweep name and the grid
    ``point`` (its canonical JSON), so a trial's stream does not depend on which
    other trials ran, or in which order.

    >>> a = trial_seed(0, "main", {"n": 3, "rep": 1})
    >>> b = trial_seed(0, "main", {"rep": 1, "n": 3})
    >>> a.generate_state(2).tolist() == b.generate_state(2).tolist()
    True
    """
    seed = _check_int("seed", seed, low=0)
    if not isinstance(point, dict):
        raise TypeError(f"point must be a dict (a grid point); got {type(point).__name__}")
    digest = hashlib.sha256(f"{sweep}\0{_canonical(point)}".encode()).digest()
    words = tuple(int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4))
    return np.random.SeedSequence(int(seed), spawn_key=words)


# --------------------------------------------------------------------------- tables

class Table:
    """The rows of one sweep: each the grid point and the trial's measurements.

    ``table["name"]`` is a column: a float array when every row holds a number,
    the concatenation when rows hold arrays, an object array otherwise.
    """

    def __init__(self, name, rows):
        if isinstance(rows, (str, bytes, dict)) or not hasattr(rows, "__iter__"):
            raise TypeError(f"rows must be a sequence of dicts (one per trial); got "
                            f"{type(rows).__name__}")
        self.name = name
        self.rows = list(rows)
        bad = [i for i, r in enumerate(self.rows) if not isinstance(r, dict)]
        if bad:
            raise TypeError(f"rows must be dicts (one per trial); row {bad[0]} is "
                            f"{type(self.rows[bad[0]]).__name__}")

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    @property
    def columns(self):
        out = []
        for r in self.rows:
            out.extend(k for k in r if k not in out)
        return out

    def __contains__(self, name):
        return any(name in r for r in self.rows)

    def __getitem__(self, name):
        if name not in self:
            raise KeyError(f"sweep {self.name!r} has no column {name!r}; it has "
                           f"{', '.join(self.columns)}")
        vals = [r[name] for r in self.rows]
        if all(isinstance(v, (numbers.Number, np.number, np.bool_)) for v in vals):
            return np.asarray(vals, dtype=np.float64)
        if all(isinstance(v, (np.ndarray, list, tuple)) for v in vals):
            try:
                return np.concatenate([np.asarray(v, dtype=np.float64).reshape(-1)
                                       for v in vals])
            except (TypeError, ValueError):
                pass
        out = np.empty(len(vals), dtype=object)
        out[:] = vals
        return out

    def one(self, name):
        """The value of ``name`` in a sweep of one row."""
        if len(self.rows) != 1:
            raise ValueError(f"sweep {self.name!r} has {len(self.rows)} rows; one() needs 1")
        return self.rows[0][name]

    def where(self, **conditions):
        """The rows whose parameters equal ``conditions``."""
        return Table(self.name, [r for r in self.rows
                                 if all(r.get(k) == v for k, v in conditions.items())])

    def unique(self, name):
        """The distinct values of ``name`` in first-seen order."""
        out = []
        for r in self.rows:
            if r[name] not in out:
                out.append(r[name])
        return out

    def groups(self, *names):
        """``[(key, Table), ...]`` grouped by the values of ``names`` (first-seen order)."""
        keys = []
        for r in self.rows:
            k = tuple(r[n] for n in names)
            if k not in keys:
                keys.append(k)
        return [(k if len(names) > 1 else k[0],
                 Table(self.name, [r for r in self.rows if tuple(r[n] for n in names) == k]))
                for k in keys]


class Results(dict):
    """The tables of a run, by sweep name; ``results.quick`` and ``results.seed`` too."""

    def __init__(self, tables, *, quick, seed):
        if not isinstance(tables, dict) or not all(isinstance(t, Table) for t in tables.values()):
            raise TypeError(f"tables must be a dict of Table by sweep name; got "
                            f"{type(tables).__name__}")
        super().__init__(tables)
        self.quick = quick
        self.seed = seed

    def __missing__(self, name):
        raise KeyError(f"no sweep named {name!r}; sweeps: {', '.join(self)}")

    def rng(self, name, **key):
        """A generator keyed by the run seed, ``name`` and ``key``, for a grid function
        that draws what several trials must share (one subspace along an eps sweep,
        one target network along an N sweep): the draw goes into the grid points, so
        each trial stays a pure function of its point."""
        return np.random.default_rng(trial_seed(self.seed, name, key))


# --------------------------------------------------------------------------- sweeps

def _takes_rep(fn):
    """Whether ``fn`` takes a ``rep`` keyword (by name or through ``**kwargs``)."""
    params = inspect.signature(fn).parameters
    return "rep" in params or any(p.kind == p.VAR_KEYWORD for p in params.values())


def _without_rep(point, takes_rep):
    """``point`` as keyword arguments for a callable: ``rep`` dropped unless it takes it."""
    return point if takes_rep or "rep" not in point else \
        {k: v for k, v in point.items() if k != "rep"}


class Sweep:
    """A named parameter grid and the trial run at each of its points.

    Parameters
    ----------
    name : str
        Unique within a run.  Two statements that declare the *same* Sweep object
        share its trials: computed once per run (:class:`Session`).
    trial : callable
        ``trial(rng, **point) -> dict`` of measurements: numbers, arrays, strings or
        result objects of :mod:`pactools.stats`.  Pure: everything random comes
        from ``rng``.
    grid : dict, list of dict, or callable
        ``{parameter: values}`` (a list, a scalar, or a :class:`Grid` with quick and
        full values) whose product is the sweep; or an explicit list of points; or
        ``grid(results) -> dict or list`` computed after the sweeps declared before
        this one (adaptive designs).
    repeats : int or Grid, optional
        Adds a parameter ``rep`` = 0, 1, ... (independent repetitions); the trial gets
        it only if it takes a ``rep`` argument (it always keys the trial's seed).
    cost : callable, optional
        ``cost(**point) -> float``: a trial's expected cost in seconds (a rough model is
        enough).  On several workers the trials of a batch start costliest first, so
        a slow trial does not start last while the other workers idle; trials without a
        cost follow in grid order.  Only the order trials start changes: the rows are
        the same and come back in grid order.
    """

    def __init__(self, name, trial, grid=None, *, repeats=None, cost=None):
        if not isinstance(name, str) or not name:
            raise StatementError(f"sweep name must be a non-empty string; got {name!r}")
        if not callable(trial):
            raise StatementError(f"sweep {name!r}: trial must be callable; got {trial!r}")
        if cost is not None and not callable(cost):
            raise StatementError(f"sweep {name!r}: cost must be callable or None; got {cost!r}")
        self.name, self.trial, self.grid, self.repeats = name, trial, grid or {}, repeats
        self.cost = cost
        self._cost_takes_rep = cost is not None and _takes_rep(cost)
        sig = inspect.signature(trial)
        params = list(sig.parameters.values())
        self._accepts_any = any(p.kind == p.VAR_KEYWORD for p in params)
        self._params = {p.name for p in params[1:]
                        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        self._required = {p.name for p in params[1:] if p.default is p.empty
                          and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        if isinstance(self.grid, dict):
            self._check_names(self.grid.keys())

    def _takes(self, name):
        return self._accepts_any or name in self._params

    def _check_names(self, names):
        names = set(names) | ({"rep"} if self.repeats is not None else set())
        if not self._accepts_any:
            # ``rep`` keys the seed of a repetition; a trial need not take it
            unknown = sorted(names - self._params - {"rep"})
            if unknown:
                raise StatementError(f"sweep {self.name!r} names parameter(s) {unknown} that "
                                     f"its trial {self.trial.__name__}() does not take "
                                     f"(it takes {sorted(self._params)})")
        missing = sorted(self._required - names)
        if missing:
            raise StatementError(f"sweep {self.name!r} gives no value for the trial's "
                                 f"parameter(s) {missing}")

    def points(self, quick, previous=None):
        """The grid points (dicts) in mode ``quick``; ``previous``: earlier tables."""
        grid = self.grid(previous) if callable(self.grid) else self.grid
        if isinstance(grid, dict):
            axes = {k: _axis(v, quick) for k, v in grid.items()}
            pts = [dict(zip(axes, combo)) for combo in itertools.product(*axes.values())]
        else:   # explicit points; a Grid value in a point expands to its values in the mode
            pts = []
            for p in grid:
                axes = {k: _axis(v, quick) if isinstance(v, Grid) else (v,) for k, v in p.items()}
                pts.extend(dict(zip(axes, c)) for c in itertools.product(*axes.values()))
        if self.repeats is not None:
            reps = _axis(self.repeats, quick)
            if len(reps) != 1 or not isinstance(reps[0], (int, np.integer)) or reps[0] < 1:
                raise StatementError(f"sweep {self.name!r}: repeats must be a positive int or a "
                                     f"Grid of them; got {self.repeats!r}")
            pts = [{**p, "rep": r} for p in pts for r in range(int(reps[0]))]
        if pts:
            self._check_names(pts[0].keys())
        return [{k: _plain(v) for k, v in p.items()} for p in pts]

    def described(self, quick, points):
        """The grid as it ran, for a result's ``parameters``."""
        if isinstance(self.grid, dict):
            out = {k: list(_plain(_axis(v, quick))) for k, v in self.grid.items()}
        else:
            out = {"points": [{k: v for k, v in p.items() if k != "rep"}
                              for p in points if p.get("rep", 0) == 0]}
        if self.repeats is not None:
            out["repeats"] = int(_axis(self.repeats, quick)[0])
        out["n_trials"] = len(points)
        return out

    def expected_cost(self, point):
        """``cost(**point)`` without ``rep`` (unless the cost takes it); ``None`` without a
        cost model."""
        if self.cost is None:
            return None
        c = float(self.cost(**_without_rep(point, self._cost_takes_rep)))
        if not np.isfinite(c) or c < 0:
            raise StatementError(f"sweep {self.name!r}: cost must be a finite number >= 0; "
                                 f"got {c!r} at {point}")
        return c

    def run_trial(self, seed, point):
        rng = np.random.default_rng(trial_seed(seed, self.name, point))
        out = self.trial(rng, **_without_rep(point, self._takes("rep")))
        if not isinstance(out, dict):
            raise StatementError(f"sweep {self.name!r}: the trial must return a dict of "
                                 f"measurements; got {type(out).__name__}")
        clash = sorted(set(out) & set(point))
        if clash:
            raise StatementError(f"sweep {self.name!r}: measurement(s) {clash} shadow grid "
                                 "parameters")
        return {**point, **out}


class _Trial:
    """One sweep's trial at a fixed seed, as a picklable callable of the grid point:
    ``(row, from_cache)``."""

    def __init__(self, sweep, seed, cache=None):
        self.sweep, self.seed, self.cache = sweep, seed, cache

    def __call__(self, point):
        if self.cache is None:
            return self.sweep.run_trial(self.seed, point), False
        return self.cache.run(self.sweep, self.seed, point)


class _Trials:
    """Several sweeps' trials at one seed, as one picklable callable of ``(sweep index,
    grid point)``: ``(row, from_cache)`` (one executor batch across sweeps)."""

    def __init__(self, sweeps, seed, cache=None):
        self.trials = [_Trial(sw, seed, cache) for sw in sweeps]

    def __call__(self, task):
        i, point = task
        return self.trials[i](point)


class Session:
    """Runs of several statements that share sweeps: each shared sweep runs once per
    (seed, mode).

    ``executor`` (:mod:`pactools.executors`) runs the trials, serially by default; every
    executor gives bitwise the same tables.  ``cache`` (a
    :class:`pactools.cache.TrialCache`) keeps finished trials on disk, so a run that
    was interrupted resumes; ``computed`` and ``reused`` count the trials run and read.
    ``progress(sweep_name, done, total)`` is called after every trial.
    """

    def __init__(self, executor=None, cache=None, progress=None):
        from .executors import SerialExecutor
        self._tables = {}
        self.executor = SerialExecutor() if executor is None else executor
        self.cache, self.on_trial = cache, progress
        self.computed = self.reused = 0

    def prefetch(self, sweeps, quick, seed, progress=None):
        """Run, in one batch on the executor, the trials of every sweep of ``sweeps`` whose
        grid needs no earlier sweep's table (tried on results without tables: a grid that
        reads one raises ``KeyError`` and is left for :meth:`table`).  On several workers
        independent sweeps then overlap, instead of each sweep's last, slowest trials
        running alone while the other workers wait.  The tables are those :meth:`table`
        would build (each trial is a pure function of its point and seed)."""
        probe = Results({}, quick=quick, seed=seed)
        batch = []
        for sw in sweeps:
            key = self._key(sw, quick, seed)
            if key in self._tables or any(k == key for _, k, _ in batch):
                continue
            try:
                pts = sw.points(quick, probe)
            except KeyError:
                continue
            batch.append((sw, key, pts))
        if len(batch) >= 2:
            self._run(batch, quick, seed, progress)

    def _run(self, batch, quick, seed, progress):
        """Run ``batch``, a list of ``(sweep, key, points)``, as one executor map over
        every ``(sweep index, point)``; store each sweep's table under its key."""
        tasks = [(i, p) for i, (_, _, pts) in enumerate(batch) for p in pts]
        where = [(i, pos) for i, (_, _, pts) in enumerate(batch) for pos in range(len(pts))]
        order = list(range(len(tasks)))
        if getattr(self.executor, "n_workers", 1) > 1:
            # costliest first (longest processing time first); the rest in grid order
            costs = [batch[i][0].expected_cost(p) for i, p in tasks]
            order.sort(key=lambda j: (costs[j] is None, -(costs[j] or 0.0), j))
        rows = [[None] * len(pts) for _, _, pts in batch]
        done = [0] * len(batch)
        for sw, _, pts in batch:
            if self.on_trial is not None:
                self.on_trial(sw.name, 0, len(pts))
        fn = _Trials([sw for sw, _, _ in batch], seed, self.cache)
        for j, (row, hit) in zip(order, self.executor.map(fn, [tasks[j] for j in order])):
            i, pos = where[j]
            rows[i][pos] = row
            done[i] += 1
            self.reused += hit
            self.computed += not hit
            sw, _, pts = batch[i]
            if self.on_trial is not None:
                self.on_trial(sw.name, done[i], len(pts))
            if progress is not None:
                progress(f"{sw.name}: trial {done[i]}/{len(pts)} done")
        for (sw, key, pts), r in zip(batch, rows):
            self._tables[key] = (Table(sw.name, r), sw.described(quick, pts))

    @staticmethod
    def _key(sweep, quick, seed):
        return (id(sweep), sweep.name, bool(quick), int(seed))

    def table(self, sweep, quick, seed, previous, progress=None):
        key = self._key(sweep, quick, seed)
        if key not in self._tables:
            self._run([(sweep, key, sweep.points(quick, previous))], quick, seed, progress)
        return self._tables[key]


# --------------------------------------------------------------------------- rules

def _resolve(ref, results, default_sweep):
    """A column ``"name"`` / ``"sweep.name"`` of the results, or ``ref(results)``."""
    if callable(ref):
        return ref(results)
    if isinstance(ref, str):
        sweep, _, col = ref.partition(".") if ref.split(".")[0] in results else ("", "", ref)
        return results[sweep or default_sweep][col]
    return ref


#: rule kinds whose verdict rests on an interval from random samples: a claim of one of
#: these kinds gets a share of its statement's false-alarm budget (THEORY.md §C.0 rule 6)
STOCHASTIC_KINDS = ("mc-identity", "mc-upper", "probability", "upper-rate", "lower-rate",
                    "tightness")


class Rule:
    """A declarative check over columns: ``kind`` and ``evaluate(results, sweep, level)``.

    A named column that no trial returned raises ``KeyError`` when it is looked up,
    which :meth:`Statement.evaluate` reports with the statement and check names.
    ``stochastic`` rules take the confidence ``level`` their statement's false-alarm
    budget assigns them (``None``: each interval's own, nominal level).
    """

    def __init__(self, kind, fn):
        self.kind, self._fn = kind, fn
        self.stochastic = kind in STOCHASTIC_KINDS

    def evaluate(self, results, default_sweep, level=None):
        def get(ref):
            return _resolve(ref, results, default_sweep)
        return self._fn(get, results, default_sweep, level)


def split_level(level, parts, *, nominal=None):
    """The confidence level of each of ``parts`` intervals that share a family-wise
    level (Bonferroni): ``1 - (1 - level) / parts``.  ``level=None`` (no budget, e.g. a
    control) gives ``nominal`` (itself ``None`` by default: each interval's own level)."""
    parts = _check_int("parts", parts, low=1)
    if level is None:
        return nominal
    level = _check_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    return 1.0 - (1.0 - level) / parts


def _by(get, results, by, default_sweep, make, worst="max", level=None, nominal=0.95):
    """``make(get, confidence_level)`` per group of the rows of ``default_sweep`` with
    equal ``by`` (a parameter name or a tuple of them), combined; one call when ``by`` is
    None.  The groups share ``level`` (Bonferroni); ``level=None`` gives each group the
    ``nominal`` level (a control's)."""
    sweep = default_sweep
    if by is None:
        return make(lambda ref: _resolve(ref, results, sweep), nominal if level is None
                    else level)
    names = (by,) if isinstance(by, str) else tuple(by)
    groups = results[sweep].groups(*names)
    cl = split_level(level, len(groups), nominal=nominal)
    parts = {}
    for key, sub in groups:
        key = key if len(names) > 1 else (key,)
        sub_results = Results({**results, sweep: sub}, quick=results.quick, seed=results.seed)
        label = ", ".join(f"{n}={v}" for n, v in zip(names, key))
        parts[label] = make(lambda ref, _r=sub_results: _resolve(ref, _r, sweep), cl)
    return _stats.combine_outcomes(parts, worst=worst)


class _Rules:
    """Declarative rules; each argument is a column name (``"col"`` or ``"sweep.col"``),
    a callable of the results, or a value."""

    @staticmethod
    def inequality(measured, bound, *, rtol=1e-9, atol=0.0):
        """``measured <= bound`` on every instance (:func:`pactools.stats.check_inequality`)."""
        return Rule("inequality", lambda g, r, s, lv: _stats.check_inequality(
            g(measured), g(bound), rtol=rtol, atol=atol))

    @staticmethod
    def identity(measured, expected, *, rtol=1e-9, atol=1e-12):
        """``measured == expected`` within float tolerance (:func:`~pactools.stats.check_identity`)."""
        return Rule("identity", lambda g, r, s, lv: _stats.check_identity(
            g(measured), g(expected), rtol=rtol, atol=atol))

    @staticmethod
    def upper_rate(x, measured, bound, *, c_max, tau=0.1, by=None, sweep=None):
        """O(·) test of §C.0.2 along ``x`` (per ``by`` group, combined; the groups share
        the check's level)."""
        def fn(g, r, s, lv):
            return _by(g, r, by, sweep or s, lambda gg, cl: _stats.check_upper_rate(
                gg(x), gg(measured), gg(bound), c_max=c_max, tau=tau, confidence_level=cl),
                level=lv)
        return Rule("upper-rate", fn)

    @staticmethod
    def rate(x, measured, exponent, *, direction, tau=0.1, by=None, sweep=None):
        """Fitted log-log slope against ``exponent`` (:func:`~pactools.stats.check_rate_exponent`).

        ``exponent`` is a number, or a column that is constant within each ``by`` group
        (e.g. the intrinsic dimension when the predicted exponent is ``k``).
        """
        kind = {"upper": "upper-rate", "lower": "lower-rate", "tight": "tightness"}.get(direction)
        if kind is None:
            raise StatementError(f'direction must be "upper", "lower" or "tight"; got '
                                 f'{direction!r}')

        def one(gg, cl):
            e = np.unique(np.asarray(gg(exponent), dtype=np.float64))
            if e.size != 1:
                raise StatementError(f"rate exponent {exponent!r} takes {e.size} values within "
                                     "one group; group it with by=")
            return _stats.check_rate_exponent(gg(x), gg(measured), float(e[0]), tau=tau,
                                              direction=direction, confidence_level=cl)

        def fn(g, r, s, lv):
            return _by(g, r, by, sweep or s, one, worst="min" if direction == "lower" else "max",
                       level=lv)
        return Rule(kind, fn)

    @staticmethod
    def mc_contains(estimate, value, *, label=None):
        """Each Monte Carlo interval (a ``MonteCarloResult`` per row) contains its exact
        value; one row per grid point, combined (any miss fails).  Under a budget the
        rows share the check's level (Bonferroni).  ``label``: parameter names (of the
        estimate's sweep) that name each row in the details, e.g. ``("family", "n_vars")``
        (default ``row 0``, ``row 1``, ...)."""
        return Rule("mc-identity", lambda g, r, s, lv: _per_row(
            _stats.check_mc_contains, g(estimate), g(value), lv, _labels(g, estimate, label)))

    @staticmethod
    def mc_upper(estimate, bound, *, label=None):
        """Each Monte Carlo mean is below its bound (:func:`~pactools.stats.check_mc_upper`):
        pass if every interval lies below, fail if one lies wholly above.  ``label`` as
        for :meth:`mc_contains`."""
        return Rule("mc-upper", lambda g, r, s, lv: _per_row(
            _stats.check_mc_upper, g(estimate), g(bound), lv, _labels(g, estimate, label)))

    @staticmethod
    def probability(success, p0, *, confidence_level=0.95, margin=0.05, by=None, sweep=None):
        """``P[success] >= p0`` with a Clopper–Pearson interval; ``success``: 0/1 per trial
        (per ``by`` group, combined: the smallest frequency is reported).
        ``confidence_level`` is the nominal level; under a budget the groups share the
        check's level (Bonferroni)."""
        def one(gg, cl):
            hits = np.asarray(gg(success), dtype=np.float64).reshape(-1)
            return _stats.check_probability(int(hits.sum()), hits.size, p0,
                                            confidence_level=cl, margin=margin)

        def fn(g, r, s, lv):
            return _by(g, r, by, sweep or s, one, worst="min", level=lv,
                       nominal=confidence_level)
        return Rule("probability", fn)


rules = _Rules()


def _labels(get, estimate, names):
    """Row names ``"a=1, b=x"`` from the columns ``names`` of ``estimate``'s sweep."""
    if names is None:
        return None
    names = (names,) if isinstance(names, str) else tuple(names)
    prefix = estimate.rpartition(".")[0] + "." if isinstance(estimate, str) and \
        "." in estimate else ""
    def fmt(v):
        v = v.item() if isinstance(v, np.generic) else v
        return int(v) if isinstance(v, float) and v.is_integer() else v
    cols = [list(get(prefix + n)) for n in names]
    return [", ".join(f"{n}={fmt(v)}" for n, v in zip(names, vals)) for vals in zip(*cols)]


def _per_row(check, estimates, values, level=None, labels=None):
    est = list(estimates) if isinstance(estimates, (np.ndarray, list, tuple)) else [estimates]
    vals = np.broadcast_to(np.asarray(values, dtype=np.float64).reshape(-1), (len(est),))
    if level is not None:
        est = [e.at_level(split_level(level, len(est))) for e in est]
    if len(est) == 1:
        return check(est[0], float(vals[0]))
    labels = labels or [f"row {i}" for i in range(len(est))]
    if len(set(labels)) != len(labels):
        raise StatementError(f"label= names {len(set(labels))} distinct rows of {len(labels)}: "
                             "add parameters until each row has its own name")
    return _stats.combine_outcomes({lab: check(e, float(v))
                                    for lab, e, v in zip(labels, est, vals)})


# --------------------------------------------------------------------------- checks

@dataclass(frozen=True)
class CheckSpec:
    """A declared claim or control (see :func:`claim`, :func:`control`)."""
    name: str
    role: str
    rule: object
    description: str
    kind: str
    tolerance: object
    sweep: str | None
    stochastic: bool = False


_UNSET = object()


def _takes_level(fn):
    try:
        return "level" in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins
        return False


def _spec(role, name, rule, description, kind, tolerance, sweep):
    if not isinstance(name, str) or not name.strip():
        raise StatementError(f"{role} name must be a non-empty string; got {name!r}")
    if isinstance(rule, Rule):
        kind, stochastic = kind or rule.kind, rule.stochastic
    elif callable(rule):
        if not kind:
            raise StatementError(f"check {name!r}: a rule given as a function needs kind=")
        stochastic = _takes_level(rule)
        if kind in STOCHASTIC_KINDS and not stochastic:
            raise StatementError(f"check {name!r}: a {kind} check given as a function must take "
                                 "a level= keyword (its share of the false-alarm budget)")
    else:
        raise StatementError(f"check {name!r}: rule must be a rules.* object or a function of "
                             f"the results returning a RuleOutcome; got {rule!r}")
    tol = DEFAULT_TOLERANCE.get(kind, 1e-6) if tolerance is _UNSET else tolerance
    return CheckSpec(name, role, rule, description, kind, tol, sweep, stochastic)


def claim(name, rule, description="", *, kind=None, tolerance=_UNSET, sweep=None):
    """A claim: what the paper (or THEORY.md) asserts.

    ``rule`` is a ``rules.*`` object or ``rule(results) -> RuleOutcome`` (plain
    Python, with ``kind=``); a function that takes a ``level`` keyword is a
    stochastic check and gets its share of the statement's false-alarm budget as
    ``level`` (``None`` for a control: its intervals' nominal level).  ``tolerance``: the relative regression tolerance on
    ``measured`` (default: :data:`DEFAULT_TOLERANCE` of the kind).  ``sweep``: the
    table that bare column names refer to (default: the first sweep).
    """
    return _spec(CLAIM, name, rule, description, kind, tolerance, sweep)


def control(name, rule, description="", *, kind=None, tolerance=_UNSET, sweep=None):
    """A negative control: a variant theory says must fail; ``caught`` when its rule fails."""
    return _spec(CONTROL, name, rule, description, kind, tolerance, sweep)


@dataclass
class Check:
    """One evaluated check: ``verdict`` is pass / fail / inconclusive for a claim,
    caught / missed for a control."""
    name: str
    role: str
    kind: str
    measured: object
    bound: object
    verdict: str
    details: dict = field(default_factory=dict)
    description: str = ""
    tolerance: float | None = None

    def to_dict(self):
        return _clean({"name": self.name, "role": self.role, "kind": self.kind,
                       "description": self.description, "measured": self.measured,
                       "bound": self.bound, "verdict": self.verdict,
                       "tolerance": self.tolerance, "details": self.details})


def overall_verdict(checks):
    """violated if a claim failed; inconclusive if a claim was inconclusive or a control
    was missed (the checks could not tell right from wrong); else consistent."""
    claims = [c for c in checks if c.role == CLAIM]
    controls = [c for c in checks if c.role == CONTROL]
    if not claims or not controls:
        raise StatementError("a statement needs at least one claim check and one control")
    if any(c.verdict == FAIL for c in claims):
        return VIOLATED
    if any(c.verdict != PASS for c in claims) or any(c.verdict != CAUGHT for c in controls):
        return INCONCLUSIVE
    return CONSISTENT


# --------------------------------------------------------------------------- figures

@dataclass(frozen=True)
class Figure:
    """A figure as data: a :mod:`pactools.plotting` ``kind`` whose data arguments
    name keys of ``result.series``, and literal ``options`` (labels, titles)."""
    file: str
    kind: str
    data: dict
    options: dict = field(default_factory=dict)

    def __init__(self, file, kind, data, **options):
        from .plotting import KINDS
        if not isinstance(file, str) or not file.endswith((".png", ".pdf", ".svg")):
            raise StatementError(f"figure file must be a name ending in .png, .pdf or .svg; "
                                 f"got {file!r}")
        if kind not in KINDS:
            raise StatementError(f"figure kind must be one of {', '.join(KINDS)}; got {kind!r}")
        if not isinstance(data, dict):
            raise StatementError(f"figure data must be a dict {{argument: series key}}; got "
                                 f"{type(data).__name__}")
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "data", dict(data))
        object.__setattr__(self, "options", _plain(options))

    def to_dict(self):
        return {"file": self.file, "kind": self.kind, "data": self.data,
                "options": self.options}


# --------------------------------------------------------------------------- results

def _clean(v):
    """JSON-ready copy: numpy scalars/arrays to floats/lists, non-finite floats to strings."""
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if isinstance(v, np.ndarray):
        return _clean(v.tolist())
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        # undefined (NaN) is JSON null, with the reason in the check's details; +-inf stays
        return f if np.isfinite(f) else (None if np.isnan(f) else str(f))
    if hasattr(v, "to_dict"):
        return _clean(v.to_dict())
    return v


@dataclass
class Result:
    """The outcome of running a statement: verdict, checks, parameters, series."""
    statement: "Statement"
    verdict: str
    checks: list
    parameters: dict
    seed: int
    quick: bool
    versions: dict
    wall_time_s: float
    series: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    #: the run's :class:`Table` of each sweep, for exploring a result in Python (not saved)
    tables: dict = field(default_factory=dict, repr=False)
    #: the statement's report tables (``title``, ``columns``, ``rows``, ``caption``)
    report_tables: list = field(default_factory=list)

    @property
    def theorem(self):
        return self.statement.id

    def counts(self):
        claims = [c for c in self.checks if c.role == CLAIM]
        controls = [c for c in self.checks if c.role == CONTROL]
        return {"claims": len(claims), "claims_pass": sum(c.verdict == PASS for c in claims),
                "controls": len(controls),
                "controls_caught": sum(c.verdict == CAUGHT for c in controls)}

    def check(self, name):
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"no check named {name!r}")

    def figure(self, file):
        """The declared figure ``file`` (e.g. ``"gap.png"``) drawn from this result's series,
        as a matplotlib Figure (shown inline in Jupyter; the same drawing as the report's)."""
        from .plotting import render
        for f in self.statement.figures:
            if f.file == file:
                return render(json.loads(json.dumps(f.to_dict())),
                              json.loads(json.dumps(_clean(self.series))))
        raise KeyError(f"no figure named {file!r}; figures: "
                       f"{', '.join(f.file for f in self.statement.figures) or 'none'}")

    def to_dict(self):
        st = self.statement
        return _clean({"pactools_result": 1, "theorem": st.id, "title": st.title,
                       "paper": st.paper, "item": st.item, "section": st.section,
                       "statement": st.text, "statement_math": st.math, "source": st.source,
                       "inconclusive_by_nature": st.inconclusive_by_nature,
                       "verdict": self.verdict,
                       "checks": [c.to_dict() for c in self.checks],
                       "parameters": self.parameters, "seed": self.seed,
                       "mode": "quick" if self.quick else "full", "versions": self.versions,
                       "wall_time_s": round(self.wall_time_s, 3), "notes": self.notes,
                       "report_tables": self.report_tables,
                       "bounds": [_bound_dict(b) for b in st.bounds],
                       "figures": [f.to_dict() for f in st.figures],
                       "series": self.series})

    def to_json(self, *, timings=True):
        """The result as JSON; ``timings=False`` leaves out the wall time, the one field
        that differs between identical runs (for identity checks across executors)."""
        d = self.to_dict()
        if not timings:
            d.pop("wall_time_s")
        return json.dumps(d, indent=2)


def _bound_dict(fn):
    """Name, reference and LaTeX formula of a bound function (``.formula``: sympy or text)."""
    formula = getattr(fn, "formula", "")
    if not isinstance(formula, str):
        import sympy
        formula = sympy.latex(formula)
    return {"name": fn.__name__, "reference": getattr(fn, "reference", ""), "formula": formula}


def versions():
    """Versions of pactools, Python, numpy, scipy, sympy and the BLAS in use."""
    import platform
    import sys

    import scipy
    import sympy

    from . import __version__
    out = {"pactools": __version__, "python": sys.version.split()[0],
           "numpy": np.__version__, "scipy": scipy.__version__, "sympy": sympy.__version__,
           "platform": platform.platform()}
    try:
        from threadpoolctl import threadpool_info
        # sorted: threadpoolctl's order varies between runs, the result must not
        out["blas"] = sorted({f"{i.get('internal_api')} {i.get('version')} "
                              f"{i.get('architecture')}" for i in threadpool_info()
                              if i.get("user_api") == "blas"})
    except ImportError:  # pragma: no cover
        pass
    return out


# --------------------------------------------------------------------------- statements

class Statement:
    """A verifiable statement: metadata, sweeps, claims, controls, figures.

    Parameters
    ----------
    id : str
        ``"paper:item"``-style identifier (see ``pactools list``).
    paper, item, title, text : str
        Where it comes from and what it says (``text``: the statement itself, in words).
    math : str, optional
        The statement in LaTeX (math mode, no delimiters), for reports and the docs.
    sweeps : list of Sweep
        Run in order; a sweep's grid may be computed from the tables before it.
    checks : list
        :func:`claim` and :func:`control` declarations (at least one of each).
    section : str, optional
        The THEORY.md section that restates it.
    series : callable, optional
        ``series(results) -> dict``: the data the figures draw (JSON-able).
    figures : list of Figure, optional
    notes : callable, optional
        ``notes(results, checks) -> list of str`` for the report.
    report_tables : callable, optional
        ``report_tables(results) -> list of dict`` with ``title``, ``columns`` (names),
        ``rows`` (lists of cells) and optionally ``caption``: tables the report prints
        (a paper's numbers beside the measured ones).
    constants : dict, optional
        Pre-registered constants (C_max, tau, ...), recorded in ``parameters``.
    bounds : tuple of callables, optional
        The :mod:`pactools.bounds` functions used (their formulas go in the report).
    aliases : tuple of str, optional
    seed : int
        The default run seed.
    inconclusive_by_nature : bool
        The statement cannot be settled by computation; its honest verdict is
        ``inconclusive``.
    expected_inconclusive : dict, optional
        ``{"quick": reason, "full": reason}``: the modes whose sweeps are known not to
        resolve the statement at its budget's level, and why.  An ``inconclusive`` verdict
        in such a mode is expected (``pactools verify`` does not exit 3 for it unless
        ``--strict``); it is never a pass.
    false_alarm : float
        The false-alarm budget: P(verdict = violated | the statement is true) <=
        ``false_alarm``.  It is split evenly (Bonferroni) over the stochastic claims
        (Monte Carlo intervals, probability claims), each of which splits its share
        over its rows; exact checks stay exact.  Recorded in ``parameters``.
    """

    def __init__(self, *, id, paper, item, title, text, sweeps, checks, section="", math="",
                 series=None, figures=(), notes=None, report_tables=None, constants=None,
                 bounds=(), aliases=(), seed=0, inconclusive_by_nature=False,
                 expected_inconclusive=None, false_alarm=0.01):
        if not isinstance(id, str) or not id.strip() or any(c.isspace() for c in id):
            raise StatementError(f"statement id must be a non-empty string without spaces; "
                                 f"got {id!r}")
        self.id, self.paper, self.item, self.title, self.text = id, paper, item, title, text
        self.section = section
        if not isinstance(math, str):
            raise StatementError(f"statement {id!r}: math must be a LaTeX string; got "
                                 f"{type(math).__name__}")
        self.math = math.strip()
        self.sweeps = list(sweeps)
        self.checks = list(checks)
        self.series_fn, self.figures, self.notes_fn = series, tuple(figures), notes
        self.report_tables_fn = report_tables
        self.constants = dict(constants or {})
        self.bounds, self.aliases = tuple(bounds), tuple(aliases)
        self.seed, self.inconclusive_by_nature = int(seed), bool(inconclusive_by_nature)
        self.expected_inconclusive = dict(expected_inconclusive or {})
        for mode, why in self.expected_inconclusive.items():
            if mode not in ("quick", "full") or not isinstance(why, str) or not why.strip():
                raise StatementError(f"statement {id!r}: expected_inconclusive maps 'quick' or "
                                     f"'full' to a reason; got {mode!r}: {why!r}")
        if isinstance(false_alarm, bool) or not isinstance(false_alarm, numbers.Real) or \
                not 0.0 < false_alarm < 1.0:
            raise StatementError(f"statement {id!r}: false_alarm must be a probability in "
                                 f"(0, 1); got {false_alarm!r}")
        self.false_alarm = float(false_alarm)
        self.source = "built in"
        self._validate()

    def expects_inconclusive(self, quick):
        """Whether ``inconclusive`` is this statement's expected verdict in that mode."""
        return self.inconclusive_by_nature or (
            ("quick" if quick else "full") in self.expected_inconclusive)

    def _fail(self, message):
        raise StatementError(f"statement {self.id!r}: {message}")

    def _validate(self):
        if not self.sweeps:
            self._fail("declares no sweep")
        names = [s.name for s in self.sweeps]
        if len(set(names)) != len(names):
            self._fail(f"sweep names repeat: {names}")
        for s in self.sweeps:
            if not isinstance(s, Sweep):
                self._fail(f"sweeps must be Sweep objects; got {s!r}")
        checks = [c.name for c in self.checks]
        if len(set(checks)) != len(checks):
            self._fail(f"duplicate check name(s) {sorted({n for n in checks if checks.count(n) > 1})}")
        for c in self.checks:
            if not isinstance(c, CheckSpec):
                self._fail(f"checks must be claim(...) or control(...); got {c!r}")
            if c.sweep is not None and c.sweep not in names:
                self._fail(f"check {c.name!r} refers to unknown sweep {c.sweep!r}")
        if not any(c.role == CLAIM for c in self.checks):
            self._fail("has no claim")
        if not any(c.role == CONTROL for c in self.checks):
            self._fail("has no control: every statement needs a negative control")
        for f in self.figures:
            if not isinstance(f, Figure):
                self._fail(f"figures must be Figure objects; got {f!r}")

    def __repr__(self):
        return f"<Statement {self.id!r}: {self.title}>"

    def budget(self):
        """``{check name: confidence level}`` of the stochastic claims under the
        false-alarm budget (Bonferroni over them)."""
        names = [c.name for c in self.checks if c.role == CLAIM and c.stochastic]
        return {n: split_level(1.0 - self.false_alarm, len(names)) for n in names}

    def evaluate(self, check, results, level=None):
        """One :class:`Check` from a declaration and the run's tables; ``level``: the
        confidence level of a stochastic check (default: its nominal level)."""
        sweep = check.sweep or self.sweeps[0].name
        try:
            if isinstance(check.rule, Rule):
                out = check.rule.evaluate(results, sweep, level)
            elif check.stochastic:
                out = check.rule(results, level=level)
            else:
                out = check.rule(results)
        except KeyError as e:
            self._fail(f"check {check.name!r}: {e.args[0]}")
        except StatementError as e:
            self._fail(f"check {check.name!r}: {e}")
        if not isinstance(out, RuleOutcome):
            self._fail(f"check {check.name!r}: the rule returned {type(out).__name__}, not a "
                       "RuleOutcome")
        details = dict(out.details)
        rule_verdict = out.verdict
        undefined = [k for k, v in (("measured", out.measured), ("bound", out.bound))
                     if isinstance(v, (float, np.floating)) and not np.isfinite(v)]
        if undefined:
            # a 0/0 or an overflow is not evidence either way: the check cannot tell
            rule_verdict = _stats.INCONCLUSIVE
            details["undefined"] = (f"{' and '.join(undefined)} not finite "
                                    f"({out.measured!r}, {out.bound!r}): the check cannot tell")
        if check.role == CLAIM:
            verdict = rule_verdict
        else:
            verdict = CAUGHT if rule_verdict == FAIL else MISSED
        return Check(check.name, check.role, check.kind, out.measured, out.bound, verdict,
                     details, check.description, check.tolerance)

    def run(self, *, quick=False, seed=None, progress=None, session=None, executor=None):
        """Run every sweep, evaluate every check; a :class:`Result`.

        ``executor`` runs the trials (:mod:`pactools.executors`: serial by default, local
        processes, a Dask cluster); the result is the same whatever runs them.  With a
        ``session``, the session's executor is used."""
        seed = self.seed if seed is None else int(seed)
        if session is not None and executor is not None:
            raise StatementError("give executor= or session= (a session has its executor)")
        session = Session(executor) if session is None else session
        say = None if progress is None else (lambda m: progress(f"[{self.id}] {m}"))
        t0 = time.perf_counter()
        tables, parameters = {}, {}
        if getattr(session.executor, "n_workers", 1) > 1:
            session.prefetch(self.sweeps, quick, seed, say)
        for sw in self.sweeps:
            previous = Results(dict(tables), quick=quick, seed=seed)
            tables[sw.name], parameters[sw.name] = session.table(sw, quick, seed, previous, say)
        results = Results(tables, quick=quick, seed=seed)
        levels = self.budget()
        checks = [self.evaluate(c, results, levels.get(c.name)) for c in self.checks]
        parameters["false_alarm"] = {
            "level": self.false_alarm, "split": "bonferroni over the stochastic claims, then "
            "over each claim's rows or groups", "claim_levels": levels}
        if self.constants:
            parameters["constants"] = _plain(self.constants)
        series = _clean(self.series_fn(results)) if self.series_fn else {}
        notes = list(self.notes_fn(results, checks)) if self.notes_fn else []
        report_tables = _clean(list(self.report_tables_fn(results))) \
            if self.report_tables_fn else []
        wall = time.perf_counter() - t0
        return Result(self, overall_verdict(checks), checks, parameters, seed, quick,
                      versions(), wall, series, notes, dict(tables), report_tables)
