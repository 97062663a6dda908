"""Finished trials on disk, keyed by content, so an interrupted run resumes (joblib.Memory).

A trial is a pure function of its grid point and the seed derived from it; its row is
cached under a key made of the sweep's name, the derived seed, the grid point, the
pactools version, a fingerprint of pactools' own source and of the file that defines
the trial.  Editing a trial or the library therefore never returns a stale row.  The
store is :class:`joblib.Memory`'s: each entry is written to a temporary file and renamed
into place, and an entry that cannot be loaded (truncated, corrupt) is recomputed, never
trusted.  Code outside pactools and the trial's own file that a trial calls is not part
of the key: clear the cache (``rm -r DIR``) after editing such helpers.
"""
from __future__ import annotations

import hashlib
import inspect
import os
from functools import lru_cache
from pathlib import Path

__all__ = ["TrialCache", "default_cache_dir"]


def default_cache_dir():
    """``$PACTOOLS_CACHE_DIR``, else ``$XDG_CACHE_HOME/pactools``, else ``~/.cache/pactools``."""
    if os.environ.get("PACTOOLS_CACHE_DIR"):
        return Path(os.environ["PACTOOLS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pactools"


@lru_cache(maxsize=None)
def _file_digest(path):
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


@lru_cache(maxsize=1)
def _library_digest():
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.py")):
        h.update(str(p.relative_to(root)).encode())
        h.update(_file_digest(str(p)).encode())
    return h.hexdigest()


def _key(sweep, seed, point):
    from . import __version__
    from .statement import trial_seed
    try:
        trial_file = inspect.getsourcefile(sweep.trial) or ""
    except TypeError:
        trial_file = ""
    return {"sweep": sweep.name, "trial": getattr(sweep.trial, "__qualname__", repr(sweep.trial)),
            "trial_file": _file_digest(trial_file) if trial_file else "none",
            "pactools": __version__, "library": _library_digest(),
            "derived_seed": trial_seed(seed, sweep.name, point), "point": point}


def _compute(key, sweep, seed, point):
    """The cached computation (``sweep`` is not hashed: ``key`` stands for it)."""
    return sweep.run_trial(seed, point)


class TrialCache:
    """Trial rows stored under ``location`` (created if missing; must be writable)."""

    def __init__(self, location):
        if not isinstance(location, (str, os.PathLike)):
            raise TypeError(f"location must be a directory path (str or os.PathLike); got "
                            f"{type(location).__name__}")
        from joblib import Memory
        loc = Path(location)
        try:
            loc.mkdir(parents=True, exist_ok=True)
            probe = loc / f".write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as e:
            raise OSError(f"cache directory {location} is not writable: "
                          f"{e.strerror or e}") from e
        self.location = loc
        self._memory = Memory(str(loc), verbose=0)
        self._cached = self._memory.cache(_compute, ignore=["sweep", "seed", "point"])

    def run(self, sweep, seed, point):
        """``(row, from_cache)``: the trial's row, and whether it was read from the cache."""
        key = _key(sweep, seed, point)
        hit = self._cached.check_call_in_cache(key, sweep, seed, point)
        return self._cached(key, sweep, seed, point), hit

    def __repr__(self):
        return f"TrialCache({str(self.location)!r})"
