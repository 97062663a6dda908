r"""Fourier analysis of real functions on the Boolean cube.

For :math:`f:\{-1,1\}^n\to\mathbb R` given by its truth table (index order of
:mod:`pactools.hypercube`),

.. math::  f(x)=\sum_{T\subseteq[n]}\hat f(T)\chi_T(x),\qquad
           \hat f(T)=\mathbb E_{x}[f(x)\chi_T(x)],

and ``coeffs[T]`` (``T`` a bitmask) is :math:`\hat f(T)`.  The normalisations
are P2's (THEORY.md §A.4): sensitivities carry the factor :math:`\tfrac14`, so

.. math::  \mathrm{AS}(f)=\tfrac14\,\mathbb E_x\sum_i(f(x)-f(x^{\oplus i}))^2
           =\sum_T|T|\hat f(T)^2,\qquad
           \mathrm{NS}_\rho(f)=\tfrac14\,\mathbb E(f(x)-f(y))^2
           =\tfrac12\sum_T(1-\rho^{|T|})\hat f(T)^2 .

Exact functions take truth tables (practical up to ``n_vars`` ≈ 24); the
``*_mc`` functions take a vectorised callable and work for any ``n_vars``,
returning a :class:`~pactools.stats.MonteCarloResult` with a confidence
interval.

The Walsh–Hadamard transform :func:`wht` follows :mod:`numpy.fft`'s ``norm``
semantics and is cache-blocked: Hadamard blocks of size 16 are applied by
matrix products, all bits of a 2**16-long row while it sits in cache, then the
remaining bits across rows, in place, through strided column panels (about two
passes over main memory instead of ``n``; PERFORMANCE.md).
"""
from __future__ import annotations

import numpy as np

from ._validation import (check_confidence_level, check_int, check_memory, check_real,
                          check_real_array)
from .hypercube import popcounts, sample_noisy, sample_uniform
from .stats import mean_estimate

__all__ = ["wht", "iwht", "fourier_coefficients", "degree", "level_weights",
           "spectral_tail", "spectral_tail_from_weights", "noise_sensitivity_from_weights",
           "influences", "average_sensitivity", "noise_sensitivity",
           "noise_stability", "noise_operator", "average_sensitivity_mc", "influences_mc",
           "noise_sensitivity_mc", "fourier_coefficient_mc"]

# --------------------------------------------------------------------------- #
# Walsh–Hadamard transform
# --------------------------------------------------------------------------- #
_ROW_BITS = 16          # a row of 2**16 float64 (512 KiB) is transformed in cache
_PANEL_ELEMS = 1 << 16  # column panels of the across-row step hold 2**16 values
_GEMM_ELEMS = 1 << 15   # values per matrix product (OpenBLAS small-matrix kernel sizes)
_FACTOR_BITS = 4        # Hadamard blocks H_16 applied by matmul
_HADAMARD = {}
_CONTROLLER = None


def _hadamard(bits, dtype, scale=1.0):
    key = (bits, np.dtype(dtype).str, scale)
    H = _HADAMARD.get(key)
    if H is None:
        idx = np.arange(1 << bits)
        parity = (np.bitwise_count(idx[:, None] & idx[None, :]) & 1).astype(np.int64)
        H = (1 - 2 * parity).astype(dtype)
        H = H * np.asarray(scale, dtype=dtype)
        H.setflags(write=False)
        _HADAMARD[key] = H
    return H


def _factors(n_bits):
    out = []
    while n_bits > 0:
        b = min(_FACTOR_BITS, n_bits)
        out.append(b)
        n_bits -= b
    return out


def _blas_single_thread():
    """Pin BLAS to one thread: many 16-wide products are 10-100x slower with two."""
    global _CONTROLLER
    try:
        if _CONTROLLER is None:
            from threadpoolctl import ThreadpoolController
            _CONTROLLER = ThreadpoolController()
        return _CONTROLLER.limit(limits=1, user_api="blas")
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        import contextlib
        return contextlib.nullcontext()


def _cycle(src, tmp, dst, n_bits, dtype, scale):
    """Transform the leading ``n_bits`` of the flat ``src`` and rotate them to the end.

    ``src`` (C-contiguous, size ``2**n_bits * rest``) is read as ``(2**n_bits, rest)``; each
    step applies a Hadamard factor to the leading group of bits and moves it to the end
    (``X.reshape(f, -1).T @ H``, the transposed-operand product, about twice as fast in
    OpenBLAS as ``H @ X.T``), so ``dst`` holds the result in layout ``(rest, 2**n_bits)``:
    for ``rest == 1`` simply the transform.  Each product is cut into pieces of about
    ``_GEMM_ELEMS`` values (the size OpenBLAS's small-matrix kernels take without packing).
    ``tmp`` holds two scratch buffers of the size of ``src``; ``src`` may be ``dst``.
    """
    fs = _factors(n_bits)
    size = src.size
    cur = src
    for i, b in enumerate(fs):
        f = 1 << b
        last = i == len(fs) - 1
        out = dst if last and not (cur is src and np.may_share_memory(src, dst)) else tmp[i % 2]
        H = _hadamard(b, dtype, scale if i == 0 else 1.0)
        n = size >> b
        a, o = cur.reshape(f, n).T, out.reshape(n, f)
        step = max(1, _GEMM_ELEMS >> b)
        for n0 in range(0, n, step):
            np.matmul(a[n0:n0 + step], H, out=o[n0:n0 + step])
        cur = out
    if cur is not dst:
        dst[...] = cur
    return dst


def _wht_rows(a, out, scale):
    """Transform every row of the C-contiguous 2-D ``a`` into ``out`` (same shape)."""
    n_rows, size = a.shape
    dtype = a.dtype
    n_bits = size.bit_length() - 1
    if n_bits == 0:
        np.multiply(a, scale, out=out)
        return out
    if n_bits <= _ROW_BITS:
        m = max(1, (1 << _ROW_BITS) >> n_bits)  # rows per in-cache chunk
        tmp = (np.empty(m * size, dtype), np.empty(m * size, dtype))
        block = np.empty(m * size, dtype)
        for r0 in range(0, n_rows, m):
            r1 = min(n_rows, r0 + m)
            k = (r1 - r0) * size
            if r1 - r0 == 1:
                _cycle(a[r0], (tmp[0][:k], tmp[1][:k]), out[r0], n_bits, dtype, scale)
            else:   # rows to the end, so the cycle ends with them in front: (rows, size)
                block[:k].reshape(size, r1 - r0)[...] = a[r0:r1].T
                _cycle(block[:k], (tmp[0][:k], tmp[1][:k]), out[r0:r1].reshape(-1),
                       n_bits, dtype, scale)
        return out
    # two levels: 2**_ROW_BITS-long rows in cache, then across rows in column panels
    C = 1 << _ROW_BITS
    R = size >> _ROW_BITS
    tmp = (np.empty(C, dtype), np.empty(C, dtype))
    width = max(1, _PANEL_ELEMS // R)
    panels = (np.empty(R * width, dtype), np.empty(R * width, dtype))
    for row in range(n_rows):
        src = a[row].reshape(R, C)
        dst = out[row].reshape(R, C)
        for r in range(R):
            _cycle(src[r], tmp, dst[r], _ROW_BITS, dtype, scale)
        for c0 in range(0, C, width):
            _across(dst[:, c0:c0 + width], panels, dtype)
    return out


def _across(block, panels, dtype):
    """Transform the strided ``(R, w)`` view ``block`` along its first axis, in place.

    Each Hadamard factor is a batch of ``H @ X`` products on ``(f, w)`` slices read and
    written through strides (no gather or scatter copy): the first reads ``block``, the
    last writes it, the ones between go through the two ``panels`` scratch buffers.
    """
    R, w = block.shape
    fs = _factors(R.bit_length() - 1)
    cur = block
    pre = 1
    for i, b in enumerate(fs):
        f = 1 << b
        post = R // (pre * f)
        last = i == len(fs) - 1
        out = block if last and i > 0 else panels[i % 2][:R * w].reshape(R, w)
        np.matmul(_hadamard(b, dtype), cur.reshape(pre, f, post, w).transpose(0, 2, 1, 3),
                  out=out.reshape(pre, f, post, w).transpose(0, 2, 1, 3))
        cur = out
        pre *= f
    if cur is not block:
        block[...] = cur
    return block


_NORMS = ("backward", "ortho", "forward")


def _scale(norm, size, inverse):
    if norm is None:
        norm = "backward"
    if norm not in _NORMS:
        raise ValueError(f'norm must be one of "backward", "ortho", "forward" (or None); '
                         f"got {norm!r}")
    if norm == "ortho":
        return 1.0 / np.sqrt(size)
    if (norm == "forward") != inverse:
        return 1.0 / size
    return 1.0


def _transform(x, axis, norm, out, inverse):
    a = np.asarray(x)
    if a.dtype == bool or not (np.issubdtype(a.dtype, np.number)):
        raise TypeError(f"x must be a real or complex numeric array; got dtype {a.dtype}")
    if a.ndim == 0:
        raise ValueError("x must have at least one dimension; got a 0-d array")
    axis = check_int("axis", axis, low=-a.ndim, high=a.ndim - 1)
    size = a.shape[axis]
    if size < 1 or size & (size - 1):
        raise ValueError(f"the length of x along axis {axis} must be a power of two "
                         f"(1, 2, 4, ...); got {size}")
    scale = _scale(norm, size, inverse)
    if np.issubdtype(a.dtype, np.complexfloating):
        re = _transform(a.real, axis, norm, None, inverse)
        im = _transform(a.imag, axis, norm, None, inverse)
        res = re + 1j * im
        if out is not None:
            _check_out(out, res)
            out[...] = res
            return out
        return res
    dtype = np.float32 if a.dtype == np.float32 else np.float64
    # estimated before the contiguous copy (a broadcast view's copy is the large allocation)
    check_memory(3 * a.size * np.dtype(dtype).itemsize, f"wht workspace for {a.size} values",
                 hint="pass float32 input to halve it, or transform fewer rows at a time",
                 settable=False)
    moved = np.ascontiguousarray(np.moveaxis(a, axis, -1), dtype=dtype)
    flat = moved.reshape(-1, size)
    direct = (out is not None and axis in (-1, a.ndim - 1) and out.dtype == dtype
              and out.shape == a.shape and out.flags.c_contiguous)
    if out is not None:
        _check_out(out, np.empty(0, dtype), shape=a.shape)
    res = out.reshape(-1, size) if direct else np.empty_like(flat)
    with _blas_single_thread():
        _wht_rows(flat, res, scale)
    if direct:
        return out
    res = np.moveaxis(res.reshape(moved.shape), -1, axis)
    if out is not None:
        out[...] = res
        return out
    return res


def _check_out(out, like, shape=None):
    shape = like.shape if shape is None else shape
    if not isinstance(out, np.ndarray) or out.shape != tuple(shape):
        got = getattr(out, "shape", type(out).__name__)
        raise ValueError(f"out must be an ndarray of shape {tuple(shape)}; got {got}")
    if not np.can_cast(like.dtype, out.dtype, casting="same_kind"):
        raise TypeError(f"out must have a dtype that can hold {like.dtype}; got {out.dtype}")


def wht(x, *, axis=-1, norm="backward", out=None):
    r"""Walsh–Hadamard transform along one axis.

    .. math::  y[T]=c\sum_{i}x[i]\,(-1)^{\mathrm{popcount}(i\,\&\,T)}

    with ``c = 1`` (``norm="backward"``), ``1/sqrt(N)`` (``"ortho"``) or
    ``1/N`` (``"forward"``), exactly as :func:`numpy.fft.fft`; :func:`iwht`
    is its inverse for the same ``norm``.  With ``norm="forward"`` the result
    is the Fourier spectrum: ``wht(table, norm="forward")[T]`` equals
    :math:`\hat f(T)=\mathbb E_x[f(x)\chi_T(x)]`.

    Parameters
    ----------
    x : array_like
        Real or complex input; its length along ``axis`` must be a power of
        two.  float32 stays float32; integer input is computed in float64.
    axis : int, optional
        Axis of the transform (default last).
    norm : {"backward", "ortho", "forward"}, optional
        Normalisation mode, as in :mod:`numpy.fft`.
    out : ndarray, optional
        Array of the result's shape to write into.  It may be ``x`` itself: a
        C-contiguous float array transformed along its last axis is then transformed in
        place, with a few times ``2**16`` values of scratch instead of a second array of its size
        (at ``N = 2**24``: 74 ms in place against 95 ms out of place, one run here).

    Returns
    -------
    y : ndarray

    Notes
    -----
    The transform is :math:`H_2^{\otimes n}` applied as products with
    :math:`H_{16}` blocks; BLAS is pinned to one thread while it runs.  At
    ``N = 2**24`` it reads and writes main memory about twice and takes about
    1.3 times the compiled SIMD transform of ``fht-cpu`` (``benchmarks/bench_wht.py``).
    Input is not checked for NaN (as in :mod:`numpy.fft`); the analysis functions below
    check their tables.

    Examples
    --------
    >>> wht([1.0, 0.0, 0.0, 0.0])
    array([1., 1., 1., 1.])
    >>> iwht(wht([3.0, 1.0]))
    array([3., 1.])
    """
    return _transform(x, axis, norm, out, inverse=False)


def iwht(x, *, axis=-1, norm="backward", out=None):
    """Inverse of :func:`wht` for the same ``norm`` (``iwht(wht(x)) == x``)."""
    return _transform(x, axis, norm, out, inverse=True)


# --------------------------------------------------------------------------- #
# exact analysis from truth tables
# --------------------------------------------------------------------------- #
def _check_table(table, name="table", *, finite=True):
    t = np.asarray(table)
    if t.ndim != 1:
        raise ValueError(f"{name} must be a 1-D truth table of length 2**n_vars; "
                         f"got shape {t.shape}")
    size = t.shape[0]
    if size < 2 or size & (size - 1):
        raise ValueError(f"{name} must have length 2**n_vars with n_vars >= 1; got length {size}")
    return _real_values(t, name, finite), size.bit_length() - 1


def _real_values(t, name, finite=True):
    """``t`` as float64, refusing non-real dtypes and (if ``finite``) NaN or infinity."""
    if not (np.issubdtype(t.dtype, np.floating) or np.issubdtype(t.dtype, np.integer)
            or t.dtype == bool):
        raise TypeError(f"{name} must hold real values; got dtype {t.dtype}")
    t = t.astype(np.float64, copy=False)
    if finite and not np.all(np.isfinite(t)):
        bad = int(np.flatnonzero(~np.isfinite(t.reshape(-1)))[0])
        raise ValueError(f"{name} must be finite; got {float(t.reshape(-1)[bad])!r} at index "
                         f"{bad}")
    return t


def _check_rho(rho):
    arr = check_real_array("rho", rho, low=-1.0, high=1.0)
    return arr


def fourier_coefficients(table):
    r"""All Fourier coefficients :math:`\hat f(T)=\mathbb E[f\chi_T]`, indexed by bitmask ``T``.

    Examples
    --------
    >>> from pactools.hypercube import truth_table
    >>> fourier_coefficients(truth_table(lambda X: X[:, 0] * X[:, 1], 2))
    array([0., 0., 0., 1.])

    Notes
    -----
    A table with two values ``a < b`` (Boolean functions, ``±1`` or ``{0,1}``) up to
    ``n_vars = 24`` is transformed in float32 as its 0/1 indicator ``u`` of ``b``: every
    partial sum of that transform is an integer of magnitude at most
    ``2**n_vars <= 2**24``, so float32 holds it exactly and the result is exact whatever
    order BLAS adds in; then :math:`\hat f = a\,\delta_0 + (b-a)\,\hat u`, in float64.
    For integer ``a, b`` (``±1``, ``{0,1}``) every coefficient is exact and bit for bit the
    float64 transform's; for other values it has one or two roundings where the float64
    transform of the table has ``n_vars``.  At ``n_vars = 24``: 153 ms against 186 ms (one
    run here).
    """
    t, n_vars = _check_table(table, finite=False)
    two = _two_valued(t) if n_vars <= 24 else None
    if two is None or not np.isfinite(two[0]):          # a finite gap: both values finite
        return wht(_real_values(t, "table"), norm="forward")
    upper = two[1]
    a, b = float(t[0]), float(t[int(np.argmax(upper))])
    if b < a:                       # the indicator of the larger value: a positive scale
        a, b, upper = b, a, ~upper  # keeps the transform's zeros +0, as the float64 one's
    u = upper.astype(np.float32)
    wht(u, out=u)                                           # exact integers, in place
    c = np.multiply(u, (b - a) / u.size, dtype=np.float64)
    c[0] += a
    return c


def level_weights(coeffs):
    r"""Fourier weight by level: ``W[j]`` = :math:`\sum_{|T|=j}\hat f(T)^2`, ``j = 0..n_vars``."""
    c, n_vars = _check_table(coeffs, "coeffs")
    return _level_weights(c * c, n_vars)


def _one_hot_popcount(n_bits):
    pc = popcounts(n_bits)
    return (pc[:, None] == np.arange(n_bits + 1)[None, :]).astype(np.float64)


def _level_weights(sq, n_vars):
    # |T| = popcount(high bits) + popcount(low bits): two products with one-hot
    # popcount matrices, then sum the anti-diagonals (3-6x faster than bincount).
    lo = n_vars // 2
    hi = n_vars - lo
    m = _one_hot_popcount(hi).T @ (sq.reshape(1 << hi, 1 << lo) @ _one_hot_popcount(lo))
    w = np.zeros(n_vars + 1)
    for a in range(hi + 1):
        w[a:a + lo + 1] += m[a]
    return w


def degree(coeffs, *, atol=None):
    r"""Fourier degree: the largest ``|T|`` with ``|coeffs[T]| > atol``.

    ``atol`` defaults to ``1e-9 * max|coeffs|`` (round-off of a float64
    transform is about ``1e-15`` relative).  The zero function has degree 0.
    """
    c, n_vars = _check_table(coeffs, "coeffs")
    if atol is None:
        atol = 1e-9 * float(np.max(np.abs(c)))
    atol = check_real("atol", atol, low=0.0)
    nz = np.abs(c) > atol
    if not np.any(nz):
        return 0
    return int(popcounts(n_vars)[nz].max())


def spectral_tail(coeffs, degree):
    r"""Weight above a degree: :math:`\sum_{|T|>d}\hat f(T)^2` (vectorised in ``degree``)."""
    return spectral_tail_from_weights(level_weights(coeffs), degree)


def _check_weights(weights):
    w = check_real_array("weights", weights, low=0.0)
    if w.ndim != 1 or w.size < 1:
        raise ValueError(f"weights must be a 1-D array of level weights W^0..W^n; "
                         f"got shape {w.shape}")
    return w


def spectral_tail_from_weights(weights, degree):
    r"""Weight above ``degree`` from level weights ``W^0..W^n`` (see :func:`level_weights`).

    ``degree`` may be an array of integers ``>= 0``; degrees ``>= n`` give 0.
    """
    w = _check_weights(weights)
    n_vars = len(w) - 1
    d = np.asarray(degree)
    if not np.issubdtype(d.dtype, np.integer) or np.any(d < 0):
        raise ValueError(f"degree must be integers >= 0; got {degree!r}")
    above = np.concatenate([np.cumsum(w[::-1])[::-1][1:], [0.0]])  # above[j] = sum_{i>j} w[i]
    res = above[np.minimum(d, n_vars)]
    return float(res) if res.ndim == 0 else res


def noise_sensitivity_from_weights(weights, rho):
    r""":math:`\mathrm{NS}_\rho=\frac12\sum_j(1-\rho^j)W^j` from level weights (``rho`` may be an array)."""
    w = _check_weights(weights)
    r = _check_rho(rho)
    res = 0.5 * ((1.0 - np.power.outer(r, np.arange(len(w)))) @ w)
    return float(res) if res.ndim == 0 else res


#: within one uint64 word of a packed table, the bit positions whose index has bit i = 0
_LOW_HALF = tuple(np.uint64(m) for m in (0x5555555555555555, 0x3333333333333333,
                                         0x0F0F0F0F0F0F0F0F, 0x00FF00FF00FF00FF,
                                         0x0000FFFF0000FFFF, 0x00000000FFFFFFFF))


def _two_valued(t):
    """``(gap, t == b)`` if the table takes exactly two values ``a = t[0]`` and ``b``
    (``gap = |b - a|``), else None.  A look at the first 64 values, then two comparisons
    and no other pass: a NaN equals neither value, and an infinite value makes ``gap``
    infinite, so a two-valued answer with a finite ``gap`` proves the table finite."""
    if np.unique(t[:64]).size > 2:           # most real tables stop here, after 64 values
        return None
    is_a = t == t[0]
    n_a = int(np.count_nonzero(is_a))
    if n_a == t.size or n_a == 0:            # constant (or t[0] is NaN)
        return None
    b = t[int(np.argmin(is_a))]
    upper = t == b
    if n_a + int(np.count_nonzero(upper)) != t.size:
        return None
    return abs(float(b) - float(t[0])), upper


def _packed_influences(upper, n_vars, gap):
    r"""Influences of a two-valued table from its packed bits: for each coordinate, the
    number of pairs :math:`(x, x^{\oplus i})` whose bits differ, by XOR and popcount.
    ``Inf_i = gap**2 * pairs / 2**(n+1)`` (``gap`` = the difference of the two values)."""
    words = np.packbits(upper, bitorder="little").view("<u8")
    pairs = np.empty(n_vars)
    for i in range(min(n_vars, 6)):          # partners in the same 64-bit word
        diff = (words ^ (words >> np.uint64(1 << i))) & _LOW_HALF[i]
        pairs[i] = np.bitwise_count(diff).sum(dtype=np.int64)
    for i in range(6, n_vars):               # partner words 2**(i - 6) apart
        w = words.reshape(-1, 2, 1 << (i - 6))
        pairs[i] = np.bitwise_count(w[:, 0, :] ^ w[:, 1, :]).sum(dtype=np.int64)
    return gap * gap * pairs / float(1 << (n_vars + 1))


def _batch_influences(tables, axis):
    """Influences of every table along ``axis`` of an N-d array: shape with that axis
    replaced by ``n_vars``; one vectorised difference per coordinate over the whole batch."""
    T = np.moveaxis(np.asarray(tables), axis, -1)
    size = T.shape[-1]
    if size < 2 or size & (size - 1):
        raise ValueError(f"table must have length 2**n_vars along axis {axis}; got {size}")
    T = _real_values(T, "table")
    n_vars = size.bit_length() - 1
    flat = T.reshape(-1, size)
    out = np.empty((flat.shape[0], n_vars))
    for i in range(n_vars):
        v = flat.reshape(flat.shape[0], -1, 2, 1 << i)
        d = (v[:, :, 0, :] - v[:, :, 1, :]).reshape(flat.shape[0], -1)
        out[:, i] = np.einsum("bi,bi->b", d, d)
    return (out / (2.0 * size)).reshape(T.shape[:-1] + (n_vars,))


def influences(table, *, axis=-1):
    r"""Influences :math:`\mathrm{Inf}_i(f)=\tfrac14\mathbb E_x(f(x)-f(x^{\oplus i}))^2`.

    Their sum is :func:`average_sensitivity`.  A table with exactly two values (Boolean,
    in any encoding) with ``n_vars >= 6`` is packed into bits and each coordinate counted
    by XOR and popcount (PERFORMANCE.md: ~50x fewer bytes than the float passes); exact, as
    the count is an integer.  Other tables: a difference pass per coordinate over half the
    table (no transform).  An N-d ``table`` holds many tables along ``axis`` (like
    :func:`numpy.fft.fft`'s): the result replaces that axis by the ``n_vars`` influences.
    """
    if np.ndim(table) > 1:
        return _batch_influences(table, axis)
    t, n_vars = _check_table(table, finite=False)
    two = _two_valued(t) if n_vars >= 6 else None
    if two is not None and np.isfinite(two[0]):
        return _packed_influences(two[1], n_vars, two[0])
    t, n_vars = _check_table(t)                 # the finiteness check, for the float path
    size = t.shape[0]
    acc = np.zeros(n_vars)
    # bits below _ROW_BITS: all of them on one in-cache block at a time
    low = min(n_vars, _ROW_BITS)
    block = 1 << low
    for b0 in range(0, size, block):
        blk = t[b0:b0 + block]
        for i in range(low):
            v = blk.reshape(-1, 2, 1 << i)
            d = (v[:, 0, :] - v[:, 1, :]).reshape(-1)
            acc[i] += np.dot(d, d)
    # higher bits pair blocks that lie far apart: one pass over the table each
    for i in range(low, n_vars):
        v = t.reshape(-1, 2, 1 << i)
        step = max(1, (1 << 22) >> i)
        for g0 in range(0, v.shape[0], step):
            d = (v[g0:g0 + step, 0, :] - v[g0:g0 + step, 1, :]).reshape(-1)
            acc[i] += np.dot(d, d)
    return acc / (2.0 * size)


def average_sensitivity(table, *, axis=-1):
    r"""Average sensitivity :math:`\mathrm{AS}(f)=\sum_i\mathrm{Inf}_i(f)=\sum_T|T|\hat f(T)^2`.

    P2's normalisation: a ``±1``-valued ``f`` gets the expected number of
    sensitive coordinates, a ``{0,1}``-valued one a quarter of it.  An N-d ``table``
    holds many tables along ``axis``: one AS per table.

    Examples
    --------
    >>> from pactools.hypercube import truth_table
    >>> average_sensitivity(truth_table(lambda X: X.prod(axis=1), 5))  # parity
    5.0
    """
    if np.ndim(table) > 1:
        return influences(table, axis=axis).sum(axis=-1)
    return float(np.sum(influences(table)))


def noise_stability(table, rho):
    r"""Noise stability :math:`\mathbb E[f(x)f(y)]=\sum_T\rho^{|T|}\hat f(T)^2`, ``y~N_rho(x)``."""
    r = _check_rho(rho)
    w = level_weights(fourier_coefficients(table))
    res = np.power.outer(r, np.arange(len(w))) @ w
    return float(res) if res.ndim == 0 else res


def noise_sensitivity(table, rho):
    r"""Noise sensitivity :math:`\mathrm{NS}_\rho(f)=\tfrac12\sum_T(1-\rho^{|T|})\hat f(T)^2`.

    Equal to :math:`\tfrac14\mathbb E(f(x)-f(y))^2` with :math:`y\sim N_\rho(x)`
    (Claim 1 of P2).  ``rho`` may be an array (one transform for all).

    Examples
    --------
    >>> from pactools.hypercube import truth_table
    >>> noise_sensitivity(truth_table(lambda X: X[:, 0], 3), 0.5)  # dictator
    0.25
    """
    _check_rho(rho)
    return noise_sensitivity_from_weights(level_weights(fourier_coefficients(table)), rho)


def noise_operator(table, rho):
    r"""Apply :math:`T_\rho f(x)=\mathbb E_{y\sim N_\rho(x)}f(y)` in the primal domain.

    One Markov step per coordinate, ``(1+rho)/2 f(x) + (1-rho)/2 f(x^i)``,
    with no Fourier transform: an independent route to Claim 1's identities.
    """
    t, n_vars = _check_table(table)
    rho = check_real("rho", rho, low=-1.0, high=1.0)
    a, b = (1.0 + rho) / 2.0, (1.0 - rho) / 2.0
    out = t.copy()
    for i in range(n_vars):
        v = out.reshape(-1, 2, 1 << i)
        lo, hi = v[:, 0, :].copy(), v[:, 1, :]
        v[:, 0, :] = a * lo + b * hi
        v[:, 1, :] = b * lo + a * hi
    return out


# --------------------------------------------------------------------------- #
# Monte Carlo for large n
# --------------------------------------------------------------------------- #
def _check_mc_args(func, n_vars, n_samples, confidence_level, batch_size):
    if not callable(func):
        raise TypeError(f"func must be callable; got {type(func).__name__}")
    n_vars = check_int("n_vars", n_vars, low=1)
    n_samples = check_int("n_samples", n_samples, low=2)
    confidence_level = check_confidence_level(confidence_level)
    if batch_size is None:
        batch_size = max(1, min(n_samples, (1 << 24) // n_vars))
    batch_size = check_int("batch_size", batch_size, low=1)
    check_memory(2 * batch_size * n_vars * 8, "Monte Carlo batch", None,
                 hint="pass a smaller batch_size", settable=False)
    check_memory(8 * n_samples, f"{n_samples} Monte Carlo samples", None,
                 hint="use fewer n_samples", settable=False)
    return n_vars, n_samples, confidence_level, batch_size


def _eval(func, X):
    v = np.asarray(func(X), dtype=np.float64)
    if v.shape != (X.shape[0],):
        raise ValueError(f"func must return one value per row: expected shape "
                         f"({X.shape[0]},), got {v.shape}")
    if not np.all(np.isfinite(v)):
        i = int(np.flatnonzero(~np.isfinite(v))[0])
        raise ValueError(f"func returned a non-finite value ({float(v[i])!r}) at the point "
                         f"{X[i].astype(int).tolist()}: it must be finite on the cube")
    return v


def _batched(n_samples, batch_size, rng, draw):
    out = np.empty(n_samples)
    for s0 in range(0, n_samples, batch_size):
        s1 = min(n_samples, s0 + batch_size)
        out[s0:s1] = draw(s1 - s0, rng)
    return out


def average_sensitivity_mc(func, n_vars, *, n_samples=20_000, confidence_level=0.99,
                           rng=None, batch_size=None):
    r"""Monte Carlo estimate of :math:`\mathrm{AS}(f)` for a vectorised ``func``.

    Uses the unbiased :math:`\frac n4(f(x)-f(x^{\oplus i}))^2` with ``x``
    uniform and ``i`` uniform in ``[n]``; the interval is exact
    (Clopper–Pearson, scaled) when these values take only two values
    ``{0, a}`` (Boolean ``f``), and the normal approximation otherwise.

    Returns
    -------
    MonteCarloResult
    """
    n_vars, n_samples, confidence_level, batch_size = _check_mc_args(
        func, n_vars, n_samples, confidence_level, batch_size)
    rng = np.random.default_rng(rng)

    def draw(m, rng):
        X = sample_uniform(m, n_vars, rng=rng)
        i = rng.integers(0, n_vars, size=m)
        Y = X.copy()
        Y[np.arange(m), i] *= -1
        return n_vars / 4.0 * (_eval(func, X) - _eval(func, Y)) ** 2

    return mean_estimate(_batched(n_samples, batch_size, rng, draw), confidence_level)


def noise_sensitivity_mc(func, n_vars, rho, *, n_samples=20_000, confidence_level=0.99,
                         rng=None, batch_size=None):
    r"""Monte Carlo estimate of :math:`\mathrm{NS}_\rho(f)=\tfrac14\mathbb E(f(x)-f(y))^2`."""
    rho = check_real("rho", rho, low=-1.0, high=1.0)
    n_vars, n_samples, confidence_level, batch_size = _check_mc_args(
        func, n_vars, n_samples, confidence_level, batch_size)
    rng = np.random.default_rng(rng)

    def draw(m, rng):
        X = sample_uniform(m, n_vars, rng=rng)
        Y = sample_noisy(X, rho, rng=rng)
        return 0.25 * (_eval(func, X) - _eval(func, Y)) ** 2

    return mean_estimate(_batched(n_samples, batch_size, rng, draw), confidence_level)


def fourier_coefficient_mc(func, n_vars, subset, *, n_samples=20_000, confidence_level=0.99,
                           rng=None, batch_size=None):
    r"""Monte Carlo estimate of one coefficient :math:`\hat f(T)=\mathbb E[f\chi_T]`.

    ``subset`` is a sequence of coordinates (bitmasks overflow for large ``n_vars``).
    """
    n_vars, n_samples, confidence_level, batch_size = _check_mc_args(
        func, n_vars, n_samples, confidence_level, batch_size)
    coords = [check_int("subset element", j, low=0, high=n_vars - 1) for j in subset]
    if len(set(coords)) != len(coords):
        raise ValueError(f"subset must not repeat coordinates; got {list(subset)!r}")
    rng = np.random.default_rng(rng)

    def draw(m, rng):
        X = sample_uniform(m, n_vars, rng=rng)
        ch = np.prod(X[:, coords], axis=1) if coords else np.ones(m)
        return _eval(func, X) * ch

    return mean_estimate(_batched(n_samples, batch_size, rng, draw), confidence_level)


def influences_mc(func, n_vars, *, coordinates=None, n_samples=20_000, confidence_level=0.99,
                  rng=None, batch_size=None):
    r"""Monte Carlo estimates of :math:`\mathrm{Inf}_i(f)` for the given coordinates.

    ``n_samples`` points per coordinate.  Returns a :class:`MonteCarloResult`
    whose ``statistic`` and interval ends are arrays aligned with ``coordinates``.
    """
    n_vars, n_samples, confidence_level, batch_size = _check_mc_args(
        func, n_vars, n_samples, confidence_level, batch_size)
    if coordinates is None:
        coordinates = range(n_vars)
    coords = [check_int("coordinates element", j, low=0, high=n_vars - 1) for j in coordinates]
    if not coords:
        raise ValueError("coordinates must name at least one coordinate; got an empty sequence")
    check_memory(8 * n_samples * len(coords), f"{n_samples} Monte Carlo samples for each of "
                 f"{len(coords)} coordinates", None, hint="use fewer n_samples or coordinates",
                 settable=False)
    rng = np.random.default_rng(rng)
    samples = np.empty((len(coords), n_samples))
    for row, j in enumerate(coords):
        def draw(m, rng, j=j):
            X = sample_uniform(m, n_vars, rng=rng)
            Y = X.copy()
            Y[:, j] *= -1
            return 0.25 * (_eval(func, X) - _eval(func, Y)) ** 2
        samples[row] = _batched(n_samples, batch_size, rng, draw)
    return mean_estimate(samples, confidence_level, axis=1)
