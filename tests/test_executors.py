"""Executors: trials on local processes or a Dask cluster give bitwise the same results."""
import time

import pytest

from pactools import theorems
from pactools.cli import main
from pactools.executors import ProcessExecutor, SerialExecutor, make_executor

# three statements, one with an adaptive search (4.1's N* search inside its trials)
IDENTITY = ("lemma-5.2", "lemma-2.1", "4.1")


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


@pytest.mark.parametrize("tid", IDENTITY)
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
