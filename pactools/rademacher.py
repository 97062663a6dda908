r"""Empirical Rademacher complexity: estimators, exact oracles and witnesses (THEORY.md §A.13, §C.2).

:math:`\mathcal R_{\mathcal H}(S)=\mathbb E_\zeta[\sup_{h\in\mathcal H}\frac1m\sum_i\zeta_ih(x_i)]`
(SSBD's normalisation, as in P2).  :func:`rademacher_mc` averages an *oracle*
``oracle(Z) -> sup values`` over batches of sign vectors ``Z`` (rows) and returns a
:class:`~pactools.stats.MonteCarloResult` with its interval.

Exact oracles: :func:`linear_oracle` (:math:`\|w\|\le W`: :math:`W\|\sum\zeta_ix_i\|/m`),
:func:`affine_oracle` (adds :math:`|b|\le B`), :func:`finite_oracle` (enumeration).

The class :math:`\mathcal H^{W,B}_{n,s,k}` has no tractable sup, so it is sandwiched
from below by **witnesses**: explicit networks, ``k``-sparse on the sample, whose
value :math:`\frac1m\sum_i\zeta_ih(x_i)` is a lower bound of the sup for that
:math:`\zeta` (:func:`sparse_witness`: greedy disjoint caps, ``k`` layers;
:func:`refine_witness`: the convex program in :math:`(w_j,b_j)` for the found
activation pattern, cvxpy; :func:`dense_witness`: all ``s`` units active).
"""
from __future__ import annotations

import numpy as np

from ._validation import (check_finite_output, check_int, check_matrix, check_memory, check_pm1,
                          check_real)
from .fourier import _blas_single_thread
from .hypercube import _point_index
from .stats import mean_estimate

__all__ = ["rademacher_mc", "linear_oracle", "affine_oracle", "finite_oracle",
           "sparse_witness", "gated_witness", "refine_witness", "dense_witness", "Witness",
           "sample_sphere"]


def sample_sphere(n_samples, n_vars, radius=1.0, *, rng=None):
    """``n_samples`` points uniform on the sphere of ``radius`` in ``R^n_vars``."""
    n_samples = check_int("n_samples", n_samples, low=1)
    n_vars = check_int("n_vars", n_vars, low=1)
    radius = check_real("radius", radius, low=0.0, low_open=True)
    check_memory(16 * n_samples * n_vars, f"sample_sphere({n_samples}, {n_vars})",
                 hint="draw fewer n_samples", settable=False)
    G = np.random.default_rng(rng).standard_normal((n_samples, n_vars))
    return radius * G / np.linalg.norm(G, axis=1, keepdims=True)


def rademacher_mc(oracle, n_samples, *, n_signs=1000, confidence_level=0.99, rng=None,
                  batch_size=1000):
    r"""Monte Carlo estimate of :math:`\mathbb E_\zeta[\text{oracle}(\zeta)]` with an interval.

    ``n_samples`` is the sample size ``m`` (THEORY.md §0.3).  ``oracle(Z)`` receives ``Z``
    of shape ``(batch, n_samples)`` with entries ±1 (float32) and returns the ``batch``
    values :math:`\sup_h\frac1m\sum_i\zeta_ih(x_i)`.
    """
    if not callable(oracle):
        raise TypeError(f"oracle must be callable; got {type(oracle).__name__}")
    n_samples = check_int("n_samples", n_samples, low=1)
    bound_to = getattr(oracle, "n_samples", None)
    if bound_to is not None and bound_to != n_samples:
        raise ValueError(f"n_samples must equal the oracle's sample size {bound_to} (the rows "
                         f"of the X it was built on); got {n_samples}")
    n_signs = check_int("n_signs", n_signs, low=2)
    batch_size = check_int("batch_size", batch_size, low=1)
    check_memory(8 * n_signs + 5 * min(batch_size, n_signs) * n_samples,
                 f"{n_signs} sign vectors of length {n_samples}", None,
                 hint="use fewer n_signs or a smaller batch_size", settable=False)
    rng = np.random.default_rng(rng)
    vals = []
    for start in range(0, n_signs, batch_size):
        b = min(batch_size, n_signs - start)
        Z = (1 - 2 * rng.integers(0, 2, size=(b, n_samples), dtype=np.int8)).astype(np.float32)
        vals.append(check_finite_output("oracle", oracle(Z), b, item="sign vector"))
    return mean_estimate(np.concatenate(vals), confidence_level)


def _bound_oracle(fn, m):
    """``fn`` with the sample size ``m`` it was built for, which rademacher_mc checks."""
    fn.n_samples = m
    return fn


def linear_oracle(X, W=1.0):
    r"""Exact sup for :math:`\{x\mapsto\langle w,x\rangle:\|w\|_2\le W\}`: :math:`W\|\sum_i\zeta_ix_i\|/m`.

    One float32 GEMM per batch, BLAS pinned to one thread (PERFORMANCE.md).
    """
    Xf = check_matrix("X", X).astype(np.float32)
    m = Xf.shape[0]
    W = check_real("W", W, low=0.0)

    def oracle(Z):
        with _blas_single_thread():
            V = Z @ Xf
        return W * np.linalg.norm(V.astype(np.float64), axis=1) / m
    return _bound_oracle(oracle, m)


def affine_oracle(X, W=1.0, B=1.0):
    r"""Exact sup for :math:`\{\langle w,x\rangle-b:\|w\|\le W,|b|\le B\}`: :math:`(W\|\sum\zeta_ix_i\|+B|\sum\zeta_i|)/m`."""
    lin = linear_oracle(X, W)
    m = lin.n_samples
    B = check_real("B", B, low=0.0)
    return _bound_oracle(lambda Z: lin(Z) + B * np.abs(Z.sum(axis=1, dtype=np.float64)) / m, m)


def finite_oracle(values):
    """Exact sup over a finite class by enumeration; ``values[h, i] = h(x_i)``."""
    H = check_matrix("values", values)
    m = H.shape[1]
    return _bound_oracle(lambda Z: np.max(Z.astype(np.float64) @ H.T, axis=1) / m, m)


def _check_sample(X, zeta, *, cube=False):
    """The sample ``X`` (finite ``(m, n)``; ±1 entries when ``cube``) and its signs ``zeta``
    (``m`` entries ±1), as float64."""
    X = (check_pm1("X", X, ndim=2).astype(np.float64) if cube else check_matrix("X", X))
    zeta = check_pm1("zeta", zeta, ndim=1).astype(np.float64)
    if zeta.shape != (X.shape[0],):
        raise ValueError(f"zeta must hold one sign per row of X ({X.shape[0]}); got shape "
                         f"{zeta.shape}")
    return X, zeta


class Witness:
    """A network ``k``-sparse on the sample with its Rademacher value for one sign vector.

    Attributes: ``weights`` (s, n), ``biases`` (s,), ``output_weights`` (s,), ``value``
    (:math:`\\frac1m\\sum_i\\zeta_ih(x_i)`, recomputed from the network), ``max_active``
    (on the sample), ``caps`` (index arrays of the active points per unit).
    """

    def __init__(self, weights, biases, output_weights, X, zeta, caps=None):
        from .networks import SparseReLUNetwork
        self.network = SparseReLUNetwork(weights, biases, output_weights)
        X, zeta = _check_sample(X, zeta)
        self.value = float(np.mean(zeta * self.network(X)))
        self.max_active = int(self.network.active_counts(X).max())
        self.caps = caps

    @property
    def weights(self):
        return self.network.weights

    @property
    def biases(self):
        return self.network.biases


def sparse_witness(X, zeta, n_hidden, n_active=1, *, W=1.0, B=1.0, n_directions=None,
                   cap_factor=2.0, rng=None):
    r"""Greedy witness in :math:`\mathcal H^{W,B}_{n,s,k}` that is ``k``-sparse **on the sample**.

    ``k`` layers of ``s/k`` units each.  In a layer, units are caps
    :math:`\{i:\langle v,x_i\rangle>\tau\}` over a pool of random unit directions ``v``;
    a new cap may only contain points no earlier cap of the layer holds (so the layer
    is 1-sparse on the sample), i.e. it is a top segment of the projections above the
    highest used point.  The unit is :math:`w=Wv`, :math:`b=W\tau` (:math:`|b|\le B`),
    :math:`u=\pm1` matching the sign of :math:`\sum_{i\in I}\zeta_i(\langle w,x_i\rangle-b)`;
    each greedy step takes the cap with the largest such absolute sum, over all
    directions, segment lengths and the two ends of the admissible :math:`\tau` interval
    (vectorised by prefix sums).  A cap holds at most ``cap_factor * m / (s/k)`` points,
    so one unit cannot take the whole sample.  Returns a :class:`Witness`.
    """
    X, zeta = _check_sample(X, zeta)
    m, n = X.shape
    s = check_int("n_hidden", n_hidden, low=1)
    k = check_int("n_active", n_active, low=1, high=s)
    W = check_real("W", W, low=0.0, low_open=True)
    B = check_real("B", B, low=0.0)
    zeta = np.asarray(zeta, dtype=np.float64)
    if zeta.shape != (m,):
        raise ValueError(f"zeta must have shape ({m},); got {zeta.shape}")
    rng = np.random.default_rng(rng)
    per_layer = [s // k + (1 if j < s % k else 0) for j in range(k)]
    if n_directions is None:
        n_directions = max(64, 4 * max(per_layer))
    n_directions = check_int("n_directions", n_directions, low=1)
    check_memory(8 * 6 * n_directions * m, "witness search tables",
                 hint="pass a smaller n_directions", settable=False)
    wts, bs, us, caps = [], [], [], []
    tmax = B / W
    for layer, units in enumerate(per_layer):
        # directions: half at random sample points (caps centred on the data), half random
        anchors = X[rng.choice(m, size=min(m, n_directions // 2 + 1), replace=False)]
        V = np.vstack([anchors, rng.standard_normal((n_directions - anchors.shape[0], n))])
        V /= np.maximum(np.linalg.norm(V, axis=1, keepdims=True), 1e-300)
        P = V @ X.T                                        # (dirs, m)
        order = np.argsort(-P, axis=1)
        Ps = np.take_along_axis(P, order, axis=1)          # descending projections
        Zs = zeta[order]
        cumA = np.cumsum(Zs * Ps, axis=1)                  # sum zeta <v, x> over top q
        cumS = np.cumsum(Zs, axis=1)                       # sum zeta over top q
        nxt = np.concatenate([Ps[:, 1:], np.full((n_directions, 1), -np.inf)], axis=1)
        used = np.zeros(m, dtype=bool)
        q_max = int(np.ceil(cap_factor * m / units))      # caps of about m / units points
        for _ in range(units):                             # greedy steps: one unit each
            usedS = used[order]
            limit = np.where(usedS.any(axis=1), np.argmax(usedS, axis=1), m)  # allowed prefix
            limit = np.minimum(limit, q_max)
            q_ok = np.arange(m)[None, :] < limit[:, None]
            # tau in [nxt_q, Ps_q) intersected with [-tmax, tmax]; value linear in tau
            lo = np.maximum(nxt, -tmax)
            hi = np.minimum(Ps, tmax)
            # keep tau 1e-9 inside the interval: the network's own float evaluation must
            # see the same activation pattern as the sorted projections
            lo_eff = lo + 1e-9 * (1 + np.abs(lo))
            hi_eff = hi - 1e-9 * (1 + np.abs(hi))
            feas = q_ok & (lo_eff < hi_eff)
            best = np.full(Ps.shape, -np.inf)
            tau_best = np.zeros(Ps.shape)
            for tau in (lo_eff, hi_eff):
                with np.errstate(invalid="ignore"):
                    val = W * np.abs(cumA - tau * cumS)
                val = np.where(feas & np.isfinite(tau), val, -np.inf)
                better = val > best
                best = np.where(better, val, best)
                tau_best = np.where(better, tau, tau_best)
            flat = int(np.argmax(best))
            d, q = divmod(flat, m)
            if not np.isfinite(best[d, q]):
                break                                      # no admissible cap left
            tau = float(tau_best[d, q])
            members = order[d, :q + 1]
            used[members] = True
            w = W * V[d]
            b = W * tau
            val = float(np.sum(zeta[members] * (X[members] @ w - b)))
            wts.append(w)
            bs.append(b)
            us.append(1.0 if val >= 0 else -1.0)
            caps.append(members)
    if not wts:
        raise RuntimeError("no admissible cap found (B too small for the sample?)")
    wit = Witness(np.array(wts), np.array(bs), np.array(us), X, zeta, caps)
    act = wit.network.activations(X)
    if not all(np.array_equal(np.flatnonzero(act[:, j]), np.sort(c)) for j, c in enumerate(caps)):
        raise RuntimeError("internal error: a unit's activation set differs from its cap")
    return wit


def refine_witness(witness, X, zeta, *, W=1.0, B=1.0, margin=1e-7, solver="CLARABEL"):
    r"""Improve a witness without changing its activation pattern on the sample (cvxpy SOCP).

    For the fixed caps :math:`I_j` and signs :math:`u_j`, maximise
    :math:`\sum_ju_j\sum_{i\in I_j}\zeta_i(\langle w_j,x_i\rangle-b_j)` over
    :math:`\|w_j\|\le W`, :math:`|b_j|\le B`, :math:`\langle w_j,x_i\rangle-b_j\ge\text{margin}`
    on :math:`I_j` and :math:`\le0` off it: a convex program, so the refined network is
    again ``k``-sparse on the sample and in :math:`\mathcal H^{W,B}`.

    The solver's status is not trusted: its solution is projected onto the norm and bias
    constraints, its activation pattern recomputed on ``X`` and its value recomputed
    exactly, and it is kept only if the pattern is unchanged and the value larger; an
    infeasible, inaccurate or failed solve (``cvxpy.SolverError``) returns ``witness``.
    """
    import cvxpy as cp
    if not isinstance(witness, Witness) or witness.caps is None:
        raise TypeError("witness must be a Witness with caps (from sparse_witness or "
                        f"gated_witness); got {type(witness).__name__}")
    X, zeta = _check_sample(X, zeta)
    W = check_real("W", W, low=0.0, low_open=True)
    B = check_real("B", B, low=0.0)
    margin = check_real("margin", margin, low=0.0, low_open=True)
    caps = witness.caps
    u = witness.network.output_weights
    s, n = len(caps), X.shape[1]
    w = cp.Variable((s, n))
    b = cp.Variable(s)
    obj, cons = 0, [cp.abs(b) <= B]
    for j, I in enumerate(caps):                           # one block per unit (s is small)
        mask = np.zeros(X.shape[0], dtype=bool)
        mask[I] = True
        zI = zeta[I]
        obj += u[j] * (zI @ X[I] @ w[j] - zI.sum() * b[j])
        cons += [cp.norm(w[j]) <= W, X[I] @ w[j] - b[j] >= margin,
                 X[~mask] @ w[j] - b[j] <= 0]
    prob = cp.Problem(cp.Maximize(obj), cons)
    try:
        prob.solve(solver=solver)
    except cp.SolverError:
        return witness
    if w.value is None:
        return witness
    ww, bb = np.asarray(w.value), np.asarray(b.value)
    # project back onto the constraints exactly (solver tolerance), keep only if valid
    nrm = np.linalg.norm(ww, axis=1)
    ww = ww * np.minimum(1.0, W / np.maximum(nrm, 1e-300))[:, None]
    bb = np.clip(bb, -B, B)
    cand = Witness(ww, bb, u, X, zeta, caps)
    act = cand.network.activations(X)
    same = all(np.array_equal(np.flatnonzero(act[:, j]), np.sort(I)) for j, I in enumerate(caps))
    return cand if (same and cand.value > witness.value) else witness


def dense_witness(X, zeta, n_hidden, *, W=1.0, B=1.0):
    r"""The dense (``k = s``) witness: all ``s`` units equal and active on every point.

    :math:`w_j=\pm Wv`, :math:`v=\sum\zeta_ix_i/\|\cdot\|`, :math:`b_j=-B`, :math:`u_j=\pm1`
    chosen so the value is :math:`\frac sm(W\|\sum\zeta_ix_i\|+B|\sum\zeta_i|)` when every
    pre-activation is positive (guaranteed if :math:`B>WR`).  Returns a :class:`Witness`
    (its ``value`` is recomputed from the network, so it is honest even if not).
    """
    X, zeta = _check_sample(X, zeta)
    s = check_int("n_hidden", n_hidden, low=1)
    W = check_real("W", W, low=0.0)
    B = check_real("B", B, low=0.0)
    g = zeta @ X
    v = g / max(np.linalg.norm(g), 1e-300)
    sgn = 1.0 if zeta.sum() >= 0 else -1.0
    # u = sgn: value = sgn * s/m * sum zeta (<w, x> + B); choose w = sgn W v
    w = np.tile(sgn * W * v, (s, 1))
    return Witness(w, np.full(s, -B), np.full(s, sgn), X, zeta)


def gated_witness(X, zeta, n_hidden, n_active=1, *, W=1.0, B=1.0, gate_coords=None,
                  free_coords=None):
    r"""Witness for ``X`` on the cube: ``k`` layers of gated units, 1-sparse per layer on the sample.

    Layer ``l`` gates on its own block of :math:`g=\log_2(s/k)` coordinates: unit
    :math:`\alpha` of the layer is active exactly on the sample points whose gate bits
    equal :math:`\alpha` (a partition of the sample), so the network is ``k``-sparse on
    the sample.  On its group :math:`I` the unit is :math:`\rho(\langle d,x_F\rangle-\gamma)`
    on the free coordinates ``F``, with :math:`d\propto\pm\sum_{i\in I}\zeta_ix_{i,F}`,
    :math:`\gamma` just below :math:`\min_{i\in I}\langle d,x_{i,F}\rangle` (every point of
    the group active), and a gate weight :math:`\Gamma` large enough that a mismatch
    turns the unit off on every sample point; :math:`\rho` is set so that
    :math:`\|w\|=W` and clipped so that :math:`|b|\le B`.  The value is recomputed from
    the network and the sparsity on the sample is verified.  Closed form, no search.
    """
    X, zeta = _check_sample(X, zeta, cube=True)
    m, n = X.shape
    s = check_int("n_hidden", n_hidden, low=1)
    k = check_int("n_active", n_active, low=1, high=s)
    if s % k or (s // k) & (s // k - 1):
        raise ValueError(f"n_hidden / n_active must be a power of 2; got {s} / {k}")
    g = (s // k).bit_length() - 1
    if gate_coords is None:
        gate_coords = np.arange(k * g).reshape(k, g)
    gate_coords = np.asarray(gate_coords, dtype=np.int64).reshape(k, g)
    F = (np.setdiff1d(np.arange(n), gate_coords.ravel()) if free_coords is None
         else np.asarray(free_coords, dtype=np.int64))
    if F.size == 0:
        raise ValueError("no free coordinates left after the gates")
    zeta = np.asarray(zeta, dtype=np.float64)
    XF = X[:, F]
    wts, bs, us = [], [], []
    for layer in range(k):                                  # k layers, vectorised over units
        G = gate_coords[layer]
        codes = _point_index(X[:, G])                      # g = 0 gives all zeros
        P = 1 << g
        gsum = np.zeros((P, F.size))
        np.add.at(gsum, codes, zeta[:, None] * XF)
        S = np.bincount(codes, weights=zeta, minlength=P)
        nrm = np.linalg.norm(gsum, axis=1)
        d = np.where(nrm[:, None] > 0, gsum / np.maximum(nrm, 1e-300)[:, None], 0.0)
        d[nrm == 0, 0] = 1.0
        proj = XF @ d.T                                     # (m, P): <d_alpha, x_F>
        big = np.max(proj, axis=0)
        inf = np.full(P, np.inf)
        np.minimum.at(inf, codes, proj[np.arange(m), codes])
        gamma = np.where(np.isfinite(inf), inf - 1e-6, big)   # every group point active
        gam_gate = (big - gamma) / 2 + 1e-6                 # mismatch => pre-activation < 0
        rho = W / np.sqrt(1.0 + g * gam_gate ** 2)
        alpha = 1 - 2 * ((np.arange(P)[:, None] >> np.arange(g)) & 1)
        bias = rho * (gam_gate * g + gamma)
        scale = np.minimum(1.0, B / np.maximum(np.abs(bias), 1e-300))   # |b| <= B
        rho, bias = rho * scale, bias * scale
        w = np.zeros((P, n))
        w[:, G] = (rho * gam_gate)[:, None] * alpha
        w[:, F] = rho[:, None] * d
        val = rho * (nrm - gamma * S)                       # sum_I zeta_i (<w,x_i> - b)
        wts.append(w)
        bs.append(bias)
        us.append(np.where(val >= 0, 1.0, -1.0))
    wit = Witness(np.vstack(wts), np.concatenate(bs), np.concatenate(us), X, zeta)
    if wit.max_active > k:
        raise RuntimeError("internal error: gated witness not k-sparse on the sample")
    return wit
