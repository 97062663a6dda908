"""Bound regression: compare a run with a committed reference result.

Used by ``tests/test_regression.py`` and by the pytest plugin
(:mod:`pactools.pytest_plugin`) in users' CI.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

__all__ = ["compare_with_reference", "read_result", "NotAResultError"]


class NotAResultError(ValueError):
    """A file that is not a pactools result."""


def read_result(path):
    """The result dict saved in ``path`` (a ``result.json``), checked to be one."""
    p = Path(path)
    try:
        data = json.loads(p.read_text())
    except FileNotFoundError:
        raise NotAResultError(f"path {str(p)!r}: no such file") from None
    except (OSError, ValueError) as e:
        raise NotAResultError(f"path {str(p)!r} is not a pactools result: {e}") from None
    if not isinstance(data, dict) or not {"theorem", "verdict", "checks", "mode",
                                          "seed"} <= set(data):
        raise NotAResultError(f"path {str(p)!r} is not a pactools result (it lacks the keys "
                              "theorem, verdict, checks, mode, seed)")
    return data


def _number(v):
    if isinstance(v, str):
        return float(v)           # "inf", "nan" as saved by the JSON writer
    return float(v)


def compare_with_reference(result, reference):
    """Differences between a result dict and a reference dict (empty list: the same).

    Compared: the theorem, mode, seed and verdict; the set of checks and each
    check's verdict exactly; each check's ``measured`` and every number in its
    ``details`` (interval ends, fitted slopes, implied constants, success counts)
    within its stated relative ``tolerance`` (``None``: by verdict only); the
    pre-registered constants in ``parameters["constants"]`` and the false-alarm
    budget ``parameters["false_alarm"]`` exactly.
    """
    for name, d in (("result", result), ("reference", reference)):
        if not isinstance(d, dict):
            raise TypeError(f"{name} must be a result dict (Result.to_dict() or read_result); "
                            f"got {type(d).__name__}")
        if "checks" not in d:
            raise ValueError(f"{name} must be a result dict with a 'checks' list; got the keys "
                             f"{sorted(d)[:8]}")
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
        if tol is None:
            continue
        try:
            gm, rm = _number(g["measured"]), _number(r["measured"])
        except (TypeError, ValueError):
            if g["measured"] != r["measured"]:
                diffs.append(f"{name}: measured {g['measured']!r} != reference "
                             f"{r['measured']!r}")
            continue
        if math.isnan(gm) or math.isnan(rm):
            same = math.isnan(gm) and math.isnan(rm)
        elif math.isinf(gm) or math.isinf(rm):
            same = gm == rm
        else:
            same = abs(gm - rm) <= tol * max(abs(rm), 1e-300)
        if not same:
            diffs.append(f"{name}: measured {gm!r} differs from reference {rm!r} by more "
                         f"than rtol {tol}")
        diffs.extend(f"{name}: {d}" for d in _numbers_differ(g.get("details", {}),
                                                              r.get("details", {}), tol))
    for key, what in (("constants", "pre-registered constants"),
                      ("false_alarm", "false-alarm budget")):
        gc = result.get("parameters", {}).get(key)
        rc = reference.get("parameters", {}).get(key)
        if gc != rc:
            diffs.append(f"{what} differ: {gc!r} != reference {rc!r}")
    return diffs


def _same(a, b, tol):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= tol * max(abs(b), 1e-300)


def _numbers_differ(got, ref, tol, path="details"):
    """Paths where the numbers of two nested detail dicts differ beyond ``tol``."""
    if isinstance(ref, dict) and isinstance(got, dict):
        out = [f"{path}.{k} missing" for k in ref if k not in got]
        out += [f"{path}.{k} new" for k in got if k not in ref]
        for k in ref:
            if k in got:
                out += _numbers_differ(got[k], ref[k], tol, f"{path}.{k}")
        return out
    if isinstance(ref, list) and isinstance(got, list):
        if len(ref) != len(got):
            return [f"{path}: {len(got)} entries != reference {len(ref)}"]
        return [d for i, (g, r) in enumerate(zip(got, ref))
                for d in _numbers_differ(g, r, tol, f"{path}[{i}]")]
    if isinstance(ref, bool) or isinstance(got, bool) or not (
            isinstance(ref, (int, float)) and isinstance(got, (int, float))):
        return [] if got == ref or isinstance(ref, str) else \
            [f"{path}: {got!r} != reference {ref!r}"]
    return [] if _same(float(got), float(ref), tol) else \
        [f"{path}: {got!r} differs from reference {ref!r} by more than rtol {tol}"]
