"""The public statement API: seeds, parameters, validation, loading, the pytest plugin."""
import json
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from pactools import theorems
from pactools.cli import main
from pactools.statement import (Grid, Statement, StatementError, Sweep, claim, control, rules,
                                trial_seed)
from pactools.stats import FAIL, PASS, RuleOutcome, mean_estimate

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hoeffding.py"


def _trial(rng, n, rep):
    return {"x": float(rng.standard_normal()), "bound": 10.0, "n2": float(n * n)}


def _statement(**kw):
    base = dict(id="t:demo", paper="P", item="I", title="T", text="x <= 10",
                sweeps=[Sweep("main", _trial, grid={"n": Grid(quick=[1, 2], full=[1, 2, 3])},
                              repeats=Grid(quick=[2], full=[3]))],
                checks=[claim("below", rules.inequality("x", "bound")),
                        control("below-tenth", rules.inequality("bound", lambda r: 1.0))])
    base.update(kw)
    return Statement(**base)


def test_trial_streams_do_not_depend_on_order_or_on_other_trials():
    # the quick grid is a subset of the full one: the shared trials drew the same numbers
    a = _statement(series=lambda r: {"x": {f"{p['n']},{p['rep']}": p["x"] for p in r["main"]}})
    fx = a.run(quick=False, seed=5).series["x"]
    qx = a.run(quick=True, seed=5).series["x"]
    assert set(qx) < set(fx) and all(qx[k] == fx[k] for k in qx)
    s1 = trial_seed(5, "main", {"n": 1, "rep": 0}).generate_state(4)
    s2 = trial_seed(6, "main", {"n": 1, "rep": 0}).generate_state(4)
    s3 = trial_seed(5, "other", {"n": 1, "rep": 0}).generate_state(4)
    assert not np.array_equal(s1, s2) and not np.array_equal(s1, s3)


def test_parameters_come_from_the_sweeps_that_ran():
    res = _statement(constants={"c_max": 2.0}).run(quick=True, seed=0)
    fa = res.parameters.pop("false_alarm")
    assert res.parameters == {"main": {"n": [1, 2], "repeats": 2, "n_trials": 4},
                              "constants": {"c_max": 2.0}}
    assert fa["level"] == 0.01 and fa["claim_levels"] == {}     # no stochastic claim
    full = _statement().run(quick=False, seed=0).parameters["main"]
    assert full == {"n": [1, 2, 3], "repeats": 3, "n_trials": 9}


def test_a_control_is_caught_only_when_its_rule_fails():
    st = _statement(checks=[claim("a", lambda r: RuleOutcome(PASS, 1, 1, {}), kind="probe"),
                            control("b", lambda r: RuleOutcome(PASS, 1, 1, {}), kind="probe"),
                            control("c", lambda r: RuleOutcome(FAIL, 1, 1, {}), kind="probe")])
    res = st.run(quick=True)
    assert [c.verdict for c in res.checks] == ["pass", "missed", "caught"]
    assert res.verdict == "inconclusive"


@pytest.mark.parametrize("kw, fragment", [
    (dict(checks=[claim("a", rules.inequality("x", "bound"))]), "has no control"),
    (dict(checks=[control("a", rules.inequality("x", "bound"))]), "has no claim"),
    (dict(checks=[claim("a", rules.inequality("x", "bound")),
                  control("a", rules.inequality("x", "bound"))]), "duplicate check name"),
    (dict(sweeps=[]), "declares no sweep"),
    (dict(id="has space"), "without spaces"),
])
def test_malformed_statements_are_refused_by_name(kw, fragment):
    with pytest.raises(StatementError, match=fragment):
        _statement(**kw)


def test_a_sweep_naming_an_unknown_parameter_is_refused():
    with pytest.raises(StatementError, match=r"sweep 'main' names parameter\(s\) \['m'\]"):
        Sweep("main", _trial, grid={"n": [1], "m": [2]}, repeats=1)
    with pytest.raises(StatementError, match=r"gives no value for the trial's parameter\(s\) "
                                             r"\['rep'\]"):
        Sweep("main", _trial, grid={"n": [1]})


def test_a_claim_naming_a_measurement_no_trial_returns_is_refused():
    st = _statement(checks=[claim("a", rules.inequality("y", "bound")),
                            control("b", rules.inequality("x", "bound"))])
    with pytest.raises(StatementError, match="statement 't:demo': check 'a': sweep 'main' has "
                                             "no column 'y'"):
        st.run(quick=True)


def test_a_shared_sweep_runs_once_per_session():
    calls = []

    def trial(rng, n):
        calls.append(n)
        return {"x": 1.0}
    sw = Sweep("shared", trial, grid={"n": [1, 2]})
    mk = [Statement(id=f"t:{i}", paper="P", item="I", title="T", text="", sweeps=[sw],
                    checks=[claim("c", rules.inequality("x", 2.0)),
                            control("k", rules.inequality("x", 0.5))]) for i in range(2)]
    from pactools.statement import Session
    session = Session()
    for st in mk:
        assert st.run(quick=True, session=session).verdict == "consistent"
    assert calls == [1, 2]


def test_load_from_a_file_in_a_temporary_directory(tmp_path, capsys):
    f = tmp_path / "mine.py"
    f.write_text(EXAMPLE.read_text().replace("example:hoeffding", "tmp:hoeffding"))
    assert main(["verify", "--load", str(f), "--theorem", "tmp:hoeffding", "--quick",
                 "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "tmp:hoeffding" in out and "CONSISTENT" in out and f"--load {f}" in out
    assert theorems.get("tmp:hoeffding").source == f"file {f}"
    assert main(["list", "--load", str(f)]) == 0
    assert f"file {f}" in capsys.readouterr().out


@pytest.mark.parametrize("target, fragment", [
    ("/no/such/file.py", "no such file"),
    ("no_such_module_xyz", "not a file, and importing it as a module raised"),
])
def test_load_misuse_is_one_line_and_exit_2(target, fragment, capsys):
    assert main(["verify", "--load", target, "--theorem", "x", "--quick"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and fragment in err[0]


def test_load_a_file_that_raises_or_clashes(tmp_path, capsys):
    bad = tmp_path / "bad.py"
    bad.write_text("raise RuntimeError('boom')\n")
    assert main(["list", "--load", str(bad)]) == 2
    assert "importing it raised RuntimeError: boom" in capsys.readouterr().err
    clash = tmp_path / "clash.py"
    clash.write_text(EXAMPLE.read_text().replace('id="example:hoeffding"', 'id="claim-1"'))
    assert main(["list", "--load", str(clash)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "id 'claim-1' is already taken by 'claim-1' (built in)" in err[0]


def test_statements_register_through_the_entry_point_of_an_installed_package(tmp_path,
                                                                           monkeypatch):
    """A tiny package, installed the way pip installs one (a dist-info with entry_points.txt
    on sys.path), is found through the ``pactools.statements`` group."""
    pkg = tmp_path / "demo_statements"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(
        EXAMPLE.read_text().replace("example:hoeffding", "demo:hoeffding"))
    info = tmp_path / "demo_statements-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-statements\n"
                                   "Version: 0.1\n")
    (info / "entry_points.txt").write_text("[pactools.statements]\ndemo = demo_statements\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    from pactools.theorems import _registry
    monkeypatch.setattr(_registry, "_REGISTRY", {})
    monkeypatch.setattr(_registry, "_ALIASES", {})
    monkeypatch.setattr(_registry, "_LOADED", False)
    assert "demo:hoeffding" in theorems.all_ids() and "claim-1" in theorems.all_ids()
    assert theorems.get("demo:hoeffding").source == "package demo-statements"
    assert theorems.get("claim-1").source == "built in"
    sys.modules.pop("demo_statements", None)


def test_report_rebuilds_report_md_byte_for_byte(tmp_path):
    assert main(["verify", "--load", str(EXAMPLE), "--theorem", "example:hoeffding", "--quick",
                 "--out", str(tmp_path)]) == 0
    d = tmp_path / "example_hoeffding" / "latest"
    before = (d / "report.md").read_text()
    (d / "report.md").unlink()
    (d / "tail.png").unlink()
    assert main(["report", str(d / "result.json"), "--out", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "report.md").read_text() == before
    assert (tmp_path / "again" / "tail.png").stat().st_size > 0


def test_report_refuses_what_is_not_a_result(tmp_path, capsys):
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"hello": 1}))
    assert main(["report", str(p)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not a pactools result" in err[0]
    assert main(["report", str(tmp_path / "missing.json")]) == 2
    assert "no such file" in capsys.readouterr().err


PLUGIN_TEST = textwrap.dedent("""
    def test_hoeffding(pactools_regression):
        pactools_regression.check("example:hoeffding", load={example!r})
""")


def test_pytest_plugin_regression_passes_and_catches_an_edited_reference(pytester):
    pytester.makepyfile(test_user=PLUGIN_TEST.format(example=str(EXAMPLE)))
    first = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    first.assert_outcomes(failed=1)             # no reference yet: written, and the test fails
    ref = pytester.path / "references" / "example_hoeffding.json"
    assert json.loads(ref.read_text())["reference"] is True
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    data = json.loads(ref.read_text())
    chk = data["checks"][0]
    chk["measured"] *= 1 + 10 * chk["tolerance"]       # beyond its tolerance
    ref.write_text(json.dumps(data))
    res = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    res.assert_outcomes(failed=1)
    res.stdout.fnmatch_lines(["*tail-bound: measured * differs from reference*"])
    upd = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--pactools-update")
    upd.assert_outcomes(failed=1)
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


@pytest.mark.parametrize("edit, fragment", [
    (None, "statement 'bad:hoeffding': has no control"),
    (lambda s: s.replace('rules.mc_upper("frequency", "bound")',
                         'rules.mc_upper("frequency", "no_such_column")'),
     "check 'tail-bound': sweep 'tail' has no column 'no_such_column'"),
    (lambda s: s.replace('"t": [0.25],', '"t": [0.25], "width": [1],'),
     "sweep 'tail' names parameter(s) ['width']"),
])
def test_malformed_user_statements_get_one_line_and_exit_2(edit, fragment, tmp_path, capsys):
    src = EXAMPLE.read_text().replace("example:hoeffding", "bad:hoeffding")
    if edit is None:          # drop the control: the statement is refused on import
        start = src.index('        control("exponent-doubled"')
        src = src[:start] + src[src.index("    ],", start):]
    else:
        src = edit(src)
    f = tmp_path / "bad.py"
    f.write_text(src)
    assert main(["verify", "--load", str(f), "--theorem", "bad:hoeffding", "--quick",
                 "--no-report"]) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.startswith("pactools: error:")]
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in err


def _mc_trial(rng, n, rep):
    x = rng.standard_normal(200) * 0.1 + 1.0
    return {"m": mean_estimate(x, 0.99), "one": 1.0, "hit": int(x.mean() > 0.5)}


def test_the_false_alarm_budget_is_split_over_the_stochastic_claims():
    seen = {}

    def levelled(r, level=None):
        seen["level"] = level
        return RuleOutcome(PASS, 1.0, 1.0, {})
    st = _statement(sweeps=[Sweep("main", _mc_trial, grid={"n": [1, 2, 3, 4]}, repeats=1)],
                    checks=[claim("mean-one", rules.mc_contains("m", "one")),
                            claim("hit", rules.probability("hit", 0.9)),
                            claim("own", levelled, kind="probe"),
                            claim("exact", rules.inequality("one", 1.0)),
                            control("mean-two", rules.mc_contains("m", lambda r: 2.0))],
                    false_alarm=0.03)
    assert st.budget() == pytest.approx({"mean-one": 0.99, "hit": 0.99, "own": 0.99})
    res = st.run(quick=True)
    assert seen["level"] == pytest.approx(0.99)
    # four rows share the mc claim's 1 %: each interval at 1 - 0.01 / 4
    rows = res.check("mean-one").details
    assert {round(d["confidence_level"], 6) for d in rows.values()} == {0.9975}
    assert res.check("hit").details["confidence_level"] == pytest.approx(0.99)
    # a control keeps its intervals' nominal level
    assert {d["confidence_level"] for d in res.check("mean-two").details.values()} == {0.99}
    assert res.parameters["false_alarm"]["claim_levels"] == pytest.approx(st.budget())
    verdicts = {c.name: c.verdict for c in res.checks}
    # 4/4 hits cannot show P >= 0.85 at 99 % (Clopper-Pearson lower end 0.27): inconclusive
    assert verdicts == {"mean-one": "pass", "hit": "inconclusive", "own": "pass",
                        "exact": "pass", "mean-two": "caught"}


@pytest.mark.parametrize("value", [0, 1, -0.1, 1.5, True, "1%"])
def test_a_false_alarm_budget_outside_0_1_is_refused(value):
    with pytest.raises(StatementError, match="false_alarm must be a probability in"):
        _statement(false_alarm=value)


def test_a_stochastic_function_rule_must_take_its_level():
    with pytest.raises(StatementError, match="must take a level= keyword"):
        claim("p", lambda r: RuleOutcome(PASS, 1, 1, {}), kind="probability")


def test_calibrate_counts_verdicts_and_controls(capsys):
    from pactools.calibration import calibrate
    st = _statement(checks=[claim("below", rules.inequality("x", lambda r: 1.5)),
                            control("below-tenth", rules.inequality("bound", lambda r: 1.0))])
    cal, = calibrate([st], 20, first_seed=3)
    # x ~ N(0, 1) at 4 points: P(max > 1.5) = 1 - 0.933^4 ~ 0.24 per seed; a sharp claim
    # like this one is violated on some seeds, and calibration says on which
    runs = [st.run(quick=True, seed=s).verdict for s in range(3, 23)]
    assert cal.verdicts["violated"] == runs.count("violated") > 0
    assert cal.violated_seeds == [s for s, v in zip(range(3, 23), runs) if v == "violated"]
    assert cal.controls == {"below-tenth": 20}
    assert cal.to_dict()["verdicts"]["violated"]["interval"]["high"] < 1


def test_calibrate_cli_runs_a_users_statement_and_refuses_misuse(capsys):
    assert main(["calibrate", "--load", str(EXAMPLE), "--theorem", "example:hoeffding",
                 "--seeds", "3"]) == 0
    out = capsys.readouterr().out
    assert "| `example:hoeffding` | 3 | 0–2 | 3/3" in out
    assert main(["calibrate", "--theorem", "lemma-2.1", "--seeds", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["pactools: error: argument --seeds: --seeds must be an integer >= 1; got 0"]
    assert main(["calibrate", "--seeds", "3"]) == 2
    assert "calibrate needs --theorem ID or --all" in capsys.readouterr().err


def test_a_non_finite_measurement_makes_a_check_inconclusive_not_silent():
    nan = float("nan")
    st = _statement(checks=[claim("ratio", lambda r: RuleOutcome(PASS, nan, 1.0, {}),
                                  kind="inequality"),
                            control("ctl", lambda r: RuleOutcome(FAIL, 1.0, np.inf, {}),
                                    kind="inequality")])
    res = st.run(quick=True)
    assert [c.verdict for c in res.checks] == ["inconclusive", "missed"]
    assert "not finite" in res.check("ratio").details["undefined"]
    assert res.verdict == "inconclusive"


def test_monte_carlo_rows_are_named_by_label():
    def trial(rng, family, n):
        return {"est": mean_estimate(rng.normal(1.0, 0.1, 400), 0.99), "one": 1.0}
    sw = Sweep("m", trial, grid={"family": ["a", "b"], "n": [2, 3]})

    def statement(control_label):
        return Statement(id="t:label", paper="P", item="I", title="T", text="", sweeps=[sw],
                         checks=[claim("mean-one", rules.mc_contains("m.est", "m.one",
                                                                     label=("family", "n"))),
                                 control("mean-two", rules.mc_contains("est", 2.0,
                                                                       label=control_label))])
    res = statement(("n", "family")).run(quick=True)
    assert set(res.checks[0].details) == {"family=a, n=2", "family=a, n=3", "family=b, n=2",
                                          "family=b, n=3"}
    assert res.verdict == "consistent"
    with pytest.raises(StatementError, match="distinct rows"):
        statement("family").run(quick=True)       # two rows per family: not a name


def test_report_parameter_table_gives_a_long_numeric_grid_as_its_range():
    # a sweep over several concatenated grids (one per k here) is in no single order: its
    # first and last values are not its range
    from pactools.report import _compact
    grid = {"points": [{"k": k, "eps": e} for k, es in ((1, (0.2, 0.1, 0.05, 0.025)),
                                                        (2, (0.4, 0.35, 0.3, 0.2, 0.1)))
                       for e in es]}
    text = _compact(grid)
    assert text.startswith("9 points; k 1, 2; eps 7 values from 0.025 to 0.4"), text
    names = {"points": [{"net": f"n{i}"} for i in range(9)]}
    assert _compact(names) == '9 points; net 9 values, "n0" ... "n8"'
