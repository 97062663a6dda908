r"""The Boolean cube :math:`\{-1,1\}^n`: the one place where conventions live.

Conventions (THEORY.md §A.4, §C.2)
----------------------------------
* **Index ↔ point.**  Index ``i`` in ``range(2**n_vars)`` is the point ``x`` with
  ``x[j] = 1 - 2 * ((i >> j) & 1)``: bit 0 is the least significant bit and
  bit value 0 maps to ``+1``.  Index 0 is the all-ones point.
* **Subset ↔ bitmask.**  A subset ``T`` of ``{0, ..., n_vars-1}`` is the integer
  with bit ``j`` set for each ``j`` in ``T``.  Then
  ``chi_T(x_i) = prod_{j in T} x_j = (-1) ** popcount(i & T)``.
* **Bit flip.**  Flipping coordinate ``j`` of ``x_i`` gives ``x_{i ^ (1 << j)}``.
* **Truth tables** are 1-D arrays of length ``2**n_vars`` in index order.
* **Noise.**  ``y ~ N_rho(x)`` flips each coordinate independently with
  probability ``(1 - rho) / 2``, so ``E[x_j y_j] = rho``.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_int, check_memory, check_pm1, check_real

__all__ = ["cube", "truth_table", "sample_uniform", "sample_noisy", "chi",
           "popcounts", "MAX_EXACT_VARS"]

#: Largest ``n_vars`` enumerated exactly by the verification runs (a float64
#: table of 2**24 values is 128 MiB).  Larger cubes go to Monte Carlo.
MAX_EXACT_VARS = 24

#: Rows of the cube materialised at once by :func:`truth_table`.
_CHUNK_ROWS = 1 << 15


def _check_n_vars(n_vars, high=62):
    return check_int("n_vars", n_vars, low=1, high=high)


def cube(n_vars, *, dtype=np.int8, max_bytes=None):
    """All points of ``{-1,1}^n_vars`` in index order.

    Parameters
    ----------
    n_vars : int
        Dimension, ``>= 1``.
    dtype : dtype, optional
        Element type of the result (default ``int8``, one byte per entry).
    max_bytes : int, optional
        Memory budget; the default is 4 GiB.  The estimate is checked before
        allocating.

    Returns
    -------
    X : ndarray, shape (2**n_vars, n_vars)
        ``X[i, j] = 1 - 2 * bit_j(i)``.

    Examples
    --------
    >>> cube(2)
    array([[ 1,  1],
           [-1,  1],
           [ 1, -1],
           [-1, -1]], dtype=int8)
    """
    n_vars = _check_n_vars(n_vars)
    itemsize = np.dtype(dtype).itemsize
    check_memory((1 << n_vars) * n_vars * itemsize, f"cube({n_vars})", max_bytes)
    return _cube_rows(0, 1 << n_vars, n_vars, dtype)


def _cube_rows(start, stop, n_vars, dtype):
    idx = np.arange(start, stop, dtype=np.int64)
    bits = (idx[:, None] >> np.arange(n_vars, dtype=np.int64)) & 1
    return (1 - 2 * bits).astype(dtype, copy=False)


def truth_table(func, n_vars, *, dtype=np.float64, max_bytes=None):
    """Evaluate a vectorised ``func`` on the whole cube, in chunks.

    Parameters
    ----------
    func : callable
        ``func(X)`` takes an array of shape ``(m, n_vars)`` of ``±1`` (float64)
        and returns ``m`` real values.
    n_vars : int
        Dimension.
    dtype : dtype, optional
        Dtype of the table (default float64).
    max_bytes : int, optional
        Memory budget for the table (default 4 GiB); chunks of the cube are
        ``2**15`` rows, so the cube itself is never held in full.

    Returns
    -------
    table : ndarray, shape (2**n_vars,)

    Examples
    --------
    >>> truth_table(lambda X: X[:, 0] * X[:, 1], 2)
    array([ 1., -1., -1.,  1.])
    """
    n_vars = _check_n_vars(n_vars)
    if not callable(func):
        raise TypeError(f"func must be callable; got {type(func).__name__}")
    size = 1 << n_vars
    check_memory(size * np.dtype(dtype).itemsize, f"truth_table(n_vars={n_vars})", max_bytes)
    out = np.empty(size, dtype=dtype)
    for start in range(0, size, _CHUNK_ROWS):
        stop = min(size, start + _CHUNK_ROWS)
        vals = np.asarray(func(_cube_rows(start, stop, n_vars, np.float64)))
        if vals.shape != (stop - start,):
            raise ValueError(f"func must return one value per row: expected shape "
                             f"({stop - start},), got {vals.shape}")
        if np.issubdtype(vals.dtype, np.inexact) and not np.all(np.isfinite(vals)):
            i = int(np.flatnonzero(~np.isfinite(vals))[0])
            raise ValueError(f"func returned a non-finite value ({float(vals[i])!r}) at point "
                             f"{start + i} of the cube: a truth table must be finite")
        out[start:stop] = vals
    return out


def _point_index(X):
    """Index of each ±1 row of ``X`` in the cube's order (bit ``j`` set where ``x_j = -1``)."""
    X = np.asarray(X)
    return ((1 - X) // 2).astype(np.int64) @ (np.int64(1) << np.arange(X.shape[1],
                                                                        dtype=np.int64))


def popcounts(n_vars):
    """``popcount(i)`` for ``i`` in ``range(2**n_vars)``, as ``uint8``: the size ``|T|``."""
    n_vars = check_int("n_vars", n_vars, low=0, high=62)
    return np.bitwise_count(np.arange(1 << n_vars, dtype=np.uint64)).astype(np.uint8)


def chi(subset, X):
    r"""The character :math:`\chi_T(x)=\prod_{j\in T}x_j` at the rows of ``X``.

    Parameters
    ----------
    subset : int or sequence of int
        ``T`` as a bitmask (int) or as a sequence of coordinates.
    X : array_like, shape (m, n_vars)
        Points of the cube (entries ``±1``).
    """
    X = check_pm1("X", X, ndim=2)
    n_vars = X.shape[1]
    if isinstance(subset, (int, np.integer)) and not isinstance(subset, bool):
        if subset < 0 or subset >= (1 << n_vars):
            raise ValueError(f"subset must be a bitmask in [0, 2**{n_vars} - 1]; got {subset}")
        coords = [j for j in range(n_vars) if (int(subset) >> j) & 1]
    else:
        coords = list(subset)
        for j in coords:
            check_int("subset element", j, low=0, high=n_vars - 1)
    if not coords:
        return np.ones(X.shape[0], dtype=np.float64)
    return np.prod(X[:, coords], axis=1, dtype=np.float64)


def sample_uniform(n_samples, n_vars, *, rng=None, dtype=np.float64, max_bytes=None):
    """``n_samples`` i.i.d. uniform points of ``{-1,1}^n_vars``, shape ``(n_samples, n_vars)``."""
    n_samples = check_int("n_samples", n_samples, low=1)
    n_vars = check_int("n_vars", n_vars, low=1)
    check_memory(n_samples * n_vars * np.dtype(dtype).itemsize,
                 f"sample_uniform({n_samples}, {n_vars})", max_bytes, hint="or draw fewer n_samples")
    rng = np.random.default_rng(rng)
    bits = rng.integers(0, 2, size=(n_samples, n_vars), dtype=np.int8)
    return (1 - 2 * bits).astype(dtype, copy=False)


def sample_noisy(X, rho, *, rng=None):
    r"""Draw ``Y ~ N_rho(X)``: flip each entry with probability ``(1 - rho)/2``.

    Parameters
    ----------
    X : array_like of ±1
        Points (any shape).
    rho : float in [-1, 1]
        Correlation; ``E[x_j y_j] = rho``.
    rng : None, int or Generator

    Returns
    -------
    Y : ndarray, same shape and dtype as ``X``.
    """
    rho = check_real("rho", rho, low=-1.0, high=1.0)
    X = check_pm1("X", X)
    rng = np.random.default_rng(rng)
    flip = rng.random(X.shape) < (1.0 - rho) / 2.0
    return np.where(flip, -X, X)
