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
  (:math:`\sum_ra_r\sin\langle g_r,x\rangle`, :math:`\sum|a_r|\|g_r\|=L`), and P1's
  :class:`RandomPolynomial` and :class:`RandomHypercubeFunction` with their proven
  bounds and :meth:`measured_lipschitz` (largest gradient norm on samples).
"""
from __future__ import annotations

import functools
from itertools import combinations_with_replacement

import numpy as np

from ._validation import check_int, check_memory, check_real

__all__ = ["random_subspace", "subspace_box", "sample_subspace", "sample_manifold",
           "DistanceTarget", "SineSumTarget", "RandomPolynomial", "RandomHypercubeFunction"]


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
    U = np.ascontiguousarray(basis, dtype=np.float64)
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
    U = np.asarray(basis, dtype=np.float64)
    if U.ndim != 2 or not np.allclose(U.T @ U, np.eye(U.shape[1]), atol=1e-10):
        raise ValueError("basis must be a (dim, k) matrix with orthonormal columns")
    n = check_int("n_samples", n_samples, low=1)
    d, k = U.shape
    check_memory(8 * n * d, f"sample_subspace({n}, dim={d})")
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
    U = np.asarray(basis, dtype=np.float64)
    _, Z = sample_subspace(U, n_samples, rng=rng, return_coords=True)
    P = Z + a * np.sin(Z)
    X = P @ U.T
    scale = max(1.0, float(np.max(np.abs(X))))
    return X / scale


class DistanceTarget:
    r""":math:`f(x)=L\|x-x_0\|_2`, Lipschitz constant exactly ``L``."""

    def __init__(self, center, lipschitz=1.0):
        self.center = np.asarray(center, dtype=np.float64).reshape(-1)
        self.lipschitz = check_real("lipschitz", lipschitz, low=0.0, low_open=True)

    def __call__(self, X):
        return self.lipschitz * np.linalg.norm(np.asarray(X) - self.center, axis=1)


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
            U = np.asarray(basis, dtype=np.float64)
            if U.ndim != 2 or U.shape[0] != d:
                raise ValueError(f"basis must have shape ({d}, k); got {U.shape}")
            self.freqs = (rng.standard_normal((m, U.shape[1])) * frequency
                          / np.sqrt(U.shape[1])) @ U.T
        a = rng.uniform(-1, 1, size=m)
        self.amps = a * self.lipschitz / np.sum(np.abs(a) * np.linalg.norm(self.freqs, axis=1))

    def __call__(self, X):
        return np.sin(np.asarray(X) @ self.freqs.T) @ self.amps

    def gradient(self, X):
        return (np.cos(np.asarray(X) @ self.freqs.T) * self.amps) @ self.freqs


class RandomPolynomial:
    r"""P1 §5 / App. D.1 random polynomial of degree ``D`` on :math:`\mathbb R^d` (THEORY §B.10).

    All :math:`\binom{d+D}{D}` monomials of degree :math:`\le D` (RECONSTRUCTED), with
    coefficients i.i.d. :math:`U[-1,1]` rescaled to :math:`\sum|c_\alpha|=` ``coef_l1``.
    ``convention="appendix"`` (default) uses ``coef_l1 = 1`` (App. D.1);
    ``"section5"`` uses ``coef_l1 = 1/D`` (just below, as §5's "< 1/D").  Proven
    Lipschitz bound on the cube: :math:`D\sum|c_\alpha|` (``.lipschitz``).
    """

    def __init__(self, dim, degree=4, *, convention="appendix", rng=None):
        d = check_int("dim", dim, low=1)
        D = check_int("degree", degree, low=1)
        if convention not in ("appendix", "section5"):
            raise ValueError(f'convention must be "appendix" or "section5"; got {convention!r}')
        rng = np.random.default_rng(rng)
        expo = []
        for deg in range(D + 1):
            for combo in combinations_with_replacement(range(d), deg):
                e = np.zeros(d, dtype=np.int64)
                np.add.at(e, list(combo), 1)
                expo.append(e)
        self.exponents = np.array(expo)
        c = rng.uniform(-1, 1, size=len(expo))
        l1 = 1.0 if convention == "appendix" else 1.0 / D
        self.coefs = c * (l1 / np.sum(np.abs(c)))
        self.degree, self.convention = D, convention
        self.lipschitz = D * float(np.sum(np.abs(self.coefs)))

    def __call__(self, X):
        X = np.asarray(X, dtype=np.float64)
        return np.prod(X[:, None, :] ** self.exponents[None], axis=2) @ self.coefs

    def gradient(self, X):
        X = np.asarray(X, dtype=np.float64)
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


class RandomHypercubeFunction:
    r"""P1's random hypercube function :math:`f(x)=\sum_yv_y\prod_i\frac{1+y_ix_i}2` (THEORY §B.10).

    The multilinear interpolation of i.i.d. random corner signs.  Proven bound
    :math:`|\partial_if|\le1`, so ``.lipschitz`` :math:`=\sqrt d` (not O(1) in ``d``;
    :meth:`measured_lipschitz` gives the value attained on samples).  ``dim <= 20``.
    """

    def __init__(self, dim, *, rng=None):
        d = check_int("dim", dim, low=1, high=20)
        rng = np.random.default_rng(rng)
        self.dim = d
        self.values = rng.choice([-1.0, 1.0], size=1 << d)
        from .fourier import fourier_coefficients
        # f is multilinear: f(x) = sum_T c_T prod_{i in T} x_i with c = WHT of the corner values
        self.coeffs = fourier_coefficients(self.values)
        self.lipschitz = float(np.sqrt(d))

    def __call__(self, X):
        from .lowdegree import _structure
        X = np.asarray(X, dtype=np.float64)
        masks = _structure(self.dim, self.dim)[0]
        out = np.zeros(X.shape[0])
        for m, c in zip(masks, self.coeffs[masks]):     # 2**d monomials, vectorised over points
            cols = [i for i in range(self.dim) if (m >> i) & 1]
            out += c * (np.prod(X[:, cols], axis=1) if cols else 1.0)
        return out

    def gradient(self, X):
        X = np.asarray(X, dtype=np.float64)
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
