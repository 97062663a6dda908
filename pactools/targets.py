r"""Inputs and Lipschitz targets for P1 (Baykal et al. 2022), THEORY.md §B.4, §B.8, §B.10, §C.3.

* :func:`random_subspace` — an orthonormal basis ``U`` (``dim x k``): QR of a Gaussian
  matrix, or the span of ``k`` cube diagonals (as in Theorem 4.3).
* :func:`sample_subspace` — uniform samples on :math:`\Gamma=\{Uz:\|Uz\|_\infty\le1\}` by
  rejection from the bounding box of :math:`\Gamma` in ``z`` coordinates (vectorised,
  batched; the acceptance rate is reported).
* :func:`sample_manifold` — the curved manifold of §C.3, :math:`x=U\phi(z)`,
  :math:`\phi(z)_i=z_i+0.3\sin z_i`, scaled into the cube.
* Targets with a **known** Lipschitz constant (``.lipschitz``): :class:`DistanceTarget`
  (:math:`L\|x-x_0\|`), :class:`SineSumTarget`
  (:math:`\sum_ra_r\sin\langle g_r,x\rangle`, :math:`\sum|a_r|\|g_r\|=L`), and P1 §5's
  :class:`RandomPolynomial` and :class:`RandomHypercubeFunction` with their proven
  bounds, :meth:`measured_lipschitz` (largest gradient norm on samples), and their exact
  ``variance`` and zero-bias ``dense_floor`` under :math:`U([-1,1]^d)`;
  :class:`SubspacePolynomial` is App. D.2's :math:`p(Ax)` (P1-EXPERIMENTS.md §2.1).
"""
from __future__ import annotations

import functools
from itertools import combinations_with_replacement

import numpy as np

from ._validation import check_int, check_matrix, check_memory, check_orthonormal, check_real

__all__ = ["random_subspace", "subspace_box", "sample_subspace", "sample_manifold",
           "DistanceTarget", "SineSumTarget", "RandomPolynomial", "SubspacePolynomial",
           "RandomHypercubeFunction"]


def random_subspace(dim, intrinsic_dim, *, kind="orthonormal", rng=None):
    """Orthonormal basis ``U`` (shape ``(dim, intrinsic_dim)``) of a random ``k``-dim subspace.

    ``kind="orthonormal"``: QR of a Gaussian matrix.  ``kind="diagonals"``: the span of
    ``k`` random cube diagonals (sign vectors), orthonormalised — the subspace of
    P1's Theorem 4.3 construction.
    """
    d = check_int("dim", dim, low=1)
    k = check_int("intrinsic_dim", intrinsic_dim, low=1, high=d)
    rng = np.random.default_rng(rng)
    if kind == "orthonormal":
        M = rng.standard_normal((d, k))
    elif kind == "diagonals":
        M = random_diagonals(d, k, rng=rng)
    else:
        raise ValueError(f'kind must be "orthonormal" or "diagonals"; got {kind!r}')
    return span_basis(M)


def random_diagonals(dim, intrinsic_dim, *, rng=None):
    """``k`` linearly independent random cube diagonals: a ``(dim, k)`` matrix of signs."""
    d = check_int("dim", dim, low=1)
    k = check_int("intrinsic_dim", intrinsic_dim, low=1, high=d)
    rng = np.random.default_rng(rng)
    while True:
        M = rng.choice([-1.0, 1.0], size=(d, k))
        if np.linalg.matrix_rank(M) == k:
            return M


def span_basis(vectors):
    """Orthonormal basis (``dim x k``, QR with a positive diagonal) of the span of the
    columns of ``vectors``, which must be linearly independent."""
    M = np.asarray(vectors, dtype=np.float64)
    if M.ndim != 2 or np.linalg.matrix_rank(M) < M.shape[1]:
        raise ValueError(f"vectors must be a (dim, k) matrix of linearly independent columns; "
                         f"got shape {M.shape}")
    Q, R = np.linalg.qr(M)
    return Q * np.sign(np.diag(R))


def subspace_box(basis):
    r"""Half-widths of the smallest axis box containing :math:`\{z:\|Uz\|_\infty\le1\}`.

    :math:`\max z_i` subject to :math:`-1\le Uz\le1` is a linear program; since
    :math:`\|z\|=\|Uz\|\le\sqrt d` the box :math:`[-\sqrt d,\sqrt d]^k` always works and the
    LP tightens it (solved with :func:`scipy.optimize.linprog`, HiGHS).  Results are
    memoised per basis: repeated sampling on one subspace solves the LPs once.
    """
    U = np.ascontiguousarray(check_orthonormal("basis", basis))
    return _box(U.tobytes(), U.shape).copy()


@functools.lru_cache(maxsize=256)
def _box(data, shape):
    from scipy.optimize import linprog
    U = np.frombuffer(data, dtype=np.float64).reshape(shape)
    d, k = U.shape
    A = np.vstack([U, -U])
    b = np.ones(2 * d)
    out = np.empty(k)
    for i in range(k):           # k <= 3 small LPs
        c = np.zeros(k)
        c[i] = -1.0
        res = linprog(c, A_ub=A, b_ub=b, bounds=[(None, None)] * k, method="highs")
        out[i] = -res.fun if res.status == 0 else np.sqrt(d)
    return out


def sample_subspace(basis, n_samples, *, rng=None, return_coords=False, max_tries=1000):
    r"""``n_samples`` uniform points of :math:`\Gamma=\{Uz:\|Uz\|_\infty\le1\}` (rejection).

    ``z`` is drawn uniformly in the LP bounding box (:func:`subspace_box`) and kept
    when :math:`\|Uz\|_\infty\le1`; since ``x = U z`` is an isometry, uniform ``z`` on the
    accepted set is uniform on :math:`\Gamma`.  Returns ``X`` (and ``Z`` if asked).
    """
    U = check_orthonormal("basis", basis)
    n = check_int("n_samples", n_samples, low=1)
    d, k = U.shape
    check_memory(8 * n * d, f"sample_subspace({n}, dim={d})", hint="draw fewer n_samples",
                 settable=False)
    rng = np.random.default_rng(rng)
    box = subspace_box(U)
    Z = np.empty((0, k))
    tries = 0
    while Z.shape[0] < n:
        tries += 1
        if tries > max_tries:
            raise RuntimeError("rejection sampling accepted too few points")
        m = int(1.3 * (n - Z.shape[0])) + 64
        cand = rng.uniform(-box, box, size=(m, k))
        ok = np.max(np.abs(cand @ U.T), axis=1) <= 1.0
        Z = np.vstack([Z, cand[ok]])
    Z = Z[:n]
    X = Z @ U.T
    return (X, Z) if return_coords else X


def sample_manifold(basis, n_samples, *, amplitude=0.3, rng=None):
    r"""Points :math:`x=U\phi(z)/s`, :math:`\phi(z)_i=z_i+a\sin z_i`, a curved ``k``-manifold in the cube.

    ``z`` is uniform on the subspace sample's coordinates, ``s`` scales so that every
    point stays in :math:`[-1,1]^d`.  The Jacobian of :math:`\phi` has singular values in
    :math:`[1-a,1+a]` (condition number :math:`\le(1+a)/(1-a)`, THEORY §C.3).
    """
    a = check_real("amplitude", amplitude, low=0.0, high=1.0, high_open=True)
    U = check_orthonormal("basis", basis)
    _, Z = sample_subspace(U, n_samples, rng=rng, return_coords=True)
    P = Z + a * np.sin(Z)
    X = P @ U.T
    scale = max(1.0, float(np.max(np.abs(X))))
    return X / scale


class DistanceTarget:
    r""":math:`f(x)=L\|x-x_0\|_2`, Lipschitz constant exactly ``L``."""

    def __init__(self, center, lipschitz=1.0):
        c = check_matrix("center", np.reshape(center, (1, -1)))
        self.center = c.reshape(-1)
        self.lipschitz = check_real("lipschitz", lipschitz, low=0.0, low_open=True)

    def __call__(self, X):
        X = check_matrix("X", X, shape=(None, self.center.size))
        return self.lipschitz * np.linalg.norm(X - self.center, axis=1)


class SineSumTarget:
    r""":math:`f(x)=\sum_ra_r\sin\langle g_r,x\rangle` with :math:`\sum_r|a_r|\|g_r\|=L` (Lipschitz ``<= L``).

    With ``basis`` (orthonormal ``dim x k``) the frequencies :math:`g_r` lie in its span,
    so the function varies along the subspace rather than across it.
    """

    def __init__(self, dim, n_terms=8, lipschitz=1.0, *, frequency=3.0, basis=None, rng=None):
        d = check_int("dim", dim, low=1)
        m = check_int("n_terms", n_terms, low=1)
        self.lipschitz = check_real("lipschitz", lipschitz, low=0.0, low_open=True)
        rng = np.random.default_rng(rng)
        if basis is None:
            self.freqs = rng.standard_normal((m, d)) * frequency / np.sqrt(d)
        else:
            U = check_orthonormal("basis", basis, d)
            self.freqs = (rng.standard_normal((m, U.shape[1])) * frequency
                          / np.sqrt(U.shape[1])) @ U.T
        a = rng.uniform(-1, 1, size=m)
        self.amps = a * self.lipschitz / np.sum(np.abs(a) * np.linalg.norm(self.freqs, axis=1))

    def __call__(self, X):
        X = check_matrix("X", X, shape=(None, self.freqs.shape[1]))
        return np.sin(X @ self.freqs.T) @ self.amps

    def gradient(self, X):
        X = check_matrix("X", X, shape=(None, self.freqs.shape[1]))
        return (np.cos(X @ self.freqs.T) * self.amps) @ self.freqs


_NORMALIZATIONS = ("sum1", "sum1overD", "raw")
_MONOMIAL_SETS = ("all_le_D", "multilinear_le_D", "exact_D")
_ROWS = 8192                       # rows per chunk when monomials are evaluated
#: rows per chunk of RandomPolynomial's evaluation: its monomial values (495 x 512 at
#: d = 8, D = 4) stay near the cache; interleaved medians at 2**16 points: 55 ms against
#: 137 ms in chunks of 8192 rows (4845 monomials: 0.69 s against 3.3 s), bit for bit equal
_POLY_ROWS = 512


def _monomial_tree(dim, degree, multilinear):
    """Every monomial of degree ``<= degree`` (with or without repeated variables) as a
    tree: ``parent[j]`` times ``x[var[j]]``, graded; ``exponents`` (n x dim), ``level``."""
    from itertools import combinations
    gen = combinations if multilinear else combinations_with_replacement
    index, parent, var, expo, level = {(): 0}, [-1], [-1], [np.zeros(dim, dtype=np.int64)], [0]
    for deg in range(1, degree + 1):
        for combo in gen(range(dim), deg):
            index[combo] = len(parent)
            parent.append(index[combo[:-1]])
            var.append(combo[-1])
            e = expo[index[combo[:-1]]].copy()
            e[combo[-1]] += 1
            expo.append(e)
            level.append(deg)
    return (np.array(parent), np.array(var), np.array(expo), np.array(level))


class RandomPolynomial:
    r"""P1 §5 / App. D.1's random polynomial of degree ``D`` on :math:`\mathbb R^d` (P1-EXPERIMENTS.md §2.1).

    Parameters
    ----------
    dim, degree : int
        ``d`` and ``D`` (§5: 8 and 4).
    normalization : {"sum1", "sum1overD", "raw"}
        Coefficients are i.i.d. :math:`U[-1,1]`, then rescaled so that
        :math:`\sum|c_\alpha|=1` (``"sum1"``, App. D.1 L421, the default),
        :math:`=1/D` (``"sum1overD"``, §5 L170's "< 1/D" and D.2), or left as drawn
        (``"raw"``).  P1 states both of the first two; MSEs scale as :math:`(\sum|c|)^2`.
    monomials : {"all_le_D", "multilinear_le_D", "exact_D"}
        Every monomial of degree ``<= D`` with powers (:math:`\binom{d+D}{D}`, 495 at
        ``d = 8, D = 4``; the default, RECONSTRUCTED: the paper does not say), the
        multilinear ones only (163), or degree exactly ``D`` (330; an even function when
        ``D`` is even, so its zero-bias floor is 0).
    rng : seed or Generator

    Attributes
    ----------
    exponents : ``(n_monomials, dim)`` powers; ``coefs`` : coefficients.
    lipschitz : float
        Proven bound on :math:`[-1,1]^d`: :math:`D\sum|c_\alpha|` (THEORY §B.10).
    variance, dense_floor : float
        Exact, under :math:`x\sim U([-1,1]^d)` (moments :math:`E[x^a]=1/(a+1)` for even
        ``a``, else 0): :math:`\mathrm{Var}\,p` and the zero-bias dense floor
        (:func:`pactools.bounds.zero_bias_floor_polynomial`).

    Evaluation is by prefix products, one multiplication per monomial, in row chunks.

    Examples
    --------
    >>> p = RandomPolynomial(8, 4, rng=0)
    >>> p.exponents.shape, round(float(np.abs(p.coefs).sum()), 12)
    ((495, 8), 1.0)
    """

    def __init__(self, dim, degree=4, *, normalization="sum1", monomials="all_le_D", rng=None,
                 convention=None):
        d = check_int("dim", dim, low=1)
        D = check_int("degree", degree, low=1)
        if convention is not None:          # the pre-0.3 name of the normalisation
            import warnings
            if convention not in ("appendix", "section5"):
                raise ValueError(f'convention must be "appendix" or "section5"; got '
                                 f'{convention!r}')
            warnings.warn('RandomPolynomial(convention=) is deprecated; use normalization="sum1" '
                          '(appendix) or "sum1overD" (section5)', DeprecationWarning, stacklevel=2)
            normalization = "sum1" if convention == "appendix" else "sum1overD"
        if normalization not in _NORMALIZATIONS:
            raise ValueError(f"normalization must be one of {', '.join(map(repr, _NORMALIZATIONS))}"
                             f"; got {normalization!r}")
        if monomials not in _MONOMIAL_SETS:
            raise ValueError(f"monomials must be one of {', '.join(map(repr, _MONOMIAL_SETS))}; "
                             f"got {monomials!r}")
        if monomials == "multilinear_le_D" and D > d:
            raise ValueError(f"degree must be <= dim={d} for multilinear monomials; got {D}")
        rng = np.random.default_rng(rng)
        self.dim, self.degree = d, D
        self.normalization, self.monomials = normalization, monomials
        tree = _monomial_tree(d, D, multilinear=monomials == "multilinear_le_D")
        self._parent, self._var, expo, level = tree
        self._columns = np.flatnonzero(level == D) if monomials == "exact_D" else \
            np.arange(level.size)
        self.exponents = expo[self._columns]
        c = rng.uniform(-1, 1, size=self._columns.size)
        l1 = {"sum1": 1.0, "sum1overD": 1.0 / D, "raw": None}[normalization]
        self.coefs = c if l1 is None else c * (l1 / np.sum(np.abs(c)))
        self.lipschitz = D * float(np.sum(np.abs(self.coefs)))
        # the tree is graded: each degree, and the columns, are a range of rows
        bounds = np.searchsorted(level, np.arange(1, D + 2))
        self._levels = list(zip(bounds[:-1], bounds[1:]))
        self._rows = slice(self._columns[0], self._columns[-1] + 1)

    def monomial_values(self, X):
        """The monomials at the rows of ``X``, shape ``(n_points, n_monomials)``."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.dim:
            raise ValueError(f"X must have shape (n_points, {self.dim}); got shape {X.shape}")
        check_memory(8 * X.shape[0] * self._parent.size, "the monomial values",
                     hint="evaluate fewer rows at a time", settable=False)
        M = np.empty((self._parent.size, X.shape[0]))   # monomial-major: contiguous rows
        M[0] = 1.0
        Xt = np.ascontiguousarray(X.T)
        for lo, hi in self._levels:           # one vectorised product per degree, in place
            np.multiply(M[self._parent[lo:hi]], Xt[self._var[lo:hi]], out=M[lo:hi])
        return M[self._rows].T

    def __call__(self, X):
        X = check_matrix("X", X, shape=(None, self.dim))
        out = np.empty(X.shape[0])
        for s in range(0, X.shape[0], _POLY_ROWS):
            out[s:s + _POLY_ROWS] = self.coefs @ self.monomial_values(X[s:s + _POLY_ROWS]).T
        return out

    def gradient(self, X):
        X = check_matrix("X", X, shape=(None, self.dim))
        g = np.zeros_like(X)
        for i in range(X.shape[1]):       # d partial derivatives, each vectorised
            e = self.exponents.copy()
            coef = self.coefs * e[:, i]
            e[:, i] = np.maximum(e[:, i] - 1, 0)
            g[:, i] = np.prod(X[:, None, :] ** e[None], axis=2) @ coef
        return g

    def measured_lipschitz(self, X):
        """Largest gradient norm at the rows of ``X`` (a lower estimate of the constant)."""
        return float(np.max(np.linalg.norm(self.gradient(X), axis=1)))

    @property
    def variance(self):
        from .bounds import _cube_moments
        mean = float(_cube_moments(self.exponents) @ self.coefs)
        second = self.coefs @ _cube_moments(self.exponents[:, None] + self.exponents[None]) \
            @ self.coefs
        return float(second - mean ** 2)

    @property
    def dense_floor(self):
        from .bounds import zero_bias_floor_polynomial
        return zero_bias_floor_polynomial(self.exponents, self.coefs)


class SubspacePolynomial:
    r"""P1 App. D.2's low-intrinsic-dimension target :math:`f(x)=p(Ax)` (P1-EXPERIMENTS.md §2.1).

    ``A`` (``intrinsic_dim x dim``) has random orthonormal rows (QR of a Gaussian matrix)
    and ``p`` is a :class:`RandomPolynomial` on :math:`\mathbb R^k` (D.2: ``d = 64``,
    ``k = 8``, ``D = 4``, "sum of coefficient absolute value < 1/D", hence
    ``normalization="sum1overD"``).  With :math:`x\sim U([-1,1]^d)` the projections
    :math:`Ax` leave :math:`[-1,1]^k` (each coordinate has variance 1/3), so ``p``'s cube
    Lipschitz bound does not apply: :meth:`projected_range` reports how far out they go,
    and :meth:`measured_lipschitz` the largest gradient norm on samples.  Its zero-bias
    floor is estimated by :func:`pactools.bounds.zero_bias_floor_mc`.
    """

    def __init__(self, dim=64, intrinsic_dim=8, degree=4, *, normalization="sum1overD",
                 monomials="all_le_D", rng=None):
        d = check_int("dim", dim, low=1)
        k = check_int("intrinsic_dim", intrinsic_dim, low=1, high=d)
        rng = np.random.default_rng(rng)
        self.dim, self.intrinsic_dim = d, k
        self.projection = random_subspace(d, k, rng=rng).T
        self.polynomial = RandomPolynomial(k, degree, normalization=normalization,
                                           monomials=monomials, rng=rng)

    def __call__(self, X):
        X = check_matrix("X", X, shape=(None, self.projection.shape[1]))
        return self.polynomial(X @ self.projection.T)

    def projected_range(self, X):
        r"""Largest :math:`\|Ax\|_\infty` over the rows of ``X``."""
        X = check_matrix("X", X, shape=(None, self.projection.shape[1]))
        return float(np.max(np.abs(X @ self.projection.T)))

    def measured_lipschitz(self, X):
        Z = np.asarray(X, dtype=np.float64) @ self.projection.T
        return float(np.max(np.linalg.norm(self.polynomial.gradient(Z), axis=1)))


class RandomHypercubeFunction:
    r"""P1's random hypercube function :math:`f(x)=\sum_yv_y\prod_i\frac{1+y_ix_i}2` (P1-EXPERIMENTS.md §2.1).

    The multilinear interpolation of i.i.d. fair corner signs ``values`` (indexed by the
    hypercube convention of :mod:`pactools.hypercube`), in its Fourier form
    :math:`f(x)=\sum_S\hat f(S)x^S` with ``coeffs`` :math:`=\hat f` (a Walsh–Hadamard
    transform of the corner values, indexed by bitmask ``S``).  Proven bound
    :math:`|\partial_if|\le1`, so ``.lipschitz`` :math:`=\sqrt d` (not O(1) in ``d``;
    :meth:`measured_lipschitz` gives the value attained on samples).  ``dim <= 20``.

    Under :math:`x\sim U([-1,1]^d)` the :math:`x^S` are orthogonal with
    :math:`E[(x^S)^2]=3^{-|S|}`, so ``variance`` :math:`=\sum_{S\ne\emptyset}\hat f(S)^2
    3^{-|S|}` and ``dense_floor`` (:func:`pactools.bounds.zero_bias_floor_hypercube`) are
    exact.
    """

    def __init__(self, dim, *, rng=None):
        d = check_int("dim", dim, low=1, high=20)
        rng = np.random.default_rng(rng)
        self.dim = d
        self.values = rng.choice([-1.0, 1.0], size=1 << d)
        from .fourier import fourier_coefficients
        self.coeffs = fourier_coefficients(self.values)
        self.lipschitz = float(np.sqrt(d))

    def subset_products(self, X):
        """:math:`x^S` for every bitmask ``S``, shape ``(n_points, 2**dim)`` (by doubling)."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.dim:
            raise ValueError(f"X must have shape (n_points, {self.dim}); got shape {X.shape}")
        check_memory(8 * X.shape[0] << self.dim, "the subset products",
                     hint="evaluate fewer rows at a time", settable=False)
        P = np.empty((X.shape[0], 1 << self.dim))
        P[:, 0] = 1.0
        for i in range(self.dim):         # columns with bit i set = those without, times x_i
            w = 1 << i
            np.multiply(P[:, :w], X[:, i:i + 1], out=P[:, w:2 * w])
        return P

    def __call__(self, X):
        X = check_matrix("X", X, shape=(None, self.dim))
        out = np.empty(X.shape[0])
        rows = max(1, _ROWS * 256 >> self.dim)
        for s in range(0, X.shape[0], rows):
            out[s:s + rows] = self.subset_products(X[s:s + rows]) @ self.coeffs
        return out

    def gradient(self, X):
        X = check_matrix("X", X, shape=(None, self.dim))
        g = np.zeros_like(X)
        for m in range(1 << self.dim):
            c = self.coeffs[m]
            cols = [i for i in range(self.dim) if (m >> i) & 1]
            for i in cols:
                rest = [j for j in cols if j != i]
                g[:, i] += c * (np.prod(X[:, rest], axis=1) if rest else 1.0)
        return g

    def measured_lipschitz(self, X):
        return float(np.max(np.linalg.norm(self.gradient(X), axis=1)))

    @property
    def variance(self):
        from .hypercube import popcounts
        w = self.coeffs ** 2 * 3.0 ** -popcounts(self.dim).astype(np.float64)
        return float(w[1:].sum())

    @property
    def dense_floor(self):
        from .bounds import zero_bias_floor_hypercube
        return zero_bias_floor_hypercube(self.coeffs)
