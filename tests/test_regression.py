"""Bound-regression tests: every statement, --quick, against its committed reference.

The references are ``reports/<id>/result.json``, written deliberately with
``pactools verify --theorem ID --quick --update-reference`` (or ``pytest
--pactools-update``, on purpose); a plain test run never writes them. The
comparison is the pytest plugin's (:mod:`pactools.pytest_plugin`).  Each check states its own tolerance on ``measured`` (see the
statement modules: 1e-6 relative for exact float64 worst ratios and seeded
slopes, which reproduce to ~1e-12 across BLAS builds).
"""
import copy
import json
from pathlib import Path

import pytest

from pactools import theorems
from pactools.report import report_dirname

REPORTS = Path(__file__).resolve().parents[1] / "reports"


def _reference(tid):
    path = REPORTS / report_dirname(tid) / "result.json"
    assert path.exists(), (f"no committed reference for {tid}; create it deliberately with "
                           f"`pactools verify --theorem {tid} --quick --update-reference`")
    ref = json.loads(path.read_text())
    assert ref["reference"] is True and ref["mode"] == "quick"
    return ref


@pytest.mark.parametrize("tid", theorems.all_ids())
def test_quick_run_matches_committed_reference(tid, pactools_regression):
    ref = _reference(tid)
    assert ref["seed"] == theorems.get(tid).seed    # so one quick run serves every test
    pactools_regression.check(tid, reference=REPORTS / report_dirname(tid) / "result.json")


def test_comparison_catches_changed_verdicts_and_values():
    ref = _reference("lemma-2.1")
    res = copy.deepcopy(ref)
    assert theorems.compare_with_reference(res, ref) == []
    res["checks"][2]["measured"] *= 1.001        # explicit-bound worst ratio, tolerance 1e-6
    res["checks"][0]["verdict"] = "fail"
    diffs = theorems.compare_with_reference(res, ref)
    assert any("explicit-bound: measured" in d for d in diffs)
    assert any("identity-symmetric: verdict fail" in d for d in diffs)
    res = copy.deepcopy(ref)
    res["checks"].pop()
    assert any("missing" in d for d in theorems.compare_with_reference(res, ref))


def _check(data, name):
    return next(c for c in data["checks"] if c["name"] == name)


def test_comparison_catches_moved_intervals_constants_frequencies_and_budget():
    ref = _reference("lemma-2.1")
    res = copy.deepcopy(ref)
    # an interval end of a rate fit (a one-sided quantile would move it), measured unchanged
    fit = next(v for v in _check(res, "rate-in-n")["details"].values()
               if isinstance(v, dict) and "fit" in v)["fit"]
    fit["confidence_interval"]["high"] *= 1.01
    assert any("rate-in-n: details." in d and "confidence_interval.high" in d
               for d in theorems.compare_with_reference(res, ref))
    # a pre-registered constant and the false-alarm budget are compared exactly
    res = copy.deepcopy(ref)
    res["parameters"]["constants"]["c_max"] *= 10
    res["parameters"]["false_alarm"]["level"] = 0.05
    diffs = theorems.compare_with_reference(res, ref)
    assert any("pre-registered constants differ" in d for d in diffs)
    assert any("false-alarm budget differ" in d for d in diffs)
    # a success frequency (probability claim) that falls is caught, though it still passes
    ref = _reference("baykal2022:B.1")
    res = copy.deepcopy(ref)
    c = _check(res, "success-probability")
    c["measured"] -= 0.0125
    c["details"]["successes"] -= 1
    diffs = theorems.compare_with_reference(res, ref)
    assert any("success-probability: measured" in d for d in diffs)
    assert any("details.successes" in d for d in diffs)
