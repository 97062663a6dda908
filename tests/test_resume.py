"""Resumable runs: a run killed halfway (SIGINT, SIGKILL) and rerun reuses its finished
trials from the cache, recomputes only the rest, and equals an uninterrupted run."""
import json
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

SLOW = '''
import time
import numpy as np
from pactools.statement import Statement, Sweep, claim, control, rules


def trial(rng, i):
    time.sleep(0.15)
    return {"x": float(rng.uniform())}


slow = Statement(id="test:slow", paper="P", item="I", title="T", text="x in [0, 1]",
                 sweeps=[Sweep("s", trial, grid={"i": list(range(24))})],
                 checks=[claim("below-one", rules.inequality("x", 1.0)),
                         control("below-a-thousandth", rules.inequality("x", 1e-3))], seed=5)
'''


def _verify(tmp_path, cache, out, **kw):
    return subprocess.Popen(
        [sys.executable, "-m", "pactools", "verify", "--load", str(tmp_path / "slow.py"),
         "--theorem", "test:slow", "--quick", "--out", str(out)]
        + (["--cache", str(cache)] if cache else ["--no-cache"]),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def _counts(stderr):
    m = re.search(r"trials: (\d+) computed, (\d+) from the cache", stderr)
    return int(m.group(1)), int(m.group(2))


def _result(out):
    d = json.loads((out / "test_slow" / "latest" / "result.json").read_text())
    d.pop("wall_time_s")
    return d


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_resumes_from_its_cached_trials(tmp_path, how):
    (tmp_path / "slow.py").write_text(SLOW)
    cache, out = tmp_path / "cache", tmp_path / "out"
    p = _verify(tmp_path, cache, out)
    first = p.stderr.readline()         # the run has started once it names the statement
    assert "running test:slow" in first, first
    time.sleep(1.8)                     # about half of the 24 trials of 0.15 s
    p.send_signal(how)
    _, err = p.communicate(timeout=60)
    assert p.returncode == (-signal.SIGKILL if how == signal.SIGKILL else 130)
    if how != signal.SIGKILL:
        assert "run the same command again to resume" in err and "Traceback" not in err
        assert "the finished trials are cached in" in err
    assert not (out / "test_slow" / "latest").exists()      # no partial report
    leftovers = [f for f in (out / "test_slow").glob("*")] if (out / "test_slow").exists() else []
    assert leftovers == []
    p = _verify(tmp_path, cache, out)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    computed, reused = _counts(err)
    assert computed + reused == 24 and 0 < reused < 24 and computed < 24
    ref_out = tmp_path / "ref"
    p = _verify(tmp_path, None, ref_out)
    p.communicate(timeout=60)
    assert _result(out) == _result(ref_out)


def test_a_corrupt_cache_entry_is_recomputed_not_trusted(tmp_path):
    (tmp_path / "slow.py").write_text(SLOW.replace("time.sleep(0.15)", "pass"))
    cache, out = tmp_path / "cache", tmp_path / "out"
    p = _verify(tmp_path, cache, out)
    p.communicate(timeout=60)
    outputs = sorted(cache.rglob("output.pkl"))
    assert len(outputs) == 24
    outputs[0].write_bytes(outputs[0].read_bytes()[:10])          # truncated
    outputs[1].write_bytes(b"garbage")
    (cache / "stray-file.txt").write_text("not a cache entry")
    p = _verify(tmp_path, cache, tmp_path / "again")
    _, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert _result(tmp_path / "again") == _result(out)


def _report_files(d):
    """A report directory's files, with the wall time (the one field that differs between
    identical runs) blanked."""
    out = {}
    for p in sorted(d.iterdir()):
        data = p.read_bytes()
        if p.name in ("result.json", "report.md", "report.html"):
            data = re.sub(rb'("wall_time_s": |wall time )[0-9.]+', rb"\1-", data)
        out[p.name] = data
    return out


def test_an_interrupt_at_any_moment_leaves_the_old_report_or_the_new_one(tmp_path):
    # a report is in place in the run directory (quick-seed1) that a new run rewrites; that
    # run is stopped by SIGINT or SIGTERM at several moments (importing, computing, drawing,
    # renaming): the directory then holds the old report or the new one, whole, never a mix
    import shutil

    def run(out, signum=None, delay=None):
        p = subprocess.Popen([sys.executable, "-m", "pactools", "verify", "--theorem",
                              "lemma-2.1", "--quick", "--seed", "1", "--no-cache",
                              "--quiet", "--out", str(out)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if signum is not None:
            time.sleep(delay)
            p.send_signal(signum)
        _, err = p.communicate(timeout=120)
        return p.returncode, err

    t0 = time.perf_counter()
    assert run(tmp_path / "new")[0] == 0
    duration = time.perf_counter() - t0
    run_dir = ("lemma-2.1", "quick-seed1")
    new = _report_files(tmp_path.joinpath("new", *run_dir))
    # the "old" report: the same files, each marked, so that every file tells its origin
    shutil.copytree(tmp_path / "new", tmp_path / "old", symlinks=True)
    for p in tmp_path.joinpath("old", *run_dir).iterdir():
        p.write_bytes(p.read_bytes() + b"\n(old)\n")
    old = _report_files(tmp_path.joinpath("old", *run_dir))
    assert old.keys() == new.keys() and all(old[k] != new[k] for k in old)
    outcomes = set()
    for i, frac in enumerate(np.linspace(0.15, 1.05, 10)):
        out = tmp_path / f"run{i}"
        shutil.copytree(tmp_path / "old", out, symlinks=True)
        code, err = run(out, (signal.SIGINT, signal.SIGTERM)[i % 2], frac * duration)
        got = _report_files(out.joinpath(*run_dir))
        assert got in (old, new), f"mixed report after {frac * duration:.2f} s: {err}"
        # finished, or interrupted: exit 130 from pactools' handler, or death by the signal
        # itself when it lands while Python is still importing (before main() runs); never
        # the "violated" code
        assert code in (0, 130, -signal.SIGINT, -signal.SIGTERM), err
        outcomes.add("new" if got == new else "old")
    assert "old" in outcomes                   # some interrupts landed before the renames
