"""Resumable runs: a run killed halfway (SIGINT, SIGKILL) and rerun reuses its finished
trials from the cache, recomputes only the rest, and equals an uninterrupted run."""
import json
import re
import signal
import subprocess
import sys
import time

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
    d = json.loads((out / "test_slow" / "result.json").read_text())
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
    assert not (out / "test_slow" / "result.json").exists()      # no partial report
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
