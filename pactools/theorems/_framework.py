"""Verifiable statements, their checks and results, and the registry."""
from __future__ import annotations

import json
import platform
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ..stats import FAIL, PASS, RuleOutcome

__all__ = ["Check", "TheoremResult", "Statement", "RunContext", "register", "get", "all_ids",
           "resolve", "CONSISTENT", "VIOLATED", "INCONCLUSIVE_VERDICT", "CAUGHT", "MISSED"]

CONSISTENT, VIOLATED, INCONCLUSIVE_VERDICT = "consistent", "violated", "inconclusive"
CAUGHT, MISSED = "caught", "missed"
CLAIM, CONTROL = "claim", "control"


def _clean(v):
    """Make numpy scalars/arrays JSON-serialisable (floats, lists)."""
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
        return f if np.isfinite(f) else str(f)
    if hasattr(v, "to_dict"):
        return _clean(v.to_dict())
    return v


@dataclass
class Check:
    """One check of a statement.

    ``role`` is ``claim`` (what the paper or THEORY.md asserts) or
    ``control`` (a variant theory says must fail).  A claim's verdict is
    pass / fail / inconclusive; a control's is ``caught`` when its rule
    failed, as it must, and ``missed`` otherwise.  ``tolerance`` is the
    relative tolerance the bound-regression tests allow on ``measured``
    against the committed reference (``None``: compared by verdict only).
    """
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


@dataclass
class TheoremResult:
    theorem: str
    statement: str
    title: str
    verdict: str
    checks: list
    parameters: dict
    seed: int
    quick: bool
    versions: dict
    wall_time_s: float
    series: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def to_dict(self):
        return _clean({"theorem": self.theorem, "title": self.title,
                       "statement": self.statement, "verdict": self.verdict,
                       "checks": [c.to_dict() for c in self.checks],
                       "parameters": self.parameters, "seed": self.seed,
                       "mode": "quick" if self.quick else "full", "versions": self.versions,
                       "wall_time_s": round(self.wall_time_s, 3), "notes": self.notes,
                       "series": self.series})

    def to_json(self):
        return json.dumps(self.to_dict(), indent=2, sort_keys=False)

    def counts(self):
        claims = [c for c in self.checks if c.role == CLAIM]
        controls = [c for c in self.checks if c.role == CONTROL]
        return {"claims": len(claims), "claims_pass": sum(c.verdict == PASS for c in claims),
                "controls": len(controls),
                "controls_caught": sum(c.verdict == CAUGHT for c in controls)}


def overall_verdict(checks):
    """violated if a claim failed; inconclusive if a claim was inconclusive or a
    control was missed (the checks could not tell right from wrong); else consistent."""
    claims = [c for c in checks if c.role == CLAIM]
    controls = [c for c in checks if c.role == CONTROL]
    if not claims or not controls:
        raise RuntimeError("a statement needs at least one claim check and one control")
    if any(c.verdict == FAIL for c in claims):
        return VIOLATED
    if any(c.verdict != PASS for c in claims) or any(c.verdict != CAUGHT for c in controls):
        return INCONCLUSIVE_VERDICT
    return CONSISTENT


def versions():
    import scipy
    import sympy
    out = {"pactools": _pkg_version(), "python": sys.version.split()[0],
           "numpy": np.__version__, "scipy": scipy.__version__, "sympy": sympy.__version__,
           "platform": platform.platform()}
    try:
        from threadpoolctl import threadpool_info
        out["blas"] = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}"
                       for i in threadpool_info() if i.get("user_api") == "blas"]
    except ImportError:  # pragma: no cover
        pass
    return out


def _pkg_version():
    from .. import __version__
    return __version__


class RunContext:
    """What a statement's ``run`` function gets: mode, seed, rng, and sinks."""

    def __init__(self, statement, *, quick, seed, progress=None):
        self.statement = statement
        self.quick = quick
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.checks = []
        self.parameters = {}
        self.series = {}
        self.notes = []
        self._progress = progress

    def progress(self, message):
        if self._progress is not None:
            self._progress(f"[{self.statement.id}] {message}")

    def _add(self, name, role, kind, outcome: RuleOutcome, description, tolerance):
        if role == CLAIM:
            verdict = outcome.verdict
        elif role == CONTROL:
            verdict = CAUGHT if outcome.verdict == FAIL else MISSED
        else:
            raise ValueError(f'role must be "claim" or "control"; got {role!r}')
        if any(c.name == name for c in self.checks):
            raise ValueError(f"duplicate check name {name!r}")
        check = Check(name, role, kind, outcome.measured, outcome.bound, verdict,
                      dict(outcome.details), description, tolerance)
        self.checks.append(check)
        return check

    def claim(self, name, kind, outcome, description="", tolerance=None):
        return self._add(name, CLAIM, kind, outcome, description, tolerance)

    def control(self, name, kind, outcome, description="", tolerance=None):
        return self._add(name, CONTROL, kind, outcome, description, tolerance)


@dataclass
class Statement:
    id: str
    paper: str
    item: str
    title: str
    statement: str
    run_fn: object
    figures_fn: object = None
    aliases: tuple = ()
    default_seed: int = 0
    bounds: tuple = ()
    #: the statement cannot be settled by computation (e.g. a conjectured upper bound
    #: probed by lower-bound witnesses); its honest verdict is "inconclusive"
    inconclusive_by_nature: bool = False

    def run(self, *, quick=False, seed=None, progress=None):
        seed = self.default_seed if seed is None else seed
        ctx = RunContext(self, quick=quick, seed=seed, progress=progress)
        t0 = time.perf_counter()
        self.run_fn(ctx)
        wall = time.perf_counter() - t0
        return TheoremResult(self.id, self.statement, self.title, overall_verdict(ctx.checks),
                             ctx.checks, ctx.parameters, seed, quick, versions(), wall,
                             ctx.series, ctx.notes)

    def figures(self, result):
        """``[(file_name, matplotlib Figure), ...]`` for the report."""
        return [] if self.figures_fn is None else list(self.figures_fn(result))


_REGISTRY = {}
_ALIASES = {}


def register(*, id, paper, item, title, statement, aliases=(), default_seed=0, figures=None,
             bounds=(), inconclusive_by_nature=False):
    """Decorator registering a ``run(ctx)`` function as a verifiable statement."""
    def deco(fn):
        st = Statement(id, paper, item, title, statement, fn, figures, tuple(aliases),
                       default_seed, tuple(bounds), inconclusive_by_nature)
        for key in (id, *aliases):
            if key in _ALIASES:
                raise ValueError(f"statement id {key!r} registered twice")
            _ALIASES[key] = id
        _REGISTRY[id] = st
        return fn
    return deco


def all_ids():
    return list(_REGISTRY)


def resolve(name):
    """The canonical id for a name or alias, or ``KeyError`` listing the known ones."""
    key = str(name).strip()
    if key in _ALIASES:
        return _ALIASES[key]
    raise KeyError(f"unknown theorem {name!r}; known: {', '.join(sorted(_ALIASES))}")


def get(name):
    return _REGISTRY[resolve(name)]


def compare_with_reference(result, reference):
    """Differences between a result dict and a committed reference dict (empty: same).

    Compared: the mode and seed, the verdict, the set of checks and each
    check's verdict, and ``measured`` within the check's stated relative
    ``tolerance`` (checks with ``tolerance`` None are compared by verdict only).
    """
    diffs = []
    for key in ("theorem", "mode", "seed", "verdict"):
        if result.get(key) != reference.get(key):
            diffs.append(f"{key}: {result.get(key)!r} != reference {reference.get(key)!r}")
    got = {c["name"]: c for c in result["checks"]}
    ref = {c["name"]: c for c in reference["checks"]}
    if set(got) != set(ref):
        diffs.append(f"checks differ: new {sorted(set(got) - set(ref))}, "
                     f"missing {sorted(set(ref) - set(got))}")
    for name in sorted(set(got) & set(ref)):
        g, r = got[name], ref[name]
        if g["verdict"] != r["verdict"]:
            diffs.append(f"{name}: verdict {g['verdict']} != reference {r['verdict']}")
        tol = r.get("tolerance")
        if tol is not None:
            gm, rm = float(g["measured"]), float(r["measured"])
            if abs(gm - rm) > tol * max(abs(rm), 1e-300):
                diffs.append(f"{name}: measured {gm!r} differs from reference {rm!r} by more "
                             f"than rtol {tol}")
    return diffs
