r"""Sparsely activated one-hidden-layer ReLU networks (P2 Def. 1.1/1.2, THEORY.md §A.1, §A.2, §C.1).

.. math:: h(x)=\sum_{j=1}^{s}u_j\,\sigma(\langle w_j,x\rangle-b_j),\qquad \sigma(z)=\max\{z,0\},

and unit ``j`` is *active* at ``x`` when :math:`\langle w_j,x\rangle-b_j>0` (strict).
A network is ``k``-sparse on a set when no point of the set has more than ``k``
active units.  Under the uniform distribution the set is the whole cube, so
sparsity is **certified**, never sampled:

* :func:`certify_exhaustive` enumerates ``{-1,1}^n`` in chunks (``n <= 24``);
* :func:`certify_pairwise` proves pairwise exclusions (§C.1.2) for any ``n``
  and colours the compatibility graph; the number of colours bounds the
  number of simultaneously active units.

Constructions with known ``W, B`` (§A.11, §C.1): :func:`junta_network`,
:func:`indexing_network`, :func:`gated_network` (App. A, dense weights
allowed), :func:`hamming_caps_network`, :func:`lifted_parity_network` (with the
corrected identity of §A.11 and :func:`paper_parity_literal`, the paper's
identity, which is constant), :func:`aligned_network` (attains
``AS = k**2 W**2``), :func:`parity_network` (dense: every unit can fire at once,
the negative control) and :func:`random_sparse_network`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validation import check_int, check_matrix, check_memory, check_pm1, check_real
from .fourier import average_sensitivity
from .hypercube import MAX_EXACT_VARS, _cube_rows

__all__ = ["SparseReLUNetwork", "SparsityCertificate", "NetworkEnumeration", "enumerate_network",
           "certify_exhaustive", "certify_pairwise", "certify_on_points", "junta_network",
           "indexing_network", "gated_network", "hamming_caps_network", "lift_parity_inputs",
           "lifted_parity_network", "parity_indicator", "paper_parity_literal",
           "aligned_network", "parity_network", "random_sparse_network"]

#: smallest |<w_j,x> - b_j| accepted on enumerated points (THEORY §C.1: no ties)
TIE_MARGIN = 1e-9


class SparseReLUNetwork:
    r"""A one-hidden-layer ReLU network :math:`h(x)=\sum_j u_j\sigma(\langle w_j,x\rangle-b_j)`.

    Parameters
    ----------
    weights : array_like, shape (n_hidden, n_vars)
        Row ``j`` is :math:`w_j`.
    biases : array_like, shape (n_hidden,)
        :math:`b_j` (subtracted).
    output_weights : array_like, shape (n_hidden,)
        :math:`u_j`.

    The object holds no claim about sparsity: that is what the certificates
    establish.  ``W_star``/``B_star`` are the canonical scale of §A.2,
    :math:`W^\star=\max_j|u_j|\|w_j\|_2`, :math:`B^\star=\max_j|u_j||b_j|`.

    Examples
    --------
    >>> net = aligned_network(n_vars=3, n_active=2)
    >>> net(np.array([[1., -1, 1], [-1, 1, 1]]))
    array([4., 0.])
    >>> net.W_star, net.B_star
    (1.0, 1.0)
    """

    def __init__(self, weights, biases, output_weights):
        w = np.array(weights, dtype=np.float64, ndmin=2)
        b = np.array(biases, dtype=np.float64).reshape(-1)
        u = np.array(output_weights, dtype=np.float64).reshape(-1)
        if w.ndim != 2 or w.shape[0] < 1 or w.shape[1] < 1:
            raise ValueError(f"weights must have shape (n_hidden >= 1, n_vars >= 1); "
                             f"got shape {np.shape(weights)}")
        s = w.shape[0]
        if b.shape != (s,):
            raise ValueError(f"biases must have shape ({s},) to match weights; got {b.shape}")
        if u.shape != (s,):
            raise ValueError(f"output_weights must have shape ({s},) to match weights; "
                             f"got {u.shape}")
        for name, a in (("weights", w), ("biases", b), ("output_weights", u)):
            if not np.all(np.isfinite(a)):
                raise ValueError(f"{name} must be finite; got non-finite entries")
        self.weights, self.biases, self.output_weights = w, b, u

    @property
    def n_vars(self):
        return self.weights.shape[1]

    @property
    def n_hidden(self):
        return self.weights.shape[0]

    @property
    def weight_norms(self):
        r""":math:`\|w_j\|_2` per unit."""
        return np.linalg.norm(self.weights, axis=1)

    @property
    def W_star(self):
        r"""Canonical :math:`W^\star=\max_j|u_j|\,\|w_j\|_2` (THEORY §A.2)."""
        return float(np.max(np.abs(self.output_weights) * self.weight_norms))

    @property
    def B_star(self):
        r"""Canonical :math:`B^\star=\max_j|u_j|\,|b_j|` (THEORY §A.2)."""
        return float(np.max(np.abs(self.output_weights) * np.abs(self.biases)))

    def __repr__(self):
        return (f"SparseReLUNetwork(n_vars={self.n_vars}, n_hidden={self.n_hidden}, "
                f"W_star={self.W_star:.4g}, B_star={self.B_star:.4g})")

    def _check_X(self, X):
        return check_matrix("X", X, shape=(None, self.n_vars))

    def pre_activations(self, X):
        r""":math:`\langle w_j,x\rangle-b_j` for every row of ``X``, shape ``(m, n_hidden)``."""
        X = self._check_X(X)
        return X @ self.weights.T - self.biases

    def activations(self, X):
        """Boolean ``(m, n_hidden)``: unit ``j`` active (pre-activation ``> 0``) at row ``i``."""
        return self.pre_activations(X) > 0

    def active_counts(self, X):
        """Number of active units at each row of ``X`` (``n_active`` is the sparsity ``k``
        everywhere else, THEORY.md §0.3)."""
        return np.count_nonzero(self.activations(X), axis=1)

    def max_active(self, X):
        """Largest number of active units over the rows of ``X`` (a fact about these points only)."""
        return int(self.active_counts(X).max())

    def __call__(self, X):
        """Evaluate ``h`` at the rows of ``X`` (shape ``(m, n_vars)``); returns shape ``(m,)``."""
        z = self.pre_activations(X)
        np.maximum(z, 0.0, out=z)
        return z @ self.output_weights

    predict = __call__

    def canonical(self):
        """The same function with every unit rescaled to ``|u_j| = 1`` (units with ``u_j = 0`` kept).

        ``u_j -> u_j/|u_j|``, ``(w_j, b_j) -> |u_j| (w_j, b_j)`` leaves ``h`` and the
        activation pattern unchanged, and attains ``W_star``, ``B_star`` as the
        plain maxima of ``||w_j||`` and ``|b_j|``.
        """
        a = np.abs(self.output_weights)
        c = np.where(a > 0, a, 1.0)
        return SparseReLUNetwork(self.weights * c[:, None], self.biases * c,
                                 np.where(a > 0, np.sign(self.output_weights), 0.0))

    def rescaled(self, W_target):
        """The network with ``u`` multiplied so that ``W_star == W_target`` (the scale knob)."""
        W_target = check_real("W_target", W_target, low=0.0, low_open=True)
        if self.W_star == 0:
            raise ValueError("cannot rescale a network with W_star = 0")
        return SparseReLUNetwork(self.weights, self.biases,
                                 self.output_weights * (W_target / self.W_star))

    def truth_table(self, *, max_bytes=None):
        """``h`` on the whole cube in index order (``n_vars <= 24``); see :func:`enumerate_network`."""
        return enumerate_network(self, max_bytes=max_bytes).table


@dataclass
class NetworkEnumeration:
    """One exhaustive pass over ``{-1,1}^n``: the table and the activation facts.

    Attributes
    ----------
    table : ndarray, shape (2**n_vars,)
        ``h`` in index order.
    active_probability : ndarray, shape (n_hidden,)
        Exact :math:`p_j=\\Pr_x[\\text{unit } j \\text{ active}]`.
    max_active : int
        Exact ``max_x |R_x|``.
    min_margin : float
        ``min_{x,j} |<w_j,x> - b_j|`` (a tie is a margin 0).
    active_count_histogram : ndarray
        ``hist[c]`` = number of points with exactly ``c`` active units.
    """
    table: np.ndarray
    active_probability: np.ndarray
    max_active: int
    min_margin: float
    active_count_histogram: np.ndarray


def _check_network(network):
    if not isinstance(network, SparseReLUNetwork):
        raise TypeError(f"network must be a SparseReLUNetwork; got {type(network).__name__}")
    return network


def enumerate_network(network, *, max_bytes=None):
    """Evaluate ``network`` on all of ``{-1,1}^n`` with its exact activation facts.

    The cube splits into low and high coordinates, ``x = (x_lo, x_hi)``, so the
    pre-activations are an outer sum ``A[x_lo] + B[x_hi]`` of two small
    matmuls: each block of ``2**n_lo`` points costs one broadcast add instead
    of a thin matmul (``n_vars = 20, n_hidden = 1024``: about 1.5 s instead of
    5-10 s).  The activation probabilities and the smallest ``|pre-activation|``
    come from sorted columns of ``A`` and :func:`numpy.searchsorted`, without
    touching the ``2**n * n_hidden`` matrix again.  Memory: the table
    (``8 * 2**n`` bytes) plus one block of about 8 MiB.
    """
    n = check_int("n_vars", _check_network(network).n_vars, high=MAX_EXACT_VARS)
    s = network.n_hidden
    size = 1 << n
    check_memory(8 * size, f"truth table of a network with n_vars={n}", max_bytes)
    n_lo = n
    while n_lo > 6 and (1 << n_lo) * s > (1 << 20):
        n_lo -= 1
    n_hi = n - n_lo
    w, b, u = network.weights, network.biases, network.output_weights
    A = _cube_rows(0, 1 << n_lo, n_lo, np.float64) @ w[:, :n_lo].T          # (2**n_lo, s)
    if n_hi:
        Bm = _cube_rows(0, 1 << n_hi, n_hi, np.float64) @ w[:, n_lo:].T - b  # (2**n_hi, s)
    else:
        Bm = -b[None, :]
    table = np.empty(size)
    hist = np.zeros(s + 1, dtype=np.int64)
    z = np.empty_like(A)
    for h in range(Bm.shape[0]):           # blocks of 2**n_lo points each
        np.add(A, Bm[h], out=z)
        hist += np.bincount(np.count_nonzero(z > 0, axis=1), minlength=s + 1)
        np.maximum(z, 0.0, out=z)
        table[h << n_lo:(h + 1) << n_lo] = z @ u
    # per unit: #{(lo, hi): A[lo] + B[hi] > 0} and min |A[lo] + B[hi]| from sorted A columns
    As = np.sort(A, axis=0)
    counts = np.empty(s, dtype=np.int64)
    margin = np.inf
    rows = As.shape[0]
    for j in range(s):                     # a loop over units, each vectorised over 2**n points
        pos = np.searchsorted(As[:, j], -Bm[:, j], side="right")
        counts[j] = int(np.sum(rows - pos))
        lo = As[np.clip(pos - 1, 0, rows - 1), j] + Bm[:, j]
        hi = As[np.clip(pos, 0, rows - 1), j] + Bm[:, j]
        margin = min(margin, float(np.min(np.abs(lo))), float(np.min(np.abs(hi))))
    max_active = int(np.flatnonzero(hist)[-1])
    return NetworkEnumeration(table, counts / size, max_active, margin, hist)


@dataclass
class SparsityCertificate:
    """Proof (or refutation) that a network is ``n_active``-sparse on a set.

    Attributes
    ----------
    method : str
        ``"exhaustive"`` (every point of the cube), ``"pairwise-exclusion"`` (§C.1.2,
        any ``n``) or ``"points"`` (a finite support, e.g. a sample or a lifted cube).
    n_active : int
        The sparsity claimed, ``k``.
    holds : bool
        ``True`` iff the certificate proves ``k``-sparsity.  For ``"exhaustive"``
        and ``"points"`` a ``False`` is a refutation; for ``"pairwise-exclusion"``
        it only means this (sufficient) certificate could not prove it.
    max_active : int
        Exhaustive/points: the exact maximum.  Pairwise: the proven upper bound
        (number of colour classes).
    min_margin : float or None
        Smallest ``|pre-activation|`` seen (exhaustive/points): ties make "active"
        fragile, and ``holds`` also requires ``min_margin >= 1e-9`` (unless
        ``n_hidden <= n_active``, when sparsity is trivial).
    groups : list of ndarray or None
        Pairwise: the colour classes; units within one class are pairwise exclusive.
    """
    method: str
    n_active: int
    holds: bool
    max_active: int
    min_margin: float | None = None
    groups: list | None = field(default=None, repr=False)
    n_points: int | None = None

    def to_dict(self):
        return {"method": self.method, "n_active": self.n_active, "holds": self.holds,
                "max_active": self.max_active, "min_margin": self.min_margin,
                "n_groups": None if self.groups is None else len(self.groups),
                "n_points": self.n_points}


def certify_exhaustive(network, n_active, *, enumeration=None, max_bytes=None):
    """Certify ``max_x |{j active}| <= n_active`` by enumerating ``{-1,1}^n`` (``n <= 24``).

    Pass a precomputed :class:`NetworkEnumeration` as ``enumeration`` to reuse a pass.
    """
    n_active = check_int("n_active", n_active, low=1)
    _check_network(network)
    e = enumeration if enumeration is not None else enumerate_network(network, max_bytes=max_bytes)
    # with at most n_active units the claim is trivial, ties or not
    holds = network.n_hidden <= n_active or (e.max_active <= n_active
                                             and e.min_margin >= TIE_MARGIN)
    return SparsityCertificate("exhaustive", n_active, bool(holds), e.max_active, e.min_margin,
                               None, 1 << network.n_vars)


def certify_on_points(network, X, n_active):
    """Sparsity on the finite set of rows of ``X`` (P2 Def. 1.1 for a distribution's support).

    This is exact for that set and says nothing about other points.
    """
    n_active = check_int("n_active", n_active, low=1)
    z = _check_network(network).pre_activations(X)
    m = int(np.count_nonzero(z > 0, axis=1).max())
    margin = float(np.min(np.abs(z)))
    holds = network.n_hidden <= n_active or (m <= n_active and margin >= TIE_MARGIN)
    return SparsityCertificate("points", n_active, bool(holds), m, margin, None, int(z.shape[0]))


def _phi(lam, a, c, ba, bc):
    """phi(lambda) and a rounding-error bound for it, row-wise."""
    v = lam[:, None] * (a - c) + c
    phi = np.abs(v).sum(axis=1) - lam * ba - (1 - lam) * bc
    scale = (np.abs(lam[:, None] * a).sum(axis=1) + np.abs((1 - lam)[:, None] * c).sum(axis=1)
             + np.abs(lam * ba) + np.abs((1 - lam) * bc))
    return phi, 64 * np.finfo(np.float64).eps * (scale + 1.0)


def _exclusion_pairs(w, b, ii, jj, n_iter=60):
    r"""True where some :math:`\lambda\in[0,1]` proves units ``ii``, ``jj`` never co-fire.

    :math:`\varphi(\lambda)=\|\lambda w_j+(1-\lambda)w_{j'}\|_1-\lambda b_j-(1-\lambda)b_{j'}`
    is convex.  λ = 0, ½, 1 are tried first; the remaining pairs get a bisection on
    the subgradient.  A pair is certified only when :math:`\varphi(\lambda)` is below
    ``-64 eps`` times the magnitudes involved, so float rounding cannot produce a
    false certificate (exact ties are conservatively not certified).
    """
    out = np.zeros(ii.size, dtype=bool)
    block = max(1, (1 << 22) // max(1, w.shape[1]))
    for start in range(0, ii.size, block):
        sl = slice(start, start + block)
        a, c, ba, bc = w[ii[sl]], w[jj[sl]], b[ii[sl]], b[jj[sl]]
        ok = np.zeros(a.shape[0], dtype=bool)
        for val in (0.5, 0.0, 1.0):
            phi, err = _phi(np.full(a.shape[0], val), a, c, ba, bc)
            ok |= phi <= -err
        rest = np.flatnonzero(~ok)
        if rest.size:
            a2, c2, ba2, bc2 = a[rest], c[rest], ba[rest], bc[rest]
            diff = a2 - c2
            lo, hi = np.zeros(rest.size), np.ones(rest.size)
            for _ in range(n_iter):
                mid = 0.5 * (lo + hi)
                slope = np.sum(np.sign(mid[:, None] * diff + c2) * diff, axis=1) - (ba2 - bc2)
                up = slope > 0
                hi = np.where(up, mid, hi)
                lo = np.where(up, lo, mid)
            for lam in (lo, hi):
                phi, err = _phi(lam, a2, c2, ba2, bc2)
                ok[rest] |= phi <= -err
        out[sl] = ok
    return out


def _exclusion_matrix(w, b):
    s = w.shape[0]
    ii, jj = np.triu_indices(s, k=1)
    excl = np.zeros((s, s), dtype=bool)
    excl[ii, jj] = _exclusion_pairs(w, b, ii, jj)
    return excl | excl.T


def certify_pairwise(network, n_active, *, groups=None):
    """Certify ``k``-sparsity on all of ``{-1,1}^n`` (any ``n``) by pairwise exclusion (§C.1.2).

    If the units split into ``k`` classes whose members are pairwise exclusive,
    at most one unit per class is active, so at most ``k`` in all.  With
    ``groups=None`` the classes come from a greedy colouring of the graph of
    pairs *not* proven exclusive (largest degree first); pass ``groups`` (a
    list of index arrays) to check a known partition instead.

    The certificate is sufficient, not necessary: ``holds=False`` does not prove
    the network dense.  Cost: ``O(n_hidden**2 * n_vars * 60)``.
    """
    n_active = check_int("n_active", n_active, low=1)
    s = _check_network(network).n_hidden
    if groups is not None:
        groups = [np.asarray(g, dtype=np.int64) for g in groups]
        cover = np.sort(np.concatenate(groups)) if groups else np.array([], dtype=np.int64)
        if not np.array_equal(cover, np.arange(s)):
            raise ValueError("groups must partition range(n_hidden) exactly")
        ok = True
        for g in groups:
            ii, jj = np.triu_indices(g.size, k=1)
            ok = ok and bool(np.all(_exclusion_pairs(network.weights, network.biases,
                                                       g[ii], g[jj])))
        bound = len(groups) if ok else s
        return SparsityCertificate("pairwise-exclusion", n_active, bool(ok and bound <= n_active),
                                   bound, None, groups)
    compat = ~_exclusion_matrix(network.weights, network.biases)
    np.fill_diagonal(compat, False)
    order = np.argsort(-compat.sum(axis=1), kind="stable")
    colour = np.full(s, -1, dtype=np.int64)
    for j in order:          # a loop over units (not points); s is at most a few thousand
        used = np.unique(colour[compat[j] & (colour >= 0)])
        free = np.setdiff1d(np.arange(used.size + 1), used)
        colour[j] = free[0]
    n_col = int(colour.max()) + 1
    groups = [np.flatnonzero(colour == c) for c in range(n_col)]
    return SparsityCertificate("pairwise-exclusion", n_active, n_col <= n_active, n_col, None,
                               groups)


# --------------------------------------------------------------------------- constructions

def _rng(rng):
    return np.random.default_rng(rng)


def junta_network(truth_values, n_vars, relevant=None):
    r"""Junta as a 1-sparse network (P2 Thm 4.2 proof, THEORY §A.11).

    ``f`` depends on the coordinates ``relevant`` (default ``0..p-1``) and takes
    the value ``truth_values[i]`` on the pattern of index ``i`` (hypercube index
    convention over the relevant coordinates).  Units:
    :math:`w_j` = pattern ``j`` on the relevant coordinates, :math:`b_j=p-1`,
    :math:`u_j=f(\text{pattern }j)`; :math:`\sigma(\langle w_j,x\rangle-p+1)=1\{x_{rel}=w_{j,rel}\}`.
    So :math:`\|w_j\|=\sqrt p`, :math:`|b_j|=p-1`.
    """
    vals = np.asarray(truth_values, dtype=np.float64).reshape(-1)
    p = int(np.log2(vals.size)) if vals.size else -1
    if vals.size < 2 or (1 << p) != vals.size:
        raise ValueError(f"truth_values must have length 2**p with p >= 1; got length {vals.size}")
    n_vars = check_int("n_vars", n_vars, low=p)
    rel = np.arange(p) if relevant is None else np.asarray(relevant, dtype=np.int64)
    if rel.shape != (p,) or np.unique(rel).size != p or rel.min() < 0 or rel.max() >= n_vars:
        raise ValueError(f"relevant must be {p} distinct coordinates in [0, {n_vars - 1}]; "
                         f"got {relevant!r}")
    w = np.zeros((1 << p, n_vars))
    w[:, rel] = _cube_rows(0, 1 << p, p, np.float64)
    return SparseReLUNetwork(w, np.full(1 << p, p - 1.0), vals)


def indexing_network(address_bits):
    r"""``Index_b`` on ``{-1,1}^{b + 2**b}`` as a 1-sparse network (THEORY §A.11).

    Input ``z = (x, y)``: ``x`` = first ``b`` coordinates read as an integer with the
    hypercube convention (bit ``j`` is 1 where ``x_j = -1``), ``y`` = the next ``2**b``.
    Output :math:`\tfrac12 y_x+\tfrac12\in\{0,1\}`.  :math:`W=\sqrt{b+1/4}`, :math:`B=b-\tfrac12`.
    """
    b = check_int("address_bits", address_bits, low=1, high=20)
    n = b + (1 << b)
    w = np.zeros((1 << b, n))
    w[:, :b] = _cube_rows(0, 1 << b, b, np.float64)
    w[np.arange(1 << b), b + np.arange(1 << b)] = 0.5
    return SparseReLUNetwork(w, np.full(1 << b, b - 0.5), np.ones(1 << b))


def gated_network(n_vars, n_gate, n_active, *, support=None, patterns=None, rng=None,
                  output="sign"):
    r"""Gated network (THEORY §C.1.3; P2 App. A), ``n_active``-sparse on the whole cube.

    Gate coordinates are ``0..n_gate-1``; each gate pattern :math:`\alpha` gets
    ``n_active`` units :math:`w_j=(\Gamma\alpha,v_j)`, :math:`b_j=\Gamma g+c_j`.
    A gate mismatch gives :math:`\langle w_j,x\rangle-b_j\le-2\Gamma+\|v_j\|_1-c_j<0`,
    so only the units of the matching pattern can fire.  All numbers are
    dyadic (multiples of 1/16) so evaluation is exact and ties impossible:
    :math:`v_j\in\{\pm\tfrac18,\dots,\pm1\}` on a random support of size
    ``support`` (default: all ``n_vars - n_gate`` free coordinates — dense App. A style),
    :math:`c_j\in\tfrac18\mathbb Z+\tfrac1{16}` near 0, and
    :math:`\Gamma>\max_j(\|v_j\|_1-c_j)` (the smallest multiple of 1/8 above it; this
    also makes every cross-pattern pair provably exclusive at :math:`\lambda=\tfrac12`).

    Parameters
    ----------
    n_vars, n_gate, n_active : int
        ``n_vars > n_gate >= 1``; ``n_hidden = patterns * n_active``.
    support : int, optional
        Number of nonzero free weights per unit (fixed support keeps ``W*`` fixed as
        ``n_vars`` grows, §C.2).
    patterns : int, optional
        Number of gate patterns used (default all ``2**n_gate``).
    output : {"sign", "uniform"}
        ``u_j = ±1``, or uniform in ``[-1, 1]``.
    """
    n_vars = check_int("n_vars", n_vars, low=2)
    g = check_int("n_gate", n_gate, low=1, high=min(n_vars - 1, 16))
    k = check_int("n_active", n_active, low=1)
    free = n_vars - g
    q = free if support is None else check_int("support", support, low=1, high=free)
    npat = (1 << g) if patterns is None else check_int("patterns", patterns, low=1, high=1 << g)
    if output not in ("sign", "uniform"):
        raise ValueError(f'output must be "sign" or "uniform"; got {output!r}')
    rng = _rng(rng)
    pats = np.sort(rng.choice(1 << g, size=npat, replace=False))
    alpha = np.repeat(_cube_rows(0, 1 << g, g, np.float64)[pats], k, axis=0)
    s = npat * k
    v = np.zeros((s, free))
    mags = rng.integers(1, 9, size=(s, q)) / 8.0 * rng.choice([-1.0, 1.0], size=(s, q))
    cols = np.argsort(rng.random((s, free)), axis=1)[:, :q]
    np.put_along_axis(v, cols, mags, axis=1)
    # threshold c_j: a random fraction of ||v_j||_1 below 0, so p_j is not negligible
    l1 = np.abs(v).sum(axis=1)
    c = np.floor(rng.uniform(-0.5, 0.3, size=s) * l1 * 8) / 8 + 1 / 16
    gamma = np.floor(float(np.max(l1 - c)) * 8 + 1) / 8    # > max(||v||_1 - c): §C.1.3

    w = np.hstack([gamma * alpha, v])
    bias = gamma * g + c
    u = rng.choice([-1.0, 1.0], size=s) if output == "sign" else rng.uniform(-1, 1, size=s)
    return SparseReLUNetwork(w, bias, u)


def hamming_caps_network(n_vars, n_caps, radius, *, n_layers=1, beta=None, rng=None,
                         antipodal=False, max_tries=10_000):
    r"""Hamming-cap network (THEORY §C.1.4): unit j is active iff :math:`d_H(x,c_j)<r`.

    :math:`w_j=\beta c_j`, :math:`b_j=\beta(n-2r+1)` (the ``+1`` puts every
    pre-activation at least :math:`\beta` away from 0).  Within a layer the
    centres are pairwise at Hamming distance ``>= 2r``, so the caps are disjoint
    with a pairwise-exclusion margin :math:`\ge\beta`; ``n_layers`` independent
    layers give an ``n_layers``-sparse network.  ``beta`` defaults to
    :math:`1/\sqrt n` (so ``W* = 1`` with ``|u_j| = 1``).  ``antipodal=True``
    uses the pairs ``c, -c`` (the only way to fit two large caps).
    """
    n = check_int("n_vars", n_vars, low=2)
    s1 = check_int("n_caps", n_caps, low=1)
    r = check_int("radius", radius, low=1, high=n // 2)
    L = check_int("n_layers", n_layers, low=1)
    beta = 1 / np.sqrt(n) if beta is None else check_real("beta", beta, low=0, low_open=True)
    if antipodal and s1 > 2:
        raise ValueError(f"n_caps must be <= 2 with antipodal=True; got {n_caps}")
    rng = _rng(rng)
    centres = []
    for _ in range(L):
        layer = np.empty((0, n))
        tries = 0
        while layer.shape[0] < s1:
            tries += 1
            if tries > max_tries:
                raise ValueError(f"could not place {s1} caps of radius {r} in n_vars={n} "
                                 f"({max_tries} tries); lower n_caps or radius")
            if antipodal and layer.shape[0] == 1:
                cand = -layer[0]
            else:
                cand = rng.choice([-1.0, 1.0], size=n)
            if layer.shape[0] and np.min((n - layer @ cand) / 2) < 2 * r:
                continue
            layer = np.vstack([layer, cand])
        centres.append(layer)
    C = np.vstack(centres)
    u = rng.choice([-1.0, 1.0], size=C.shape[0])
    return SparseReLUNetwork(beta * C, np.full(C.shape[0], beta * (n - 2 * r + 1)), u)


def lift_parity_inputs(Y):
    r"""The lifting :math:`x(y)\in\{\pm1\}^{m\times m}` of §A.11, flattened row-major.

    :math:`x_{ii}=y_i`, :math:`x_{ij}=y_iy_j` (``i != j``).
    """
    Y = check_pm1("Y", Y, ndim=2).astype(np.float64)
    m = Y.shape[1]
    X = Y[:, :, None] * Y[:, None, :]
    X[:, np.arange(m), np.arange(m)] = Y
    return X.reshape(Y.shape[0], m * m)


def _subset_array(subset, m):
    S = np.asarray(sorted({int(i) for i in subset}), dtype=np.int64)
    if S.size == 0 or S.min() < 0 or S.max() >= m:
        raise ValueError(f"subset must be a non-empty subset of range({m}); got {subset!r}")
    return S


def parity_indicator(Y, subset):
    """``chi_S(y) in {0, 1}``: 1 iff the number of -1 entries of ``y`` in ``S`` is even."""
    Y = check_pm1("Y", Y, ndim=2)
    S = _subset_array(subset, Y.shape[1])
    return (np.count_nonzero(Y[:, S] < 0, axis=1) % 2 == 0).astype(np.float64)


def _parity_relu_sum(t, S_size, offsets):
    return np.sum(2 * np.maximum(0.5 - (t[:, None] - offsets[None, :]) ** 2, 0.0), axis=1)


def paper_parity_literal(Y, subset):
    r"""P2's printed identity :math:`\sum_{a \text{ even}}2\sigma(\tfrac12-(\sum_{i\in S}y_i-a)^2)`.

    :math:`\sum_{i\in S}y_i\equiv|S|\pmod 2`, so this is constant in ``y`` (THEORY §A.11, ERRATUM).
    """
    Y = check_pm1("Y", Y, ndim=2).astype(np.float64)
    m = Y.shape[1]
    S = _subset_array(subset, m)
    a = np.arange(-m, m + 1)
    return _parity_relu_sum(Y[:, S].sum(axis=1), S.size, a[a % 2 == 0].astype(np.float64))


def lifted_parity_network(m, subset, *, paper_support=False):
    r"""Network on :math:`\{\pm1\}^{m^2}` with :math:`h(x(y))=\chi_S(y)` (corrected §A.11).

    Units: one per :math:`a\in[-|S|,|S|]`, :math:`a\equiv|S|\pmod4`;
    :math:`w_{S,a}[i,j]=-1` for ``i != j`` both in ``S``, :math:`w_{S,a}[i,i]=2a`
    for ``i in S``, :math:`b_{S,a}=|S|+a^2-\tfrac12`, :math:`u=2`.  On lifted
    inputs at most one unit is active.  ``paper_support=True`` puts the ``-1``
    on every ``i != j in [m]`` as printed; the identity then fails (the control).
    """
    m = check_int("m", m, low=1, high=64)
    S = _subset_array(subset, m)
    s = S.size
    a = np.arange(-s, s + 1)
    a = a[(a - s) % 4 == 0].astype(np.float64)
    w = np.zeros((a.size, m, m))
    if paper_support:
        w[:, :, :] = -1.0
    else:
        w[np.ix_(np.arange(a.size), S, S)] = -1.0
    w[:, np.arange(m), np.arange(m)] = 0.0
    w[:, S, S] = 2 * a[:, None]
    return SparseReLUNetwork(w.reshape(a.size, m * m), s + a ** 2 - 0.5, np.full(a.size, 2.0))


def aligned_network(n_vars, n_active):
    r"""The tightness probe :math:`h=\sum_{j\le k}\sigma(x_1+1)=k(x_1+1)`: ``AS = k**2 W**2`` (§A.8-D)."""
    n = check_int("n_vars", n_vars, low=1)
    k = check_int("n_active", n_active, low=1)
    w = np.zeros((k, n))
    w[:, 0] = 1.0
    return SparseReLUNetwork(w, -np.ones(k), np.ones(k))


def parity_network(n_vars, n_parity=None):
    r"""Dense network computing the ±1 parity of the first ``n_parity`` bits (the control).

    With :math:`S=\sum_{i<q}x_i\in\{-q,-q+2,\dots,q\}` the parity is
    :math:`(-1)^{(q-S)/2}`.  Units: :math:`\sigma(S-t)` at the odd kinks
    ``t = -q+1, -q+3, ..., q-1`` (every pre-activation is at least 1 away from 0),
    :math:`\sigma(S+q+1)` and the constant :math:`\sigma(1)`, with output weights
    solving the ``q + 1`` interpolation conditions (minimum norm).  At
    :math:`S=q` all ``q + 2`` units fire: the network is **not** sparse, and its
    whole spectrum sits at level ``q``.
    """
    n = check_int("n_vars", n_vars, low=1)
    q = n if n_parity is None else check_int("n_parity", n_parity, low=1, high=n)
    kinks = np.arange(-q + 1, q, 2, dtype=np.float64)
    bias = np.concatenate([[-q - 1.0, -1.0], kinks])
    w = np.zeros((q + 2, n))
    w[:, :q] = 1.0
    w[1, :] = 0.0
    S = np.arange(-q, q + 1, 2, dtype=np.float64)
    M = np.maximum(S[:, None] * (w[:, 0] != 0)[None, :] - bias[None, :], 0.0)
    target = (-1.0) ** ((q - S) / 2)
    u = np.linalg.lstsq(M, target, rcond=None)[0]
    return SparseReLUNetwork(w, bias, np.round(u, 12))


def random_sparse_network(n_vars, n_hidden, n_active, *, family="gated", W=None, rng=None,
                          support=None):
    """A random network certified ``n_active``-sparse on all of ``{-1,1}^n_vars``.

    Parameters
    ----------
    n_vars, n_hidden, n_active : int
        ``n_hidden`` must be a multiple of ``n_active`` and, for ``"gated"``,
        ``n_hidden / n_active <= 2**(n_vars - 1)``.
    family : {"gated", "caps"}
        Gated network (§C.1.3) with the fewest gate bits that give ``n_hidden / n_active``
        patterns, or ``n_active`` layers of disjoint Hamming caps (§C.1.4).
    W : float, optional
        Rescale the output weights so that ``W_star == W``.
    support : int, optional
        Gated only: nonzero free weights per unit.

    The returned network carries ``.certificate`` (pairwise exclusion within the
    construction's ``k`` groups, proven numerically for any ``n``); the function
    raises if the certificate does not hold.
    """
    n = check_int("n_vars", n_vars, low=2)
    s = check_int("n_hidden", n_hidden, low=1)
    k = check_int("n_active", n_active, low=1, high=s)
    if s % k:
        raise ValueError(f"n_hidden must be a multiple of n_active={k}; got {s}")
    rng = _rng(rng)
    per = s // k
    if family == "gated":
        g = max(1, int(np.ceil(np.log2(per))))
        if g > 16:
            raise ValueError(f"n_hidden / n_active must be at most 2**16 = 65536 patterns for "
                             f'family="gated" (one gate bit each); got n_hidden={s}, '
                             f"n_active={k} ({per} patterns)")
        if g >= n:
            raise ValueError(f"n_hidden / n_active = {per} patterns need {g} gate bits, "
                             f"so n_vars must be >= {g + 1}; got {n}")
        net = gated_network(n, g, k, support=support, patterns=per, rng=rng)
        groups = [np.arange(slot, s, k) for slot in range(k)]       # one unit per pattern
    elif family == "caps":
        r = max(1, int(np.floor(n / (2 * per + 2))))
        net = hamming_caps_network(n, per, r, n_layers=k, rng=rng)
        groups = [np.arange(layer * per, (layer + 1) * per) for layer in range(k)]
    else:
        raise ValueError(f'family must be "gated" or "caps"; got {family!r}')
    if W is not None:
        net = net.rescaled(W)
    cert = certify_pairwise(net, k, groups=groups)
    if not cert.holds:
        raise RuntimeError(f"internal error: generated network not certified ({cert})")
    net.certificate = cert
    return net


def peres_samples(network, n_buckets, n_samples, *, rng=None, max_bytes=None):
    r"""Samples of Peres' reduction (P2 App. B, THEORY §A.9) for the identity (17).

    Each sample draws :math:`z\in\{\pm1\}^n`, a uniform bucket :math:`e(l)\in[r]`
    per coordinate, and forms the reduced network
    :math:`H_z(v)=\sum_ju_j\sigma(\langle w'_j,v\rangle-b_j)` on :math:`\{\pm1\}^r`
    with :math:`w'_{je}=\sum_{l:e(l)=e}w_{jl}z_l`; its average sensitivity is
    computed **exactly** on all :math:`2^r` points.  Then
    :math:`\mathrm{NS}_{1-2/r}(h)=\frac1r\mathbb E[\mathrm{AS}(H_z)]` (exact identity).

    Returns
    -------
    dict with ``"as_over_r"`` (shape ``(n_samples,)``, :math:`\mathrm{AS}(H_z)/r`),
    ``"max_active"`` (the most active units of any :math:`H_z` at any
    :math:`v` — at most ``k`` if ``h`` is ``k``-sparse on the cube) and
    ``"norm_ratio"`` (:math:`\max_j\|w'_j\|^2/\|w_j\|^2` per sample, the
    concentration step's quantity; units with :math:`w_j=0` are skipped).
    """
    r = check_int("n_buckets", n_buckets, low=2, high=16)
    n_samples = check_int("n_samples", n_samples, low=1)
    rng = _rng(rng)
    n, s = network.n_vars, network.n_hidden
    V = _cube_rows(0, 1 << r, r, np.float64)
    per = max(1, (1 << 22) // ((1 << r) * s))
    check_memory(8 * per * (1 << r) * s, "Peres pre-activations (one batch)", max_bytes)
    w, b, u = network.weights, network.biases, network.output_weights
    wn2 = np.sum(w * w, axis=1)
    live = wn2 > 0
    as_r = np.empty(n_samples)
    ratio = np.empty(n_samples)
    max_active = 0
    for start in range(0, n_samples, per):   # batches of samples, each fully vectorised
        m = min(per, n_samples - start)
        z = 1.0 - 2.0 * rng.integers(0, 2, size=(m, n))
        e = rng.integers(0, r, size=(m, n))
        onehot = np.zeros((m, n, r))
        np.put_along_axis(onehot, e[:, :, None], z[:, :, None], axis=2)
        wp = np.einsum("jl,mle->mje", w, onehot)                 # (m, s, r)
        pre = np.einsum("ve,mje->mvj", V, wp) - b                 # (m, 2**r, s)
        max_active = max(max_active, int(np.count_nonzero(pre > 0, axis=2).max()))
        np.maximum(pre, 0.0, out=pre)
        T = pre @ u                                               # (m, 2**r)
        as_r[start:start + m] = average_sensitivity(T, axis=1) / r
        ratio[start:start + m] = (np.max(np.sum(wp * wp, axis=2)[:, live] / wn2[live], axis=1)
                                  if live.any() else 0.0)
    return {"as_over_r": as_r, "max_active": max_active, "norm_ratio": ratio}
