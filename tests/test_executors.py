"""Executors: trials on local processes or a Dask cluster give bitwise the same results."""
import time

import pytest

from pactools import theorems
from pactools.cli import main
from pactools.executors import ProcessExecutor, SerialExecutor, make_executor

# three statements, one with an adaptive search (4.1's N* search inside its trials); on
# Dask, 3.1 instead of 4.1: its later sweeps' grids are computed from its first sweep's
# results (stages scheduled one after another through the cluster), at 2/3 of 4.1's cost
IDENTITY = ("lemma-5.2", "lemma-2.1", "4.1")
IDENTITY_DASK = ("lemma-5.2", "lemma-2.1", "3.1")


@pytest.fixture(scope="module")
def processes():
    ex = ProcessExecutor(2)
    yield ex
    ex.close()


@pytest.mark.parametrize("tid", IDENTITY)
def test_two_processes_give_the_serial_result_bitwise(tid, pactools_runs, processes):
    serial = pactools_runs.get(tid)              # the session's serial run of this statement
    parallel = theorems.get(tid).run(quick=True, executor=processes)
    assert parallel.to_json(timings=False) == serial.to_json(timings=False)


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.mark.parametrize("tid", IDENTITY_DASK)
def test_a_dask_cluster_gives_the_serial_result_bitwise(tid, pactools_runs, dask_cluster):
    from pactools.executors import DaskExecutor
    ex = DaskExecutor(dask_cluster)
    assert ex.n_workers == 2
    dask = theorems.get(tid).run(quick=True, executor=ex)
    assert dask.to_json(timings=False) == pactools_runs.get(tid).to_json(timings=False)


def test_make_executor():
    assert isinstance(make_executor(1), SerialExecutor)
    assert make_executor(3).n_workers == 3
    with pytest.raises(ValueError, match="jobs"):
        make_executor(0)


def test_an_unreachable_scheduler_is_refused_within_seconds(capsys):
    pytest.importorskip("distributed")
    t0 = time.perf_counter()
    code = main(["verify", "--theorem", "lemma-5.2", "--quick", "--no-report",
                 "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2 and time.perf_counter() - t0 < 30
    err = capsys.readouterr().err
    assert "no Dask scheduler answered at tcp://127.0.0.1:9" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("argv, fragment", [
    (["--jobs", "0"], "--jobs must be an integer >= 1; got 0"),
    (["--jobs", "two"], "--jobs must be an integer >= 1; got 'two'"),
    (["--jobs", "2", "--scheduler", "tcp://127.0.0.1:9"], "not both"),
])
def test_executor_misuse_is_one_line_and_exit_2(argv, fragment, capsys):
    assert main(["verify", "--theorem", "lemma-5.2", "--quick", "--no-report", *argv]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_an_unwritable_cache_directory_is_one_line_and_exit_2(tmp_path, capsys):
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    assert main(["verify", "--theorem", "lemma-5.2", "--quick", "--no-report",
                 "--cache", str(a_file / "cache")]) == 2
    err = capsys.readouterr().err
    assert "--cache: cache directory" in err and "not writable" in err
    assert len(err.strip().splitlines()) == 1


def _cost_trial(rng, size):
    return {"draw": float(rng.standard_normal(size).sum())}


def _cost(size):
    return float(size)


class _Recording(SerialExecutor):
    """Serial, but claims two workers and records the order trials start in."""
    n_workers = 2

    def __init__(self):
        self.started = []

    def map(self, fn, items):
        for x in items:
            self.started.append(x[1]["size"])
            yield fn(x)


def test_costliest_trials_start_first_and_rows_stay_in_grid_order(processes):
    from pactools.statement import Session, Sweep
    sizes = [3, 50, 7, 400, 1, 90]
    sweep = Sweep("sized", _cost_trial, grid={"size": sizes}, cost=_cost)
    free = Sweep("free", _cost_trial, grid={"size": [5, 6]})
    serial = Session()
    ref = {sw.name: serial.table(sw, True, 0, None)[0] for sw in (sweep, free)}
    rec = _Recording()
    session = Session(rec)
    session.prefetch([free, sweep], True, 0)
    # the costed sweep's trials costliest first, then the cost-free ones in grid order
    assert rec.started == [400, 90, 50, 7, 3, 1, 5, 6]
    for sw in (sweep, free):
        table = session.table(sw, True, 0, None)[0]
        assert list(table["size"]) == list(ref[sw.name]["size"])
        assert list(table["draw"]) == list(ref[sw.name]["draw"])
    on_two = Session(processes).table(sweep, True, 0, None)[0]
    assert list(on_two["draw"]) == list(ref["sized"]["draw"])


def test_one_worker_keeps_grid_order():
    from pactools.statement import Session, Sweep
    rec = _Recording()
    rec.n_workers = 1
    Session(rec).table(Sweep("sized", _cost_trial, grid={"size": [1, 9, 4]}, cost=_cost),
                       True, 0, None)
    assert rec.started == [1, 9, 4]


@pytest.mark.parametrize("cost, fragment", [("fast", "cost must be callable"),
                                            (lambda size: -1.0, "finite number >= 0"),
                                            (lambda size: float("nan"), "finite number >= 0")])
def test_a_bad_cost_is_refused_by_name(cost, fragment):
    from pactools.statement import Session, StatementError, Sweep
    with pytest.raises(StatementError, match=fragment):
        sweep = Sweep("sized", _cost_trial, grid={"size": [1, 2]}, cost=cost)
        Session(_Recording()).table(sweep, True, 0, None)


_FAULTS = """
import os, resource, sys
import numpy as np
from pactools.executors import _keep_freed_memory

def faults():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(50):
        # 3.5 MiB, touched, then freed: under numpy's 4 MiB hugepage madvise, which made a
        # fresh mapping fault only twice when the kernel had huge pages free (a flaky pass)
        a = np.ones(7 * 2**16)
        del a
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

faults()
off = faults()
assert _keep_freed_memory()
faults()
on = faults()
print(off, on)
"""


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux")
                    or __import__("platform").libc_ver()[0] != "glibc", reason="glibc only")
def test_trials_reuse_freed_memory_under_dasks_malloc_setting():
    """Dask's MALLOC_TRIM_THRESHOLD_=65536 makes every large temporary a fresh mmap (a page
    fault per 4 KiB); after _keep_freed_memory the same loop reuses the heap."""
    import os
    import subprocess
    import sys
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}
    out = subprocess.run([sys.executable, "-c", _FAULTS], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    off, on = int(out[0]), int(out[1])
    assert off >= 50 * 200           # each 3.5 MiB array faulted in afresh (896 pages)
    assert on < off / 20
