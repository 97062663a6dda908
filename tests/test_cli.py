import json
from pathlib import Path

import pytest

from pactools.cli import main


def test_list(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "lemma-2.1" in out and "claim-1" in out


def test_verify_quick_writes_report(tmp_path, capsys):
    code = main(["verify", "--theorem", "awasthi2024:lemma-2.1", "--quick", "--out",
                 str(tmp_path), "--json", str(tmp_path / "r.json")])
    assert code == 0
    out = capsys.readouterr().out
    assert "CONSISTENT" in out and "reproduce: pactools verify --theorem lemma-2.1 --quick" in out
    d = tmp_path / "lemma-2.1" / "quick-seed20241"          # DIR/<id>/<mode>-seed<seed>/
    for name in ("result.json", "report.md", "ratio_vs_n.png"):
        assert (d / name).stat().st_size > 0
    assert (tmp_path / "lemma-2.1" / "latest").resolve() == d.resolve()
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["verdict"] == "consistent" and data["theorem"] == "lemma-2.1"
    assert "![ratio_vs_n.png](ratio_vs_n.png)" in (d / "report.md").read_text()


def _checkout(tmp_path):
    """A directory laid out like a pactools checkout: references live in its reports/."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'pactools'\n")
    return tmp_path / "reports"


def test_verify_never_overwrites_reference(tmp_path, capsys):
    tmp_path = _checkout(tmp_path)
    assert main(["verify", "--theorem", "lemma-2.1", "--quick", "--out", str(tmp_path),
                 "--update-reference"]) == 0
    ref = tmp_path / "lemma-2.1" / "result.json"
    before = ref.read_text()
    assert json.loads(before)["reference"] is True
    assert main(["verify", "--theorem", "lemma-2.1", "--quick", "--out", str(tmp_path)]) == 0
    assert ref.read_text() == before
    assert (tmp_path / "lemma-2.1" / "latest" / "result.json").exists()


def test_runs_never_clobber_each_other(tmp_path, capsys):
    # a full run's report and a later quick run's each keep their own directory; latest
    # points to the newest
    from pactools import theorems
    base = tmp_path / "lemma-5.2"
    assert main(["verify", "--theorem", "lemma-5.2", "--out", str(tmp_path)]) == 0
    full = (base / "full-seed20260" / "result.json").read_text()
    assert main(["verify", "--theorem", "lemma-5.2", "--quick", "--out", str(tmp_path)]) == 0
    assert main(["verify", "--theorem", "lemma-5.2", "--quick", "--seed", "3", "--out",
                 str(tmp_path)]) == 0
    assert (base / "full-seed20260" / "result.json").read_text() == full
    assert json.loads((base / "quick-seed20260" / "result.json").read_text())["mode"] == "quick"
    assert (base / "latest").resolve() == (base / "quick-seed3").resolve()
    assert "-> " + str(base / "quick-seed3" / "report.md") in capsys.readouterr().out
    assert theorems.get("lemma-5.2").seed == 20260


@pytest.mark.parametrize("argv, fragment", [
    (["verify", "--theorem", "9.9"], "unknown theorem '9.9'"),
    (["verify", "--theorem", "4.2"], "'4.2' is ambiguous: did you mean awasthi2024:4.2 (P2"),
    (["show", "lema-2.1"], "unknown theorem 'lema-2.1'; nearest: lemma-2.1,"),
    (["show", "fig2"], "did you mean baykal2022:fig-2 (P1"),
    (["verify"], "verify needs --theorem ID or --all"),
    (["verify", "--theorem", "claim-1", "--seed", "-3"], "--seed must be an integer"),
    (["verify", "--theorem", "claim-1", "--update-reference"], "needs --quick"),
    (["frobnicate"], "invalid choice"),
    ([], "a command is required"),
])
def test_misuse_gets_one_line_and_exit_2(argv, fragment, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("pactools: error:") and fragment in err[0]


def test_ctrl_c_is_one_line_and_not_the_violated_code(monkeypatch, capsys):
    from pactools import theorems
    from pactools.cli import main

    def interrupted(*a, **k):
        raise KeyboardInterrupt
    monkeypatch.setattr(theorems.get("lemma-2.1"), "run", interrupted)
    assert main(["verify", "--theorem", "lemma-2.1", "--no-report", "--no-cache"]) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == "pactools: interrupted"
    assert main(["verify", "--theorem", "lemma-2.1", "--no-report"]) == 130
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("pactools: interrupted; the finished trials are cached in ")
    assert last.endswith("run the same command again to resume")


def test_output_errors_are_exit_4_before_any_computation(tmp_path, capsys):
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    for argv, fragment in [
            (["--out", str(a_file)], "is a file, not a directory"),
            (["--out", str(a_file / "sub")], "is a file, not a directory"),
            (["--json", str(tmp_path / "missing" / "r.json")], "does not exist"),
            (["--json", str(tmp_path)], "is a directory")]:
        assert main(["verify", "--theorem", "lemma-5.2", "--quick", *argv]) == 4
        err = capsys.readouterr().err
        assert fragment in err and "running" not in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1


def test_references_are_written_only_by_update_reference_in_a_checkout(tmp_path, capsys):
    out = _checkout(tmp_path)
    assert main(["verify", "--theorem", "lemma-5.2", "--quick", "--out", str(out),
                 "--update-reference"]) == 0
    ref = out / "lemma-5.2" / "result.json"
    assert main(["verify", "--theorem", "lemma-5.2", "--quick", "--json", str(ref),
                 "--no-report"]) == 2
    assert "committed bound-regression reference" in capsys.readouterr().err
    assert json.loads(ref.read_text())["reference"] is True
    assert main(["verify", "--theorem", "lemma-5.2", "--quick", "--out",
                 str(tmp_path / "x" / "elsewhere"), "--update-reference"]) == 2
    assert "--out must be the reports/ directory" in capsys.readouterr().err


def test_a_failed_write_leaves_the_previous_report_intact(tmp_path, monkeypatch):
    import errno
    from pathlib import Path

    from pactools.report import write_report
    assert main(["verify", "--theorem", "lemma-2.1", "--quick", "--out", str(tmp_path)]) == 0
    d = tmp_path / "lemma-2.1" / "latest"
    before = {p.name: p.read_bytes() for p in d.iterdir()}
    data = json.loads((d / "result.json").read_text())
    data["verdict"] = "changed"
    real = Path.write_text

    def full_disk(self, text, *a, **k):
        if self.suffix == ".json":
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, text, *a, **k)
    monkeypatch.setattr(Path, "write_text", full_disk)
    with pytest.raises(OSError):
        write_report(data, d)
    assert {p.name: p.read_bytes() for p in d.iterdir()} == before    # no temp files either


def test_a_closed_stdout_ends_quietly(monkeypatch):
    import sys

    class Closed:
        def write(self, s):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

        def fileno(self):
            return sys.__stdout__.fileno()
    import os
    saved = os.dup(sys.__stdout__.fileno())
    monkeypatch.setattr(sys, "stdout", Closed())
    try:
        assert main(["list"]) == 141
    finally:
        os.dup2(saved, sys.__stdout__.fileno())
        os.close(saved)


def test_version_and_show(capsys):
    from pactools import __version__
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.strip() == f"pactools {__version__}"
    assert main(["show", "awasthi2024:lemma-2.1"]) == 0
    out = capsys.readouterr().out
    for fragment in ("lemma-2.1 — Average sensitivity of halfspaces", "THEORY.md §A.5",
                     "claims:", "controls:", "paper-identity-quarter", "sweeps:",
                     "false-alarm budget 1 %"):
        assert fragment in out
    assert main(["show", "9.9"]) == 2


def test_all_ends_with_a_summary_line_and_counts_only_unexpected_verdicts(monkeypatch, capsys):
    # conj-5.5 is inconclusive by nature, lemma-3.2's quick sweep is declared unresolvable:
    # both inconclusive verdicts are expected, so the run exits 0 -- unless --strict
    from pactools import theorems
    ids = ["lemma-5.2", "awasthi2024:conj-5.5", "lemma-3.2"]
    monkeypatch.setattr(theorems, "all_ids", lambda: ids)
    argv = ["verify", "--all", "--quick", "--no-report", "--no-cache"]
    assert main(argv) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "3 statements: 1 consistent, 2 inconclusive (2 expected), 0 violated")
    assert main(argv + ["--strict"]) == 3
    capsys.readouterr()
    monkeypatch.setattr(theorems.get("lemma-3.2"), "expected_inconclusive", {})
    assert main(argv) == 3                     # an inconclusive nobody declared is counted
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "3 statements: 1 consistent, 2 inconclusive (1 expected), 0 violated")
    assert main(["show", "4.1"]) == 0
    assert "expected inconclusive in quick mode: 3-4 eps" in capsys.readouterr().out


def test_a_signal_during_the_renames_waits_until_the_report_is_whole(tmp_path, monkeypatch):
    # SIGINT arrives after the first file is renamed into place: the rest follow, then the
    # interrupt is delivered; the directory holds the new report entirely, never a mix
    import os
    import signal

    from pactools import report
    assert main(["verify", "--theorem", "lemma-2.1", "--quick", "--out", str(tmp_path)]) == 0
    d = tmp_path / "lemma-2.1" / "latest"
    data = json.loads((d / "result.json").read_text())
    data["verdict"] = "inconclusive"
    real, calls = os.replace, []

    def replace_then_interrupt(src, dst):
        real(src, dst)
        calls.append(dst)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)
    monkeypatch.setattr(report.os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        report.write_report(data, d)
    assert len(calls) >= 3                                   # figures, report.md, result.json
    assert json.loads((d / "result.json").read_text())["verdict"] == "inconclusive"
    assert "INCONCLUSIVE" in (d / "report.md").read_text()
    assert not [p for p in d.iterdir() if p.name.startswith(".")]       # no temporaries


def test_the_html_report_is_one_self_contained_page(tmp_path):
    import re
    assert main(["verify", "--theorem", "lemma-2.1", "--quick", "--out", str(tmp_path)]) == 0
    d = tmp_path / "lemma-2.1" / "latest"
    page = (d / "report.html").read_text()
    assert "Verdict: CONSISTENT" in page and "<table>" in page
    data = json.loads((d / "result.json").read_text())
    for c in data["checks"]:                       # every check, with its verdict
        assert f"<code>{c['name']}</code>" in page
    imgs = re.findall(r"<img alt='([^']+)' src='data:image/png;base64,", page)
    assert imgs == data["figure_files"] and imgs          # every figure embedded
    assert not re.search(r"(src|href)=['\"](?!data:)", page)   # nothing fetched from outside
    assert (d / "ratio_vs_n.pdf").stat().st_size > 0


def _rate(lo, hi, accepted, *, direction="upper", bound=1.0, tau=0.1, verdict="pass"):
    return {"kind": "upper-rate", "verdict": verdict, "measured": (lo + hi) / 2, "bound": bound,
            "details": {"verdict": verdict, "direction": direction, "bound": bound, "tau": tau,
                        "accepted": accepted, "measured": (lo + hi) / 2,
                        "fit": {"confidence_interval": {"low": lo, "high": hi}}}}


def test_report_margins_tolerances_and_pre_asymptotic_flags():
    """Each check's margin is computed by hand here from its passing range."""
    from pactools.report import check_margin
    # upper rate slope <= 1 + 0.1: interval [0.2, 0.9] leaves 1.1 - 0.9 = 0.2, not above 1
    tol, margin, flag = check_margin(_rate(0.2, 0.9, [None, 1.1]))
    assert (tol, flag) == (0.1, False) and margin == pytest.approx(0.2)
    # [1.02, 1.08] is wholly above the claimed 1 but inside 1.1: a pre-asymptotic pass
    tol, margin, flag = check_margin(_rate(1.02, 1.08, [None, 1.1]))
    assert flag and margin == pytest.approx(0.02)
    # the same interval failing is not flagged; a lower rate is never flagged
    assert not check_margin(_rate(1.02, 1.08, [None, 1.1], verdict="fail"))[2]
    low = _rate(1.5, 2.5, [0.9, None], direction="lower")
    assert check_margin(low)[1:] == (pytest.approx(0.6), False)
    # a tight rate: the nearer end counts, and the claimed exponent is the tight one
    tight = _rate(1.01, 1.05, [0.9, 1.1], direction="tight")
    assert check_margin(tight)[1:] == (pytest.approx(0.05), True)
    # inequality: ratio 1 + 1e-12 is inside the round-off 1e-9; a caught control is negative
    ineq = {"kind": "inequality", "verdict": "pass", "details": {"max_ratio": 1 + 1e-12,
                                                                 "rtol": 1e-9}}
    assert check_margin(ineq)[1] == pytest.approx(1e-9 - 1e-12, rel=1e-6)
    ineq["details"]["max_ratio"] = 3.0
    assert check_margin(ineq)[1] == pytest.approx(-2.0)
    # probability: pass needs low >= p0 - margin (0.9 - 0.05), fail is high < p0
    prob = {"kind": "probability", "verdict": "pass", "bound": 0.9,
            "details": {"margin": 0.05, "confidence_interval": {"low": 0.88, "high": 1.0}}}
    assert check_margin(prob)[:2] == (0.05, pytest.approx(0.03))
    prob["details"]["confidence_interval"] = {"low": 0.1, "high": 0.3}
    assert check_margin(prob)[1] == pytest.approx(-0.6)
    # an exact certificate has neither
    assert check_margin({"kind": "certificate", "verdict": "pass", "details": {}}) == \
        (None, None, False)


def test_report_tables_show_tolerance_margin_and_the_flag(tmp_path):
    from pactools.report import render_markdown
    data = json.loads((Path(__file__).parents[1] / "reports" / "4.3" / "result.json").read_text())
    md = render_markdown(data)
    assert "| tolerance | margin | verdict |" in md
    # the statement in LaTeX below its words, as declared
    from pactools import theorems
    assert data["statement_math"] == theorems.get("4.3").math
    assert f"$${data['statement_math']}$$" in md
    row = next(line for line in md.splitlines() if line.startswith("| `cell-count-in-d`"))
    assert row.endswith("**pass (pre-asymptotic)** |")


def test_theorem_is_repeatable_and_runs_each_once_in_order(capsys):
    assert main(["verify", "--theorem", "claim-1", "--theorem", "lemma-2.1", "--theorem",
                 "claim-1", "--quick", "--no-report", "--no-cache", "--quiet"]) == 0
    out = capsys.readouterr().out
    lines = [ln.split()[0] for ln in out.splitlines() if "CONSISTENT" in ln]
    assert lines == ["claim-1", "lemma-2.1"]
    assert "2 statements: 2 consistent" in out


def test_a_result_draws_its_declared_figures():
    from pactools import theorems
    res = theorems.get("lemma-2.1").run(quick=True)
    fig = res.figure("ratio_vs_n.png")
    assert fig.axes and fig.axes[0].get_xlabel() == "n (symmetric threshold)"
    with pytest.raises(KeyError, match="no figure named 'nope.png'; figures: ratio_vs_n.png"):
        res.figure("nope.png")


def test_show_prints_measured_run_times_for_every_built_in_statement(capsys):
    # benchmarks/bench_run_times.py measures them; a new statement must be measured too
    from importlib import resources

    from pactools.theorems import _registry
    data = json.loads(resources.files("pactools.theorems").joinpath("run_times.json").read_text())
    built_in = [t for t in _registry.all_ids() if _registry.get(t).source == "built in"]
    missing = [t for t in built_in if set(data["statements"].get(t, {})) != {"quick", "full"}]
    assert not missing, f"run times not measured for {missing}"
    assert main(["show", "4.1"]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines()
                if ln.startswith("expected run time"))
    assert "quick " in line and "full " in line and "measured on" in line
