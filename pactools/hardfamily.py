r"""The hard families of P1's lower bounds (Theorem 4.3 and C.1), THEORY.md §B.6, §B.9, §C.3.

* :class:`BumpFamily` — §B.6 with the **corrected** sign: on the span of ``k`` cube
  diagonals, a grid of cells of side :math:`2\epsilon/L`; a member is
  :math:`f_s(x)=\sum_vs_v\max(0,\epsilon-L\|x-v\|_2)` for signs :math:`s\in\{\pm1\}^{V}`
  over the centres ``V`` of the cells inside :math:`\Gamma`.  Bumps have radius
  :math:`\epsilon/L`, disjoint supports, gradient norm ``L`` on their support, and two
  members with different signs at ``v`` differ by exactly :math:`2\epsilon` there.
  :meth:`BumpFamily.paper_printed` is the family as printed,
  :math:`\sum_v\max(0,f(v)-L\,\mathrm{sgn}(f(v))\|x-v\|)`, which is not even bounded by
  :math:`\epsilon` (the negative control).
* :class:`CosineFamily` — §B.9: :math:`f_\eta(x)=\sum_n2\eta_n\epsilon_1^\alpha\cos(\pi n^\top x)`
  on :math:`[-1,1]^k`, :math:`n\in\{0..1/\epsilon_1\}^k`, :math:`\eta_n=\pm L/(C\sqrt k\pi)`,
  :math:`\alpha=k/2+1`.
* :func:`coupon_all_hit_probability` — exact probability that ``N`` uniform samples hit
  every one of ``n_cells`` equal cells of probability ``p`` each (inclusion–exclusion).
"""
from __future__ import annotations

from itertools import product

import numpy as np

from ._validation import check_int, check_matrix, check_orthonormal, check_real
from .targets import random_subspace

__all__ = ["BumpFamily", "CosineFamily", "coupon_all_hit_probability", "polytope_volume"]


def polytope_volume(basis):
    r"""Exact ``k``-volume of :math:`\{z:\|Uz\|_\infty\le1\}` (``k <= 3``), via its vertices.

    ``k = 1``: the segment length :math:`2/\max_l|U_l|`.  ``k >= 2``: the halfspace
    intersection (:class:`scipy.spatial.HalfspaceIntersection`) and the convex hull volume.
    """
    from scipy.spatial import ConvexHull, HalfspaceIntersection
    U = check_matrix("basis", basis)
    k = U.shape[1]
    if not 1 <= k <= min(3, U.shape[0]):
        raise ValueError(f"basis must have shape (dim, k) with 1 <= k <= min(3, dim); got "
                         f"{U.shape}")
    if np.linalg.matrix_rank(U) < k:
        raise ValueError(f"basis must have full column rank {k} (else the polytope is "
                         f"unbounded); got rank {np.linalg.matrix_rank(U)}")
    if k == 1:
        return float(2.0 / np.max(np.abs(U[:, 0])))
    A = np.vstack([U, -U])
    hs = np.hstack([A, -np.ones((A.shape[0], 1))])          # A z - 1 <= 0
    pts = HalfspaceIntersection(hs, np.zeros(k)).intersections
    return float(ConvexHull(pts).volume)


class BumpFamily:
    r"""P1 Theorem 4.3's family of signed bumps (corrected, THEORY §B.6).

    Parameters
    ----------
    dim, intrinsic_dim : int
        ``d`` and ``k`` (``k`` cube diagonals span the subspace).
    eps : float
        Accuracy :math:`\epsilon`; bumps have height :math:`\epsilon`, radius :math:`\epsilon/L`.
    lipschitz : float
        ``L``.
    basis : array_like, optional
        Orthonormal basis of the subspace (default: ``k`` random diagonals, seeded by ``rng``).

    Attributes
    ----------
    centres_z : ndarray, shape (n_cells, k)
        Cell centres in subspace coordinates (cells of side :math:`2\epsilon/L` lying
        entirely inside :math:`\Gamma`).
    centres : ndarray, shape (n_cells, d)
    n_cells : int
    """

    def __init__(self, dim, intrinsic_dim, eps, lipschitz=1.0, *, basis=None, rng=None):
        self.dim = check_int("dim", dim, low=1)
        self.k = check_int("intrinsic_dim", intrinsic_dim, low=1, high=min(3, self.dim))
        self.eps = check_real("eps", eps, low=0.0, low_open=True)
        self.lipschitz = check_real("lipschitz", lipschitz, low=0.0, low_open=True)
        self.basis = (random_subspace(self.dim, self.k, kind="diagonals", rng=rng)
                      if basis is None else check_orthonormal("basis", basis, self.dim))
        self.side = 2 * self.eps / self.lipschitz
        U = self.basis
        # lattice of cells: centres side * (j + 1/2), j integer, within the z-box of Gamma
        reach = np.sqrt(self.dim) / self.side + 1
        J = np.arange(-int(np.ceil(reach)), int(np.ceil(reach)))
        grid = np.array(list(product(J, repeat=self.k)), dtype=np.float64)
        centres = self.side * (grid + 0.5)
        corners = np.array(list(product((-0.5, 0.5), repeat=self.k))) * self.side
        inside = np.ones(len(centres), dtype=bool)
        for c in corners:                      # 2**k corners; Gamma is convex
            inside &= np.max(np.abs((centres + c) @ U.T), axis=1) <= 1.0
        self.centres_z = centres[inside]
        self.centres = self.centres_z @ U.T
        self.n_cells = int(self.centres_z.shape[0])
        self._lattice = np.round(self.centres_z / self.side - 0.5).astype(np.int64)

    def random_signs(self, rng=None):
        return np.random.default_rng(rng).choice([-1.0, 1.0], size=self.n_cells)

    def cell_of(self, X):
        """Index of the cell whose square contains each row of ``X`` (projected onto the
        subspace), or -1 outside every cell."""
        return self._nearest(X)[0]

    def _nearest(self, X):
        X = np.asarray(X, dtype=np.float64)
        z = X @ self.basis
        r = X - z @ self.basis.T                 # the component off the subspace, directly
        perp2 = np.einsum("ij,ij->i", r, r)
        j = np.floor(z / self.side).astype(np.int64)
        # look the lattice cell up by sorting keys (vectorised dictionary)
        mult = np.int64(1 << 20)
        key = np.zeros(len(j), dtype=np.int64)
        lkey = np.zeros(self.n_cells, dtype=np.int64)
        for a in range(self.k):
            key = key * mult + (j[:, a] + (1 << 19))
            lkey = lkey * mult + (self._lattice[:, a] + (1 << 19))
        order = np.argsort(lkey)
        pos = np.clip(np.searchsorted(lkey[order], key), 0, max(self.n_cells - 1, 0))
        found = (self.n_cells > 0) & (lkey[order][pos] == key)
        cell = np.where(found, order[pos], -1)
        c = self.centres_z[np.maximum(cell, 0)]
        dist = np.sqrt(perp2 + np.sum((z - c) ** 2, axis=1))
        return cell, dist

    def __call__(self, X, signs):
        r""":math:`f_s(x)=\sum_vs_v\max(0,\epsilon-L\|x-v\|)` at the rows of ``X`` (any points of R^d)."""
        signs = self._check_signs(signs)
        cell, dist = self._nearest(X)
        val = np.maximum(0.0, self.eps - self.lipschitz * dist)
        return np.where(cell >= 0, signs[np.maximum(cell, 0)] * val, 0.0)

    def gradient(self, X, signs):
        """Gradient of a member (0 off the bumps; ``L`` times a unit vector on them, off centres)."""
        signs = self._check_signs(signs)
        X = np.asarray(X, dtype=np.float64)
        cell, dist = self._nearest(X)
        on = (cell >= 0) & (dist < self.eps / self.lipschitz) & (dist > 0)
        g = np.zeros_like(X)
        v = self.centres[np.maximum(cell, 0)]
        g[on] = (-self.lipschitz * signs[cell[on]] / dist[on])[:, None] * (X[on] - v[on])
        return g

    def paper_printed(self, X, signs):
        r"""The family as printed: :math:`\sum_v\max(0,f(v)-L\,\mathrm{sgn}(f(v))\|x-v\|)`, ``f(v) = eps s_v``.

        A centre with :math:`s_v=-1` contributes :math:`\max(0,-\epsilon+L\|x-v\|)`, which is
        positive *far* from ``v``: the sum is not bounded by :math:`\epsilon`.
        """
        signs = self._check_signs(signs)
        X = np.asarray(X, dtype=np.float64)
        out = np.zeros(X.shape[0])
        for i in range(self.n_cells):          # a loop over cells (controls use small families)
            dist = np.linalg.norm(X - self.centres[i], axis=1)
            out += np.maximum(0.0, self.eps * signs[i] - self.lipschitz * signs[i] * dist)
        return out

    def _check_signs(self, signs):
        s = np.asarray(signs, dtype=np.float64)
        if s.shape != (self.n_cells,) or not np.all(np.abs(s) == 1):
            raise ValueError(f"signs must be {self.n_cells} entries of +-1; got shape {s.shape}")
        return s

    def cell_volume_fraction(self):
        """Probability that a uniform point of Gamma falls in one given cell."""
        return self.side ** self.k / polytope_volume(self.basis)

    def grid_points(self, per_side=5):
        """Points on every cell: a ``per_side**k`` grid per cell, centres included (odd ``per_side``)."""
        per_side = check_int("per_side", per_side, low=1)
        off = (np.arange(per_side) - (per_side - 1) / 2) / per_side * self.side
        local = np.array(list(product(off, repeat=self.k)))
        Z = (self.centres_z[:, None, :] + local[None]).reshape(-1, self.k)
        return Z @ self.basis.T


def coupon_all_hit_probability(n_samples, n_cells, p):
    r"""Exact probability that ``N`` i.i.d. samples hit every one of ``n_cells`` cells of probability ``p``.

    Equals :math:`\sum_j(-1)^j\binom nj(1-jp)^N`, but that sum cancels catastrophically;
    here it is the absorbing-state probability of the Markov chain on the number of
    cells hit (a new cell with probability :math:`(n-j)p`), computed by repeated
    squaring of the bidiagonal transition matrix: no cancellation, ``O(n^3 log N)``.
    """
    n = check_int("n_cells", n_cells, low=1)
    p = check_real("p", p, low=0.0, high=1.0 / n, low_open=True)
    j = np.arange(n + 1)
    P = np.zeros((n + 1, n + 1))
    P[j, j] = 1 - (n - j) * p
    P[j[:-1], j[:-1] + 1] = (n - j[:-1]) * p
    Ns = np.atleast_1d(np.asarray(n_samples))
    if Ns.dtype == bool or not np.issubdtype(Ns.dtype, np.integer) or np.any(Ns < 0):
        raise ValueError(f"n_samples must be integers >= 0; got {n_samples!r}")
    out = np.array([np.linalg.matrix_power(P, int(N))[0, n] for N in Ns])
    return float(out[0]) if np.ndim(n_samples) == 0 else out


class CosineFamily:
    r"""P1 Theorem C.1's cosine family (THEORY §B.9; the printed :math:`+e^{i\pi n^\top x}` twice read as cosines).

    :math:`f_\eta(x)=\sum_{n\in\{0..m\}^k}2\eta_n\epsilon_1^\alpha\cos(\pi n^\top x)` on
    :math:`[-1,1]^k`, :math:`m=1/\epsilon_1`, :math:`\eta_n=\pm L/(C\sqrt k\pi)`, :math:`\alpha=k/2+1`.
    """

    def __init__(self, intrinsic_dim, inv_eps1, lipschitz=1.0, constant=4.0):
        self.k = check_int("intrinsic_dim", intrinsic_dim, low=1, high=3)
        self.m = check_int("inv_eps1", inv_eps1, low=1)
        self.lipschitz = check_real("lipschitz", lipschitz, low=0.0, low_open=True)
        self.constant = check_real("constant", constant, low=0.0, low_open=True)
        self.eps1 = 1.0 / self.m
        self.alpha = self.k / 2 + 1
        self.freqs = np.array(list(product(range(self.m + 1), repeat=self.k)), dtype=np.float64)
        self.scale = 2 * self.lipschitz / (self.constant * np.sqrt(self.k) * np.pi) \
            * self.eps1 ** self.alpha

    @property
    def n_terms(self):
        return self.freqs.shape[0]

    def random_signs(self, n_members=1, rng=None):
        return np.random.default_rng(rng).choice([-1.0, 1.0], size=(n_members, self.n_terms))

    def __call__(self, X, signs):
        """Members (rows of ``signs``) at the rows of ``X``: shape ``(n_members, n_points)``."""
        C = np.cos(np.pi * np.asarray(X, dtype=np.float64) @ self.freqs.T)
        return self.scale * np.atleast_2d(signs) @ C.T

    def gradient_norms(self, X, signs):
        """``||grad f||`` of each member at each point, shape ``(n_members, n_points)``."""
        X = np.asarray(X, dtype=np.float64)
        S = -np.pi * np.sin(np.pi * X @ self.freqs.T)                  # (points, terms)
        sg = np.atleast_2d(signs) * self.scale
        g = np.einsum("mt,pt,ta->mpa", sg, S, self.freqs)
        return np.linalg.norm(g, axis=2)

    def l2_distance(self, signs_a, signs_b):
        r"""Exact :math:`\|f_a-f_b\|_{L^2}` under the uniform measure on :math:`[-1,1]^k` (Parseval).

        :math:`\mathbb E\cos^2(\pi n^\top x)=1/2` for ``n != 0`` and 1 for ``n = 0``; the
        cosines are orthogonal.
        """
        diff = (np.asarray(signs_a) - np.asarray(signs_b)) * self.scale
        w = np.where(np.all(self.freqs == 0, axis=1), 1.0, 0.5)
        return float(np.sqrt(np.sum(diff ** 2 * w)))

    def paper_printed_imaginary_part(self, X, signs):
        r"""Imaginary part of the printed :math:`\sum_n\eta_n\epsilon_1^\alpha(e^{i\pi n^\top x}+e^{i\pi n^\top x})`.

        Nonzero: the printed family is not real-valued (the negative control).
        """
        S = np.sin(np.pi * np.asarray(X, dtype=np.float64) @ self.freqs.T)
        return self.scale * np.atleast_2d(signs) @ S.T
