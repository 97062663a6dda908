r"""Locality-sensitive hashing for P1 (Baykal et al. 2022), THEORY.md §B.2, §B.3, §B.5, §C.3.

* :class:`EuclideanLSH` — Datar et al.'s hash :math:`h_i(x)=\lfloor(a_i^\top x+b_i)/w\rfloor`
  with Gaussian :math:`a_i` and :math:`b_i\sim U[0,w]` (P1 §2.2, ``bucket_width`` = P1's
  :math:`\epsilon_{LSH}`); the bucket of ``x`` is the integer vector of the ``D`` hashes.
* :class:`SignLSH` — P1's sign-pattern hashes, ``n_bits`` hyperplanes per table and
  ``n_tables`` tables (the model :math:`\mathsf{LSH}(d,s,m)`).

Bucket codes become compact ids (``0..n_buckets-1``) by mixing each row into
one int64 and :func:`numpy.unique` with ``return_inverse`` (PERFORMANCE.md: 65 ms
for 10⁶ rows, against 5 s for ``unique(axis=0)``); the mixing is then
**verified** (rows with equal keys must have equal codes), so ids are exact.

Bucket statistics: :func:`bucket_sizes`, :func:`max_bucket_distance` (largest
distance between two sample points sharing a bucket, vectorised over all
within-bucket pairs), :func:`certified_diameter` (Lemma 4.2's
:math:`w\sqrt D/\sigma_{\min}(AU)`) and :func:`bucket_polytope_diameter`
(exact diameter of a bucket cell inside :math:`\Gamma` for ``k <= 3``, by vertex
enumeration).
"""
from __future__ import annotations

import warnings
from itertools import combinations

import numpy as np

from ._estimator import RegressorMixin
from ._validation import (NotFittedError, check_data, check_int, check_matrix, check_memory,
                          check_orthonormal, check_real, check_real_array)
from .fourier import _blas_single_thread

__all__ = ["EuclideanLSH", "SignLSH", "LSHRegressor", "RandomHashRouter", "certified_lsh",
           "compact_ids", "bucket_counts", "bucket_sizes", "max_bucket_distance", "certified_diameter",
           "bucket_polytope_diameter", "sigma_k"]

def _check_X(X, dim):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != dim:
        raise ValueError(f"X must have shape (n_points, {dim}); got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite")
    return X


_MULTIPLIERS = (np.random.default_rng(0x5EED).integers(1, 2**62, size=4096, dtype=np.int64) * 2
                + 1).view(np.uint64)


def _mix_rows(codes):
    """One uint64 key per row of an integer matrix: a random odd-weighted sum, then avalanche.

    Different rows may share a key in principle; :func:`compact_ids` verifies.
    """
    c = np.ascontiguousarray(codes).astype(np.int64, copy=False).view(np.uint64)
    if c.shape[1] > _MULTIPLIERS.size:
        raise ValueError(f"at most {_MULTIPLIERS.size} code columns; got {c.shape[1]}")
    with np.errstate(over="ignore"):
        key = c @ _MULTIPLIERS[:c.shape[1]]
    return _avalanche(key)


_MIX_BLOCK = 1 << 16    # values mixed per in-cache block by _avalanche


def _avalanche(key):
    """splitmix64's finaliser, in place on a uint64 array (wraps modulo 2**64); returns it.

    A C-contiguous array is mixed in blocks of ``2**16`` values, each through all five steps
    while it is in cache (at 2**24 values: 46 against 150 ms for whole-array passes); the
    shifts go through one scratch block, so no temporary is allocated per step."""
    flat = key.reshape(-1) if key.flags.c_contiguous else None
    blocks = [key] if flat is None else [flat[s:s + _MIX_BLOCK]
                                         for s in range(0, flat.size, _MIX_BLOCK)]
    scratch = np.empty(max(b.size for b in blocks) if blocks else 0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for block in blocks:
            tmp = scratch[:block.size].reshape(block.shape)
            for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB),
                                  (31, None)):
                np.right_shift(block, np.uint64(shift), out=tmp)
                block ^= tmp
                if factor is not None:
                    block *= np.uint64(factor)
    return key


def compact_ids(codes):
    """Exact compact bucket ids of the rows of an integer code matrix.

    Returns ``(ids, keys, first)``: ``ids[i]`` in ``0..n_buckets-1`` (equal iff the
    code rows are equal), the sorted uint64 key of each bucket, and the index of
    one row per bucket.  Raises ``RuntimeError`` on a key collision (two different
    code rows with one 64-bit key), which the verification pass would detect.
    """
    codes = np.asarray(codes)
    if codes.ndim != 2 or not np.issubdtype(codes.dtype, np.integer):
        raise ValueError(f"codes must be a 2-d integer array; got shape {codes.shape} of dtype "
                         f"{codes.dtype} (float codes would be truncated)")
    key = _mix_rows(codes)
    keys, first, ids = np.unique(key, return_index=True, return_inverse=True)
    if not np.array_equal(codes, codes[first][ids]):
        raise RuntimeError("64-bit key collision between different bucket codes")
    return ids.astype(np.int64), keys, first


class EuclideanLSH:
    r"""Euclidean LSH (Datar et al. 2004; P1 §2.2, THEORY §B.3).

    Parameters
    ----------
    dim : int
        Input dimension ``d``.
    n_projections : int
        Number of hashes ``D`` (Lemma 4.2 uses ``D = C k``).
    bucket_width : float
        Bucket width :math:`\epsilon_{LSH}>0` (not P1's hidden width ``t``).
    rng : seed or Generator
        Draws :math:`a_i\sim\mathcal N(0,I_d)` and :math:`b_i\sim U[0,w]`.

    Examples
    --------
    >>> lsh = EuclideanLSH(3, 4, 0.5, rng=0)
    >>> lsh.hash(np.zeros((2, 3))).tolist()
    [[0, 0, 0, 0], [0, 0, 0, 0]]
    """

    def __init__(self, dim, n_projections, bucket_width, *, rng=None):
        self.dim = check_int("dim", dim, low=1)
        self.n_projections = check_int("n_projections", n_projections, low=1)
        self.bucket_width = check_real("bucket_width", bucket_width, low=0.0, low_open=True)
        rng = np.random.default_rng(rng)
        self.projections = rng.standard_normal((self.n_projections, self.dim))
        self.offsets = rng.uniform(0.0, self.bucket_width, size=self.n_projections)

    def __repr__(self):
        return (f"EuclideanLSH(dim={self.dim}, n_projections={self.n_projections}, "
                f"bucket_width={self.bucket_width:.4g})")

    def hash(self, X, *, max_bytes=None):
        """Integer codes ``floor((A x + b) / width)``, shape ``(n_points, n_projections)``."""
        X = _check_X(X, self.dim)
        check_memory(8 * X.shape[0] * self.n_projections, "LSH codes", max_bytes)
        with _blas_single_thread():        # tall-skinny products: 1 thread is ~3x faster here
            z = X @ self.projections.T
        z += self.offsets
        z /= self.bucket_width
        return np.floor(z, out=z).astype(np.int64)

    def buckets(self, X):
        """Compact bucket ids of the rows of ``X`` (see :func:`compact_ids`)."""
        return compact_ids(self.hash(X))[0]

    def set_bucket_width(self, bucket_width):
        r"""Change the width in place, keeping the projections and the offsets' uniform draws.

        The offsets scale with the width (:math:`b_i=w\,U_i`), so a width sweep reuses
        one draw of :math:`(a_i, U_i)`.  Returns ``self``.
        """
        bucket_width = check_real("bucket_width", bucket_width, low=0.0, low_open=True)
        self.offsets = self.offsets * (bucket_width / self.bucket_width)
        self.bucket_width = bucket_width
        return self

    @property
    def flops(self):
        """Multiply-adds of one hash evaluation: ``D * d`` (plus ``D`` divisions)."""
        return self.n_projections * self.dim


class SignLSH:
    r"""P1's sign-pattern LSH :math:`\mathsf{LSH}(d,s,m)`: ``n_tables`` tables of ``n_bits`` hyperplanes.

    Bucket of ``x`` in table ``t``: the bits :math:`1\{g_{t,i}^\top x>0\}`, packed
    into one integer (``n_bits <= 62``).
    """

    def __init__(self, dim, n_bits, n_tables=1, *, rng=None):
        self.dim = check_int("dim", dim, low=1)
        self.n_bits = check_int("n_bits", n_bits, low=1, high=62)
        self.n_tables = check_int("n_tables", n_tables, low=1)
        rng = np.random.default_rng(rng)
        self.hyperplanes = rng.standard_normal((self.n_tables, self.n_bits, self.dim))

    def __repr__(self):
        return f"SignLSH(dim={self.dim}, n_bits={self.n_bits}, n_tables={self.n_tables})"

    def hash(self, X):
        """Packed sign patterns, shape ``(n_points, n_tables)``, values in ``[0, 2**n_bits)``."""
        X = _check_X(X, self.dim)
        weights = np.int64(1) << np.arange(self.n_bits, dtype=np.int64)
        out = np.empty((X.shape[0], self.n_tables), dtype=np.int64)
        with _blas_single_thread():
            for t in range(self.n_tables):   # a loop over tables, vectorised over points
                out[:, t] = (X @ self.hyperplanes[t].T > 0).astype(np.int64) @ weights
        return out

    @property
    def flops(self):
        """Multiply-adds of one forward hash over all tables: ``n_tables * n_bits * d``."""
        return self.n_tables * self.n_bits * self.dim


def bucket_counts(hashers, X, bucket_widths):
    """Non-empty buckets of the rows of ``X``, summed over ``hashers``, at each width.

    Each :class:`EuclideanLSH` in ``hashers`` is set to every width in turn
    (:meth:`EuclideanLSH.set_bucket_width`, so one draw serves the whole sweep) and is left at
    the last one.  Returns a list of ints, one per width.
    """
    widths = check_real_array("bucket_widths", bucket_widths, low=0.0, low_open=True)
    if widths.ndim != 1:
        raise ValueError(f"bucket_widths must be a 1-d sequence; got shape {widths.shape}")
    if not all(isinstance(h, EuclideanLSH) for h in hashers):
        raise TypeError("hashers must be a sequence of EuclideanLSH")
    counts = []
    for w in widths.tolist():
        counts.append(sum(int(compact_ids(h.set_bucket_width(w).hash(X))[1].size)
                          for h in hashers))
    return counts


def bucket_sizes(ids):
    """Number of points in each bucket (``np.bincount`` of compact ids)."""
    return np.bincount(_check_ids(ids))


def _check_ids(ids, n=None):
    a = np.asarray(ids)
    if a.ndim != 1 or not np.issubdtype(a.dtype, np.integer) or (a.size and a.min() < 0):
        raise ValueError(f"ids must be a 1-d array of non-negative integers (compact bucket "
                         f"ids); got shape {a.shape} of dtype {a.dtype}")
    if n is not None and a.shape != (n,):
        raise ValueError(f"ids must have shape ({n},), one per row of X; got {a.shape}")
    return a.astype(np.int64, copy=False)


def max_bucket_distance(X, ids, *, max_pairs=1 << 24, max_bytes=None):
    """Largest Euclidean distance between two rows of ``X`` that share a bucket, per bucket.

    All within-bucket pairs are formed by index arithmetic on the points sorted
    by bucket (no loop over buckets) and processed in chunks of ``max_pairs``.
    The total work is ``sum(size**2) / 2`` distances; it is estimated first.

    Returns
    -------
    diam : ndarray, shape (n_buckets,)
        0 for buckets with one point.
    """
    X = check_matrix("X", X)
    ids = _check_ids(ids, X.shape[0])
    order = np.argsort(ids, kind="stable")
    sizes = np.bincount(ids)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    n_pairs = sizes * (sizes - 1) // 2
    total = int(n_pairs.sum())
    check_memory(8 * 4 * min(total, max_pairs), "within-bucket pairs (one chunk)", max_bytes)
    diam = np.zeros(sizes.size)
    Xs = X[order]
    # pair p of bucket b: enumerate (i, j), i < j, inside the bucket's slice
    bucket_of_pair = np.repeat(np.arange(sizes.size), n_pairs)
    pair_start = np.concatenate([[0], np.cumsum(n_pairs)[:-1]])
    for lo in range(0, total, max_pairs):
        hi = min(total, lo + max_pairs)
        b = bucket_of_pair[lo:hi]
        r = np.arange(lo, hi) - pair_start[b]            # rank of the pair inside its bucket
        m = sizes[b]
        # invert r = i*(2m - i - 1)/2 + (j - i - 1) for i < j < m
        i = np.floor(((2 * m - 1) - np.sqrt((2 * m - 1) ** 2 - 8.0 * r)) / 2).astype(np.int64)
        i = np.where(i * (2 * m - i - 1) // 2 > r, i - 1, i)
        i = np.where((i + 1) * (2 * m - i - 2) // 2 <= r, i + 1, i)
        j = r - i * (2 * m - i - 1) // 2 + i + 1
        d = np.linalg.norm(Xs[starts[b] + i] - Xs[starts[b] + j], axis=1)
        np.maximum.at(diam, b, d)
    return diam


def certified_diameter(lsh, basis):
    r"""Lemma 4.2's bound on the diameter of any bucket inside :math:`\mathrm{span}(U)`.

    Same bucket gives :math:`\|AU(z_1-z_2)\|_\infty<w`, so
    :math:`\|x_1-x_2\|=\|z_1-z_2\|\le w\sqrt D/\sigma_{\min}(AU)` for orthonormal ``U``
    (THEORY §B.5 with the corrected :math:`\sqrt{D}`).  Returns ``(bound, sigma_min)``.

    :math:`\sigma_{\min}` is the ``k``-th singular value of the ``D x k`` map :math:`AU`:
    with fewer projections than the subspace's dimension (``D < k``), or a map of
    numerical rank below ``k``, it is 0 — a direction of the subspace moves no hash —
    and the bound is infinite: no diameter is certified.
    """
    U = _orthonormal(basis, lsh.dim)
    smin = sigma_k(lsh.projections @ U)
    if smin == 0:
        return np.inf, 0.0
    return lsh.bucket_width * np.sqrt(lsh.n_projections) / smin, smin


def sigma_k(M):
    """The ``k``-th singular value of a ``D x k`` matrix (``k`` = its number of columns);
    0 when ``D < k`` or the numerical rank (numpy's default tolerance) is below ``k``."""
    M = check_matrix("M", M)
    D, k = M.shape
    if D < k:
        return 0.0
    sv = np.linalg.svd(M, compute_uv=False)
    tol = sv.max(initial=0.0) * max(D, k) * np.finfo(np.float64).eps
    return float(sv[k - 1]) if sv[k - 1] > tol else 0.0


def _orthonormal(basis, dim):
    return check_orthonormal("basis", basis, dim)


def bucket_polytope_diameter(lsh, basis, code):
    r"""Exact diameter of one bucket's cell inside :math:`\Gamma=\mathrm{span}(U)\cap[-1,1]^d`.

    In coordinates ``z`` (``x = U z``) the closed cell is the polytope
    :math:`\{w\,c_i\le(AUz)_i+b_i\le w(c_i+1),\ -1\le(Uz)_l\le1\}`; its diameter is
    attained at two vertices.  Vertices are enumerated by solving every ``k x k``
    subsystem of active constraints (``k <= 3``), batched.  Returns 0.0 for an
    empty cell.
    """
    U = _orthonormal(basis, lsh.dim)
    k = U.shape[1]
    check_int("intrinsic dimension (basis columns)", k, low=1, high=3)
    code = np.asarray(code, dtype=np.float64).reshape(-1)
    if code.size != lsh.n_projections:
        raise ValueError(f"code must have {lsh.n_projections} entries; got {code.size}")
    AU = lsh.projections @ U
    # constraints G z <= h
    G = np.vstack([AU, -AU, U, -U])
    w = lsh.bucket_width
    h = np.concatenate([w * (code + 1) - lsh.offsets, -(w * code - lsh.offsets),
                        np.ones(lsh.dim), np.ones(lsh.dim)])
    combos = np.array(list(combinations(range(G.shape[0]), k)))
    Gs = G[combos]
    hs = h[combos]
    det = np.linalg.det(Gs)
    ok = np.abs(det) > 1e-12
    Z = np.linalg.solve(Gs[ok], hs[ok][..., None])[..., 0]
    feas = np.all(Z @ G.T <= h + 1e-9 * (1 + np.abs(h)), axis=1)
    V = Z[feas]
    if V.shape[0] == 0:
        return 0.0
    diff = V[:, None, :] - V[None, :, :]
    return float(np.sqrt(np.max(np.einsum("ijk,ijk->ij", diff, diff))))


def certified_lsh(dim, n_projections, diameter, basis, *, rng=None):
    r"""A Euclidean LSH whose buckets have diameter ``<= diameter`` inside ``span(basis)``.

    The projections are drawn first; then the width is set to
    :math:`\text{diameter}\cdot\sigma_{\min}(AU)/\sqrt D`, so Lemma 4.2's bound
    :func:`certified_diameter` equals ``diameter`` for this draw (THEORY §C.3, the
    Theorem 4.1 learner).  With ``basis = I_d`` (``n_projections >= dim``) the bound
    holds in all of :math:`\mathbb R^d`.
    """
    diameter = check_real("diameter", diameter, low=0.0, low_open=True)
    k = _orthonormal(basis, check_int("dim", dim, low=1)).shape[1]
    if check_int("n_projections", n_projections, low=1) < k:
        raise ValueError(f"n_projections must be >= the subspace dimension k = {k} for a "
                         f"certified bucket diameter (fewer projections leave a direction "
                         f"unhashed); got {n_projections}")
    lsh = EuclideanLSH(dim, n_projections, 1.0, rng=rng)
    _, smin = certified_diameter(lsh, basis)
    if smin <= 0:
        raise ValueError(f"the {n_projections} x {k} projected map A U has rank < {k} for this "
                         "draw: no bucket diameter can be certified")
    return lsh.set_bucket_width(diameter * smin / np.sqrt(lsh.n_projections))


class RandomHashRouter:
    """P1 App. D.1's random-hash routing: a bucket from a hash of the rounded input bytes.

    Nearby points land in unrelated buckets (the negative control of Theorem 4.1).
    ``decimals`` sets the rounding; ``n_buckets`` the table size; ``rng`` (an int, a
    ``numpy.random.Generator`` or None) picks the hash's salt.
    """

    def __init__(self, n_buckets, *, decimals=3, rng=0):
        self.n_buckets = check_int("n_buckets", n_buckets, low=1)
        self.decimals = check_int("decimals", decimals, low=0, high=15)
        # an integer is the salt itself; a generator (or None) draws one
        self.seed = (int(rng) if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)
                     else int(np.random.default_rng(rng).integers(2 ** 62)))

    def hash(self, X):
        R = np.round(np.asarray(X, dtype=np.float64) * 10.0 ** self.decimals).astype(np.int64)
        key = _mix_rows(np.hstack([R, np.full((R.shape[0], 1), self.seed, dtype=np.int64)]))
        return (key % np.uint64(self.n_buckets)).astype(np.int64)[:, None]


def _in_span(X, Q):
    """Whether every row of ``X`` lies in the column span of the orthonormal ``Q`` (to
    round-off): then distances between rows equal distances between their coordinates."""
    if X.shape[0] == 0 or Q.ndim != 2 or Q.shape[0] != X.shape[1]:
        return False
    resid = X - (X @ Q) @ Q.T
    return bool(np.max(np.abs(resid)) <= 1e-9 * max(1.0, float(np.max(np.abs(X)))))


class LSHRegressor(RegressorMixin):
    r"""One stored value per LSH bucket (P1 Theorem 4.1's learner), scikit-learn contract.

    Parameters
    ----------
    n_projections : int
        Hashes per table ``D``.
    bucket_width : float, optional
        Bucket width :math:`\epsilon_{LSH}` (not P1's hidden width ``t``, THEORY.md §0.3).
        Give either ``bucket_width`` or ``diameter``.
    diameter : float, optional
        Certified bucket diameter inside ``span(basis)`` (e.g. :math:`\epsilon/L`); the
        width is then set per table from the drawn projections (:func:`certified_lsh`).
    basis : array_like, optional
        Orthonormal basis of the input subspace (required with ``diameter``; ``None``
        means :math:`I_d`, needing ``n_projections >= dim``).
    n_tables : int, default 1
        Independent tables; a prediction averages the tables whose bucket was seen.
    fallback : {"nearest", "none"}
        For points no table has seen: the value of the nearest training point
        (:class:`scipy.spatial.cKDTree`), or NaN.  When the training points lie in
        ``span(basis)`` the tree is built on their ``k`` coordinates in the basis (the
        same distances, since the basis is orthonormal, at the cost of a ``k``-dim
        search); query points off the span are searched in all ``d`` coordinates.
    router : object with ``hash(X)``, optional
        Replace the Euclidean LSH by another routing (e.g. :class:`RandomHashRouter`).
    rng : int, numpy.random.Generator or None
        The projections' generator (THEORY.md §0.3's one name for it).
    random_state : deprecated
        The former name of ``rng`` (accepted with a ``DeprecationWarning``).

    Attributes
    ----------
    tables_ : list of (hasher, sorted keys, stored codes, stored values)
    n_buckets_ : int
        Non-empty buckets summed over tables (the table size).
    forward_flops_ : int
        Multiply-adds of one forward pass: ``n_tables * D * d`` (plus ``n_tables * D``
        divisions and a binary search per table; the fallback is not counted).
    """

    _param_names = ("n_projections", "bucket_width", "diameter", "basis", "n_tables", "fallback",
                    "router", "rng", "random_state")

    def __init__(self, n_projections=8, *, bucket_width=None, diameter=None, basis=None,
                 n_tables=1,
                 fallback="nearest", router=None, rng=None, random_state=None):
        self.n_projections = n_projections
        self.bucket_width = bucket_width
        self.diameter = diameter
        self.basis = basis
        self.n_tables = n_tables
        self.fallback = fallback
        self.router = router
        self.rng = rng
        self.random_state = random_state

    def fit(self, X, y):
        """Store ``y`` of the first training point of every bucket; returns ``self``."""
        X, y = check_data(X, y, estimator="LSHRegressor")
        d = X.shape[1]
        D = check_int("n_projections", self.n_projections, low=1)
        T = check_int("n_tables", self.n_tables, low=1)
        if self.fallback not in ("nearest", "none"):
            raise ValueError(f'fallback must be "nearest" or "none"; got {self.fallback!r}')
        if self.router is None and (self.bucket_width is None) == (self.diameter is None):
            raise ValueError("give exactly one of bucket_width and diameter")
        if self.random_state is not None:
            if self.rng is not None:
                raise ValueError("give rng only (random_state is its deprecated former name); "
                                 f"got rng={self.rng!r} and random_state={self.random_state!r}")
            warnings.warn("LSHRegressor(random_state=...) is deprecated; use rng=...",
                          DeprecationWarning, stacklevel=2)
        rng = np.random.default_rng(self.rng if self.random_state is None else self.random_state)
        self.tables_ = []
        for _ in range(T):
            if self.router is not None:
                h = self.router
            elif self.bucket_width is not None:
                h = EuclideanLSH(d, D, self.bucket_width, rng=rng)
            else:
                basis = np.eye(d) if self.basis is None else self.basis
                h = certified_lsh(d, D, self.diameter, basis, rng=rng)
            codes = h.hash(X)
            _, keys, first = compact_ids(codes)
            self.tables_.append((h, keys, codes[first], y[first]))
        self.n_buckets_ = int(sum(t[1].size for t in self.tables_))
        self.forward_flops_ = 0 if self.router is not None else T * D * d
        self.n_features_in_ = d
        if self.fallback == "nearest":
            from scipy.spatial import cKDTree
            self._X, self._y, self._full_tree = X, y, None
            Q = None if self.basis is None else np.asarray(self.basis, dtype=np.float64)
            self._coords = Q if Q is not None and _in_span(X, Q) else None
            self._tree = cKDTree(X if self._coords is None else X @ Q)
        return self

    def _nearest(self, X):
        """Indices of the nearest training points of ``X`` (Euclidean, in R^d)."""
        Q = self._coords
        if Q is not None and _in_span(X, Q):
            return self._tree.query(X @ Q)[1]
        if Q is None:
            return self._tree.query(X)[1]
        if self._full_tree is None:
            from scipy.spatial import cKDTree
            self._full_tree = cKDTree(self._X)
        return self._full_tree.query(X)[1]

    def _lookup(self, table, X):
        h, keys, codes, vals = table
        c = h.hash(X)
        k = _mix_rows(c)
        pos = np.clip(np.searchsorted(keys, k), 0, keys.size - 1)
        hit = (keys[pos] == k) & np.all(codes[pos] == c, axis=1)
        return np.where(hit, vals[pos], 0.0), hit

    def predict(self, X, *, return_hit=False):
        """Predictions; with ``return_hit=True`` also whether some table had seen the bucket."""
        if not hasattr(self, "tables_"):
            raise NotFittedError("this LSHRegressor is not fitted yet; call fit(X, y) first")
        X = check_data(X, dim=self.n_features_in_, estimator="LSHRegressor", fitting=False)
        total = np.zeros(X.shape[0])
        count = np.zeros(X.shape[0])
        for t in self.tables_:
            v, hit = self._lookup(t, X)
            total += v
            count += hit
        hit = count > 0
        out = np.full(X.shape[0], np.nan)
        out[hit] = total[hit] / count[hit]
        if self.fallback == "nearest" and not np.all(hit):
            out[~hit] = self._y[self._nearest(X[~hit])]
        return (out, hit) if return_hit else out

