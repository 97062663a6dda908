"""Where a sweep's trials run: in this process, in local worker processes, or on a Dask cluster.

A trial is a pure function of its grid point and the seed derived from it, so the
executor changes only where and when trials run, never what they return: every
executor runs each trial with BLAS pinned to one thread (so N workers never
oversubscribe the cores, and a product is summed in the same order whatever runs
it) and returns the rows in grid order.  Results are bitwise identical for
:class:`SerialExecutor`, :class:`ProcessExecutor` with any number of workers, and
:class:`DaskExecutor`.

Every process that runs trials (this one included) also keeps freed NumPy temporaries
of up to 32 MiB for reuse instead of handing them back to the kernel: on glibc it sets
``mallopt(M_MMAP_THRESHOLD, 32 MiB)`` and ``M_TRIM_THRESHOLD`` to twice that, once, the
values glibc's own dynamic threshold grows to.  Dask's workers start with
``MALLOC_TRIM_THRESHOLD_=65536`` (its ``distributed.nanny.pre-spawn-environ``), which
switches that dynamic threshold off, and its nanny writes the variable into the parent's
environment, so local worker processes started after a ``LocalCluster`` inherit it too.
Every large temporary was then a fresh ``mmap`` paid in page faults: half the CPU time
went to the kernel and two workers ran Theorem 4.1 no faster than one.  The setting
changes where memory comes from, never a result.

>>> from pactools.theorems import get
>>> a = get("lemma-5.2").run(quick=True)
>>> b = get("lemma-5.2").run(quick=True, executor=ProcessExecutor(2))
>>> a.to_json(timings=False) == b.to_json(timings=False)
True
"""
from __future__ import annotations

from ._validation import check_int, check_real

__all__ = ["SerialExecutor", "ProcessExecutor", "DaskExecutor", "make_executor"]


_MMAP_THRESHOLD = 32 * 2**20
_ALLOCATOR_SET = None       # not tried yet; then whether glibc accepted the setting


def _keep_freed_memory():
    """Once per process, on glibc: ``mallopt`` the mmap threshold to 32 MiB and the trim
    threshold to 64 MiB (see the module docstring); elsewhere nothing.  Returns whether
    glibc accepted both (the first call's answer, remembered: it runs before every trial)."""
    global _ALLOCATOR_SET
    if _ALLOCATOR_SET is None:
        _ALLOCATOR_SET = _set_allocator()
    return _ALLOCATOR_SET


def _set_allocator():
    import platform
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    import ctypes
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # pragma: no cover - glibc always has it
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3        # <malloc.h>
    return bool(mallopt(m_mmap_threshold, _MMAP_THRESHOLD)
                and mallopt(m_trim_threshold, 2 * _MMAP_THRESHOLD))


def _pinned(fn, item):
    """``fn(item)`` with BLAS limited to one thread (the same in every executor), through
    the process's one cached threadpoolctl controller (building one per trial would
    re-scan the loaded libraries every time), and freed temporaries kept for reuse
    (:func:`_keep_freed_memory`)."""
    from .fourier import _blas_single_thread
    _keep_freed_memory()
    with _blas_single_thread():
        return fn(item)


class SerialExecutor:
    """Every trial in this process, one after the other (the default)."""

    n_workers = 1

    def map(self, fn, items):
        """``[fn(x) for x in items]``, yielded in order as they finish."""
        for x in items:
            yield _pinned(fn, x)

    def close(self):
        pass

    def __repr__(self):
        return "SerialExecutor()"


class ProcessExecutor:
    """Trials on ``n_workers`` local worker processes (joblib's loky backend; the pool is
    reused across sweeps and statements, and stopped by :meth:`close`)."""

    def __init__(self, n_workers):
        self.n_workers = check_int("n_workers", n_workers, low=1)

    def map(self, fn, items):
        """``fn`` over ``items`` on the workers, yielded in grid order."""
        from joblib import Parallel, delayed
        items = list(items)
        if self.n_workers == 1 or len(items) <= 1:
            yield from SerialExecutor().map(fn, items)
            return
        par = Parallel(n_jobs=self.n_workers, backend="loky", return_as="generator")
        yield from par(delayed(_pinned)(fn, x) for x in items)

    def close(self):
        """Stop the worker processes now (they would otherwise idle until loky's timeout)."""
        try:
            from joblib.externals.loky import get_reusable_executor
            get_reusable_executor().shutdown(wait=True, kill_workers=True)
        except Exception:  # pragma: no cover - best effort at exit
            pass

    def __repr__(self):
        return f"ProcessExecutor({self.n_workers})"


class DaskExecutor:
    """Trials on a Dask distributed cluster: ``address`` of a running scheduler, or a
    ``distributed.Client``.  Needs the optional extra ``pip install 'pactools[dask]'``.

    ``timeout`` (seconds) bounds the wait for an unreachable scheduler.
    """

    def __init__(self, address_or_client, *, timeout=10):
        timeout = check_real("timeout", timeout, low=0.0, low_open=True)
        try:
            from distributed import Client
        except ImportError as e:
            raise ImportError("the Dask executor needs the dask extra: "
                              "pip install 'pactools[dask]'") from e
        if isinstance(address_or_client, Client):
            self.client, self._own = address_or_client, False
        else:
            if not isinstance(address_or_client, str) or not address_or_client:
                raise ValueError("address_or_client must be a scheduler address such as "
                                 f"'tcp://host:8786' or a Client; got {address_or_client!r}")
            try:
                self.client = Client(address_or_client, timeout=timeout)
            except (OSError, TimeoutError) as e:
                raise OSError(f"no Dask scheduler answered at {address_or_client} within "
                              f"{timeout} s: {e}") from e
            self._own = True
        self.n_workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def map(self, fn, items):
        """``fn`` over ``items`` on the cluster, yielded in grid order."""
        futures = [self.client.submit(_pinned, fn, x, pure=False) for x in items]
        try:
            for f in futures:
                yield f.result()
        finally:
            self.client.cancel([f for f in futures if not f.done()])

    def close(self):
        if self._own:
            self.client.close()

    def __repr__(self):
        return f"DaskExecutor({self.client.scheduler.address!r})"


def make_executor(jobs=1, scheduler=None):
    """The executor for ``--jobs`` / ``--scheduler``: Dask if a scheduler is given,
    local processes if ``jobs > 1``, else serial."""
    if scheduler is not None:
        return DaskExecutor(scheduler)
    jobs = check_int("jobs", jobs, low=1)
    return ProcessExecutor(jobs) if jobs > 1 else SerialExecutor()
