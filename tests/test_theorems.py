import json

import pytest

from pactools import theorems
from pactools.statement import Check, Results, Session, claim, control, overall_verdict
from pactools.stats import FAIL, PASS, RuleOutcome


def _check(role, verdict):
    return Check("x", role, "inequality", 1.0, 1.0, verdict)


def test_overall_verdict_rules():
    assert overall_verdict([_check("claim", "pass"), _check("control", "caught")]) == "consistent"
    assert overall_verdict([_check("claim", "fail"), _check("control", "caught")]) == "violated"
    assert overall_verdict([_check("claim", "pass"), _check("control", "missed")]) == \
        "inconclusive"
    assert overall_verdict([_check("claim", "inconclusive"),
                            _check("control", "caught")]) == "inconclusive"
    with pytest.raises(ValueError, match="at least one claim check and one control"):
        overall_verdict([_check("claim", "pass")])


def test_control_verdict_is_caught_only_when_its_rule_fails():
    st = theorems.get("lemma-2.1")
    results = Results({}, quick=True, seed=0)
    assert st.evaluate(control("a", lambda r: RuleOutcome(FAIL, 1, 1, {}), kind="k"),
                       results).verdict == "caught"
    assert st.evaluate(control("b", lambda r: RuleOutcome(PASS, 1, 1, {}), kind="k"),
                       results).verdict == "missed"
    assert st.evaluate(claim("c", lambda r: RuleOutcome(FAIL, 1, 1, {}), kind="k"),
                       results).verdict == "fail"


def test_ids_and_aliases_resolve():
    assert theorems.resolve("awasthi2024:lemma-2.1") == "lemma-2.1"
    assert theorems.resolve("awasthi2024:claim-2.1") == "claim-1"
    with pytest.raises(KeyError, match="unknown theorem"):
        theorems.resolve("9.9")
    # equation numbers collide between the papers (P1 eq. (1), P2 eq. (1)): no short form
    with pytest.raises(KeyError, match="unknown theorem"):
        theorems.resolve("eq-1")
    assert theorems.resolve("baykal2022:eq-1") == "baykal2022:eq-1"
    assert theorems.resolve("awasthi2024:eq-1") == "5.3"
    assert theorems.resolve("baykal2022:4.2") == "lemma-4.2"
    assert theorems.resolve("awasthi2024:4.2") == "awasthi2024:4.2"


@pytest.mark.parametrize("tid", theorems.all_ids())
def test_quick_run_has_claims_and_caught_controls(tid, pactools_runs):
    res = pactools_runs.get(tid)      # the same run the regression test compares
    d = json.loads(res.to_json())
    for key in ("theorem", "statement", "verdict", "checks", "parameters", "seed", "versions",
                "wall_time_s"):
        assert key in d
    roles = [c["role"] for c in d["checks"]]
    assert "claim" in roles and "control" in roles
    assert all(c["verdict"] == "caught" for c in d["checks"] if c["role"] == "control")
    if theorems.get(tid).inconclusive_by_nature:
        # only the probe claims may be inconclusive; nothing may fail
        assert d["verdict"] == "inconclusive"
        assert all(c["verdict"] == "pass" or c["kind"] == "probe"
                   for c in d["checks"] if c["role"] == "claim")
    else:
        assert d["verdict"] == "consistent"
    for c in d["checks"]:
        assert set(c) >= {"name", "role", "kind", "measured", "bound", "verdict", "details"}


_FULL = Session()     # 4.3 and baykal2022:eq-1 share their width sweep, as in `verify --all`


@pytest.mark.slow
@pytest.mark.parametrize("tid", theorems.all_ids())
def test_full_run(tid):
    st = theorems.get(tid)
    res = st.run(quick=False, session=_FULL)
    assert res.verdict == ("inconclusive" if st.inconclusive_by_nature else "consistent")
