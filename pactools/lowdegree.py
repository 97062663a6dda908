r"""The low-degree algorithm (P2 Lemma 2.3, THEORY.md §A.6, §C.2): regression on monomials.

The features are the characters :math:`\chi_T(x)=\prod_{j\in T}x_j` with
:math:`|T|\le d`, :math:`\sum_{j\le d}\binom nj` of them.  Two estimators:

* ``"correlation"`` — the classic low-degree (LMN) estimator
  :math:`\tilde f(T)=\frac1N\sum_i y_i\chi_T(x_i)`, unbiased for :math:`\hat f(T)`
  under the uniform distribution;
* ``"least_squares"`` — linear regression on the monomials (Lemma 2.3's
  "polynomial regression"), solved by the normal equations and a Cholesky
  factorisation (THEORY/PERFORMANCE: 4–7× faster than ``lstsq`` at equal accuracy
  for well-conditioned ±1 designs).

Because the monomials are orthonormal under the uniform distribution, the
population error of any fitted polynomial against a target with known
spectrum is exact: :math:`\|\tilde h-h\|_2^2=\sum_{|T|\le d}(\tilde h(T)-\hat h(T))^2+\mathrm{tail}_{>d}(h)`
(:func:`population_error`).
"""
from __future__ import annotations

from math import comb

import numpy as np
import scipy.linalg as sla

from ._estimator import RegressorMixin
from ._validation import (NotFittedError, PactoolsWarning, check_data, check_int, check_memory,
                          check_pm1)

__all__ = ["n_monomials", "monomial_subsets", "monomial_features", "LowDegreeRegressor",
           "population_error", "RankDeficientWarning"]


def n_monomials(n_vars, degree):
    r"""Number of monomials of degree at most ``degree`` in ``n_vars`` variables, :math:`\sum_{j\le d}\binom nj`.

    >>> n_monomials(20, 3)
    1351
    """
    n_vars = check_int("n_vars", n_vars, low=1)
    degree = check_int("degree", degree, low=0, high=n_vars)
    return sum(comb(n_vars, j) for j in range(degree + 1))


def _structure(n_vars, degree):
    """Bitmasks, parents and appended variables of the monomials, degree by degree.

    Monomial ``i`` of degree ``j >= 1`` is ``parent[i]`` (degree ``j-1``) times
    ``x[var[i]]``, with ``var[i]`` larger than every variable of the parent, so
    each monomial appears once, in graded lexicographic order.
    """
    masks = [np.zeros(1, dtype=np.int64)]
    parents = [np.full(1, -1, dtype=np.int64)]
    varsl = [np.full(1, -1, dtype=np.int64)]
    top = np.full(1, -1, dtype=np.int64)        # largest variable of each monomial
    offset = 0
    for _ in range(degree):
        cur = masks[-1]
        counts = n_vars - 1 - top                # children of each monomial of this degree
        par = np.repeat(np.arange(cur.size), counts)
        first = np.repeat(np.cumsum(counts) - counts, counts)
        v = top[par] + 1 + (np.arange(par.size) - first)
        masks.append(cur[par] | (np.int64(1) << v))
        parents.append(par + offset)
        varsl.append(v)
        offset += cur.size
        top = v
    return np.concatenate(masks), np.concatenate(parents), np.concatenate(varsl)


def monomial_subsets(n_vars, degree):
    """The subsets ``T`` (``|T| <= degree``) as bitmasks, in the column order of the features.

    >>> monomial_subsets(3, 2)
    array([0, 1, 2, 4, 3, 5, 6])
    """
    n_vars = check_int("n_vars", n_vars, low=1, high=62)
    degree = check_int("degree", degree, low=0, high=n_vars)
    return _structure(n_vars, degree)[0]


def monomial_features(X, degree, *, dtype=np.float64, max_bytes=None):
    r"""The design matrix :math:`\Phi_{iT}=\chi_T(x_i)`, ``|T| <= degree``, Fortran-ordered.

    Built feature-major, one prefix product per column (a degree-``j`` column is
    a degree-``j-1`` column times one variable), which writes each column once
    with no temporaries (PERFORMANCE.md).  The memory,
    ``n_samples * n_monomials * itemsize`` bytes, is checked before allocating.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_vars)
        Points of ``{-1,1}^n_vars``.
    degree : int
        Largest monomial degree ``d``.
    dtype : dtype, optional
        float64 (default) or float32; the entries are ±1 either way.
    """
    return _features(_check_cube_points(X), degree, dtype, max_bytes)


def _check_dtype(dtype):
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"dtype must be float64 or float32; got {dtype}")
    return dtype


def _features(X, degree, dtype, max_bytes):
    """:func:`monomial_features` on ``X`` already checked to be float64 cube points."""
    N, n = X.shape
    degree = check_int("degree", degree, low=0, high=n)
    masks, parents, var = _structure(n, degree)
    F = masks.size
    dtype = _check_dtype(dtype)
    check_memory(N * F * dtype.itemsize, f"monomial features ({N} x {F})", max_bytes)
    Phi = np.empty((N, F), dtype=dtype, order="F")
    Phi[:, 0] = 1
    Xc = np.asfortranarray(X, dtype=dtype)
    for i in range(1, F):                    # a loop over features, each a vector op over N rows
        np.multiply(Phi[:, parents[i]], Xc[:, var[i]], out=Phi[:, i])
    return Phi


#: below this reciprocal condition number of the Gram matrix (LAPACK ``dpocon``
#: estimate) the normal equations are not trusted: cond(Phi) > 1e4 or rank deficiency
RCOND_MIN = 1e-8


class RankDeficientWarning(PactoolsWarning):
    """The monomials are linearly dependent on the sample: the fit is the minimum-norm
    least-squares solution, and the monomials' coefficients are not identifiable."""


def _least_squares(Phi, yy, y, weights=None):
    """Normal equations + Cholesky when the Gram matrix is well conditioned (a rank test
    by LAPACK's condition estimate, not a failed factorisation); otherwise SVD ``lstsq``,
    the minimum-norm solution, with a :class:`RankDeficientWarning` if the rank is short.

    With ``weights`` (the multiplicities of distinct points), ``Phi`` holds the distinct
    points and ``yy`` the sums of their labels: the Gram matrix ``Phi.T @ diag(w) @ Phi``
    is then a sum of integers, exact in float64, and the least-squares problem is
    ``||sqrt(w) Phi c - yy / sqrt(w)||``, which has the normal equations and the
    minimum-norm solution of the problem on every sample.
    """
    from scipy.linalg import lapack
    if weights is None:
        G = (Phi.T @ Phi).astype(np.float64)       # syrk on the Fortran-ordered design
    else:
        G = Phi.T @ (Phi * weights[:, None])
    c, info = lapack.dpotrf(G, lower=0, clean=1)
    if info == 0:
        rcond, _ = lapack.dpocon(c, np.linalg.norm(G, 1))
        if rcond >= RCOND_MIN:
            return sla.cho_solve((c, False), (yy @ Phi).astype(np.float64), check_finite=False)
    if weights is None:
        A, b = Phi.astype(np.float64), y
    else:
        root = np.sqrt(weights)
        A, b = Phi * root[:, None], yy / root
    coef, _, rank, _ = np.linalg.lstsq(A, b, rcond=None)
    if rank < Phi.shape[1]:
        import warnings
        warnings.warn(f"the {Phi.shape[1]} monomials have rank {rank} on this sample: the fit "
                      "is the minimum-norm least-squares solution", RankDeficientWarning,
                      stacklevel=3)
    return coef


def _distinct_points(X, y):
    """The distinct rows of ``X`` (cube points, ``2**n <= n_samples``), their
    multiplicities and the sums of their labels, in the order of their bit codes
    (bit ``j`` set where ``x_j = -1``): one pass of ``bincount``, no sort."""
    n = X.shape[1]
    codes = np.zeros(X.shape[0], dtype=np.int64)
    for j in range(n):
        codes |= (X[:, j] < 0).astype(np.int64) << j
    counts = np.bincount(codes, minlength=1 << n)
    sums = np.bincount(codes, weights=y, minlength=1 << n)
    seen = np.flatnonzero(counts)
    bits = (seen[:, None] >> np.arange(n)) & 1
    return 1.0 - 2.0 * bits, counts[seen].astype(np.float64), sums[seen]


def _check_cube_points(X, y=None, dim=None, *, fitting=False):
    """``X`` as float64 points of the cube (``y`` too, when fitting), refused by name."""
    out = check_data(X, y, dim, estimator="LowDegreeRegressor", fitting=fitting)
    check_pm1("X", out[0] if fitting else out)
    return out


def population_error(coef, subsets, coeffs_true):
    r"""Exact :math:`\|p-h\|_2^2` under the uniform distribution.

    ``p = sum_T coef[T] chi_T`` over ``subsets``; ``coeffs_true`` is the full
    spectrum of ``h`` (length ``2**n``, e.g. :func:`pactools.fourier_coefficients`).
    By Parseval, :math:`\|p-h\|^2=\sum_{T\in\text{subsets}}(p_T-\hat h(T))^2+\sum_{T\notin}\hat h(T)^2`.
    Multiply by ½ for P2's loss :math:`\ell=\tfrac12(\hat y-y)^2`.
    """
    c = np.asarray(coeffs_true, dtype=np.float64)
    subsets = np.asarray(subsets, dtype=np.int64)
    coef = np.asarray(coef, dtype=np.float64)
    if coef.shape != subsets.shape:
        raise ValueError(f"coef and subsets must have the same shape; got {coef.shape} and "
                         f"{subsets.shape}")
    if subsets.size and (subsets.min() < 0 or subsets.max() >= c.size):
        raise ValueError(f"subsets must index coeffs_true (length {c.size})")
    on = c[subsets]
    return float(np.sum((coef - on) ** 2) + (np.sum(c * c) - np.sum(on * on)))


class LowDegreeRegressor(RegressorMixin):
    """Low-degree algorithm: regression on the monomials of degree ``<= degree``.

    Follows the scikit-learn estimator contract (``fit`` returns ``self``;
    learned attributes end in ``_``; ``get_params``/``set_params``), without
    depending on scikit-learn.

    Parameters
    ----------
    degree : int, default 2
        Largest degree ``d``.
    method : {"least_squares", "correlation"}, default "least_squares"
        Normal equations + Cholesky, or the correlation (LMN) estimator
        ``coef_[T] = mean(y * chi_T(x))``.
    dtype : {float64, float32}, default float64
        Precision of the design matrix.  When ``n_samples >= 2**n_features`` the fit
        runs on the distinct points, weighted by their multiplicities, in float64
        whatever ``dtype`` is (a ``2**n``-row design at most, and an integer Gram matrix,
        exact): the same normal equations as on every sample, at a fraction of the cost.
    max_bytes : int, optional
        Memory budget for the design matrix (default 4 GiB).

    Attributes
    ----------
    coef_ : ndarray, shape (``n_monomials_``,)
        Estimated coefficient of each monomial.
    subsets_ : ndarray of int64
        The monomials as bitmasks, aligned with ``coef_`` (index ``T`` of
        :func:`pactools.fourier_coefficients`).
    n_features_in_, n_monomials_ : int

    Examples
    --------
    >>> from pactools import sample_uniform
    >>> X = sample_uniform(2000, 6, rng=0)
    >>> y = X[:, 0] * X[:, 1] + 0.5 * X[:, 2]
    >>> est = LowDegreeRegressor(degree=2).fit(X, y)
    >>> round(est.coefficient([0, 1]), 9), round(est.coefficient([2]), 9)
    (1.0, 0.5)
    """

    _methods = ("least_squares", "correlation")
    _param_names = ("degree", "method", "dtype", "max_bytes")

    def __init__(self, degree=2, method="least_squares", *, dtype=np.float64, max_bytes=None):
        self.degree = degree
        self.method = method
        self.dtype = dtype
        self.max_bytes = max_bytes

    def __repr__(self):
        return f"LowDegreeRegressor(degree={self.degree!r}, method={self.method!r})"

    def fit(self, X, y):
        """Fit on samples ``X`` (``±1`` rows) and real labels ``y``; returns ``self``."""
        X, y = _check_cube_points(X, y, fitting=True)
        n = X.shape[1]
        if n > 62:
            raise ValueError(f"X must have at most 62 variables (columns): subsets_ indexes the "
                             f"monomials by int64 bitmasks; got n_features = {n}")
        d = check_int("degree", self.degree, low=0)
        if d > n:
            raise ValueError(f"degree must be at most X's number of variables (n_features = {n});"
                             f" got {d}")
        if self.method not in self._methods:
            raise ValueError(f"method must be one of {self._methods}; got {self.method!r}")
        _check_dtype(self.dtype)      # also where the distinct points are fitted in float64
        N, F = X.shape[0], n_monomials(n, d)
        if self.method == "least_squares" and N < F:
            raise ValueError(f"least_squares needs n_samples >= n_monomials = {F}; got "
                             f"n_samples = {N} (use method='correlation' or more samples)")
        if N >= 1 << n:            # every point repeats on average: fit the distinct ones
            Xd, weights, yy = _distinct_points(X, y)
            Phi = _features(Xd, d, np.float64, self.max_bytes)
        else:
            weights = None
            Phi = _features(X, d, self.dtype, self.max_bytes)
            yy = y.astype(Phi.dtype)
        if self.method == "correlation":
            coef = (yy @ Phi) / N
        else:
            coef = _least_squares(Phi, yy, y, weights)
        self.coef_ = np.asarray(coef, dtype=np.float64)
        self.subsets_ = _structure(n, d)[0]
        self.n_features_in_ = n
        self.n_monomials_ = F
        return self

    def _check_fitted(self):
        if not hasattr(self, "coef_"):
            raise NotFittedError("this LowDegreeRegressor is not fitted yet; call fit(X, y) first")

    def predict(self, X):
        """The fitted polynomial at the rows of ``X``."""
        self._check_fitted()
        X = _check_cube_points(X, dim=self.n_features_in_)
        out = np.empty(X.shape[0])
        step = max(1, (1 << 24) // self.n_monomials_)
        for start in range(0, X.shape[0], step):
            Phi = _features(X[start:start + step], self.degree, np.float64, self.max_bytes)
            out[start:start + step] = Phi @ self.coef_
        return out

    def coefficient(self, subset):
        """The fitted coefficient of ``chi_T`` (``T`` a sequence of coordinates), 0 if absent."""
        self._check_fitted()
        mask = 0
        for j in subset:
            mask |= 1 << check_int("subset element", j, low=0, high=self.n_features_in_ - 1)
        hit = np.flatnonzero(self.subsets_ == mask)
        return float(self.coef_[hit[0]]) if hit.size else 0.0

    def population_error(self, coeffs_true):
        r"""Exact :math:`\|\tilde h-h\|_2^2` against a target with spectrum ``coeffs_true`` (§C.2)."""
        self._check_fitted()
        c = np.asarray(coeffs_true)
        if c.size != 1 << self.n_features_in_:
            raise ValueError(f"coeffs_true must have length 2**{self.n_features_in_}; "
                             f"got {c.size}")
        return population_error(self.coef_, self.subsets_, c)
