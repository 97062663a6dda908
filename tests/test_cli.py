import json

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
    d = tmp_path / "lemma-2.1"
    for name in ("result.json", "report.md", "ratio_vs_n.png"):
        assert (d / name).stat().st_size > 0
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["verdict"] == "consistent" and data["theorem"] == "lemma-2.1"
    assert "![ratio_vs_n.png](ratio_vs_n.png)" in (d / "report.md").read_text()


def test_verify_never_overwrites_reference(tmp_path, capsys):
    assert main(["verify", "--theorem", "lemma-2.1", "--quick", "--out", str(tmp_path),
                 "--update-reference"]) == 0
    ref = tmp_path / "lemma-2.1" / "result.json"
    before = ref.read_text()
    assert json.loads(before)["reference"] is True
    assert main(["verify", "--theorem", "lemma-2.1", "--quick", "--out", str(tmp_path)]) == 0
    assert ref.read_text() == before
    assert (tmp_path / "lemma-2.1" / "latest" / "result.json").exists()


@pytest.mark.parametrize("argv, fragment", [
    (["verify", "--theorem", "9.9"], "unknown theorem '9.9'"),
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
    assert main(["verify", "--theorem", "lemma-2.1", "--no-report"]) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == "pactools: interrupted"
