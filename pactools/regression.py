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
        raise NotAResultError(f"no such file {str(p)!r}") from None
    except (OSError, ValueError) as e:
        raise NotAResultError(f"{str(p)!r} is not a pactools result: {e}") from None
    if not isinstance(data, dict) or not {"theorem", "verdict", "checks", "mode",
                                          "seed"} <= set(data):
        raise NotAResultError(f"{str(p)!r} is not a pactools result (it lacks the keys "
                              "theorem, verdict, checks, mode, seed)")
    return data


def _number(v):
    if isinstance(v, str):
        return float(v)           # "inf", "nan" as saved by the JSON writer
    return float(v)


def compare_with_reference(result, reference):
    """Differences between a result dict and a reference dict (empty list: the same).

    Compared: the theorem, mode, seed and verdict; the set of checks and each
    check's verdict exactly; each check's ``measured`` within its stated relative
    ``tolerance`` (``None``: by verdict only); the pre-registered constants in
    ``parameters["constants"]`` exactly.
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
    gc = result.get("parameters", {}).get("constants")
    rc = reference.get("parameters", {}).get("constants")
    if gc != rc:
        diffs.append(f"pre-registered constants differ: {gc!r} != reference {rc!r}")
    return diffs
