r"""P1's dense model with a random bottom layer and its best uniform fit (THEORY.md §B.6, §C.3).

:class:`RandomReLUFeatures` draws a fixed bottom layer :math:`\sigma(\langle g_j,x\rangle+c_j)`,
:math:`g_j\sim\mathcal N(0,I_d)`, :math:`c_j\sim U[-\sqrt d,\sqrt d]`, plus a constant
feature; only the top layer is trained.  :func:`linf_fit` solves the top layer's
best :math:`\ell_\infty` fit on a finite point set **exactly**, as the linear program
:math:`\min_{a,s}s` s.t. :math:`|\Phi a-y|\le s` (HiGHS through :func:`scipy.optimize.linprog`).
:func:`min_width` finds the smallest width ``t`` whose fit error is below a target,
using nested prefixes of one feature pool (so the error is non-increasing in ``t``),
by doubling and then bisection.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_int, check_matrix, check_memory, check_real

__all__ = ["RandomReLUFeatures", "linf_fit", "min_width"]


class RandomReLUFeatures:
    """A random, fixed ReLU bottom layer of ``width`` units on ``R^dim`` (plus a constant)."""

    def __init__(self, dim, width, *, rng=None):
        self.dim = check_int("dim", dim, low=1)
        self.width = check_int("width", width, low=1)
        rng = np.random.default_rng(rng)
        self.weights = rng.standard_normal((self.width, self.dim))
        self.biases = rng.uniform(-np.sqrt(self.dim), np.sqrt(self.dim), size=self.width)

    def transform(self, X, width=None):
        """Features of the first ``width`` units (default all), with a leading constant column."""
        t = self.width if width is None else check_int("width", width, low=0, high=self.width)
        X = check_matrix("X", X, shape=(None, self.dim))
        check_memory(8 * X.shape[0] * (t + 1), "random-feature matrix",
                     hint="transform fewer rows or a smaller width", settable=False)
        out = np.empty((X.shape[0], t + 1))
        out[:, 0] = 1.0
        np.maximum(X @ self.weights[:t].T + self.biases[:t], 0.0, out=out[:, 1:])
        return out

    def flops(self, width=None):
        """FLOPs of a forward pass at ``width`` units: ``2 t (d + 1)`` (P1 Table 1's count)."""
        t = self.width if width is None else width
        return 2 * t * (self.dim + 1)


_METHODS = ("highs", "highs-ds", "highs-ipm")


def _lp(Phi, y, solver):
    """min s s.t. -s <= Phi a - y <= s, with scipy's HiGHS (no modelling layer: the
    constraint matrix is built once, directly)."""
    from scipy.optimize import linprog
    M, F = Phi.shape
    check_memory(16 * M * (F + 1), "LP constraint matrix",
                 hint="fit on fewer points or fewer features", settable=False)
    ones = np.ones((M, 1))
    A = np.block([[Phi, -ones], [-Phi, -ones]])
    c = np.zeros(F + 1)
    c[-1] = 1.0
    b = np.concatenate([y, -y])
    bounds = [(None, None)] * F + [(0, None)]
    # this LP is always feasible and bounded (s = max |y|, a = 0); a status other than
    # optimal is numerical trouble: retry with HiGHS's other methods, then each without
    # presolve (HiGHS's presolve fails with status 4 on some rank-deficient fits with more
    # features than points, e.g. P1 4.3 --quick --seed 36), before giving up
    tried = []
    methods = tuple(dict.fromkeys((solver, "highs-ds", "highs-ipm")))
    for method, presolve in [(m, True) for m in methods] + [(m, False) for m in methods]:
        res = linprog(c, A_ub=A, b_ub=b, bounds=bounds, method=method,
                      options=None if presolve else {"presolve": False})
        if res.status == 0:
            return float(res.x[-1]), np.asarray(res.x[:F], dtype=np.float64)
        tried.append(f"{method}{'' if presolve else ' without presolve'}: status "
                     f"{res.status} ({res.message})")
    raise RuntimeError("LP solver returned no optimal solution; " + "; ".join(tried))


def linf_fit(features, targets, *, solver="highs", exchange=True, rtol=1e-9):
    r"""Exact best uniform fit :math:`\min_a\max_i|(\Phi a)_i-y_i|` as an LP.

    ``solver`` is a :func:`scipy.optimize.linprog` HiGHS method: ``"highs"``,
    ``"highs-ds"`` (dual simplex) or ``"highs-ipm"`` (interior point).

    With ``exchange=True`` the LP is solved on a working set of rows that grows by
    the worst-fitted rows until no row of the full set exceeds the working set's
    optimum (the classical exchange / cutting-plane method).  The working-set
    optimum is a lower bound of the full optimum and the fitted coefficients an
    upper bound; the loop stops when they agree to ``rtol``, so the answer is the
    full LP's optimum — it is only computed on far fewer rows — or when every row
    above the lower bound is already in the working set (the two then differ by the
    solver's feasibility tolerance, about 1e-9 relative, and the error returned is
    the upper one).

    Returns ``(error, coef)``; ``error`` is recomputed from ``coef`` on all rows.
    """
    if solver not in _METHODS:
        raise ValueError(f"solver must be one of {', '.join(_METHODS)}; got {solver!r}")
    Phi = np.asarray(features, dtype=np.float64)
    y = np.asarray(targets, dtype=np.float64)
    if Phi.ndim != 2 or y.shape != (Phi.shape[0],):
        raise ValueError(f"features must be (n_points, n_features) and targets (n_points,); "
                         f"got {Phi.shape} and {y.shape}")
    M, F = Phi.shape
    if not exchange or M <= 4 * F:
        lower, coef = _lp(Phi, y, solver)
        return float(np.max(np.abs(Phi @ coef - y))), coef
    work = np.unique(np.concatenate([np.argsort(-np.abs(y))[:2 * F],
                                     np.linspace(0, M - 1, 2 * F).astype(int)]))
    while True:
        lower, coef = _lp(Phi[work], y[work], solver)
        res = np.abs(Phi @ coef - y)
        upper = float(res.max())
        if upper <= lower * (1 + rtol) + 1e-12:
            return upper, coef
        viol = np.flatnonzero(res > lower * (1 + rtol) + 1e-12)
        add = viol[np.argsort(-res[viol])][:max(F, 16)]
        grown = np.union1d(work, add)
        if grown.size == work.size:
            # the worst rows are in the working set already: add the worst of the others;
            # if none is left, the gap is the LP solver's own feasibility tolerance (its
            # solution violates its constraints by ~1e-9), not a missing row: stop, with the
            # error of the returned coefficients on every row
            fresh = viol[~np.isin(viol, work)]
            if fresh.size == 0:
                return upper, coef
            grown = np.union1d(work, fresh[np.argsort(-res[fresh])][:max(F, 16)])
        work = grown


def min_width(features, X, y, eps, *, start=4, guess=None, max_width=None, solver="highs"):
    r"""Smallest ``t`` (prefix of ``features``) whose best uniform fit has error ``< eps``.

    The error is non-increasing in ``t`` (a wider prefix contains the narrower one's
    features), so any bracket gives the same ``t_min``.  Without ``guess``: doubling from
    ``start`` until the error drops below ``eps``, then bisection.  With ``guess`` (e.g.
    a similar problem's ``t_min``): steps from it, down or up, growing geometrically from
    ``guess / 16``, then bisection -- far fewer LPs when the guess is close.  Each width's
    LP is solved exactly by :func:`linf_fit` with ``solver`` (default HiGHS's choice, its
    dual simplex here: as fast as its interior point on the k = 2 LPs of Theorem 4.3 and
    2x faster on the k = 1, d = 16 ones, with the same optimum).
    Returns ``(t_min, trace)`` with ``trace`` a list of ``(t, error)``; ``t_min`` is
    ``None`` if even ``max_width`` (default the pool size) fails.
    """
    eps = check_real("eps", eps, low=0.0, low_open=True)
    t_max = features.width if max_width is None else min(max_width, features.width)
    trace = []

    def err(t):
        e = linf_fit(features.transform(X, t), y, solver=solver)[0]
        trace.append((t, e))
        return e

    if guess is not None:
        g = min(check_int("guess", guess, low=1), t_max)
        step = max(1, g // 16)
        if err(g) < eps:                  # step down to a failing width
            hi, t = g, g - step
            while t >= 1 and err(t) < eps:
                hi, step = t, 2 * step
                t = hi - step
            lo = max(t, 0)
        else:                             # step up to a passing width
            lo, t = g, min(g + step, t_max)
            while err(t) >= eps:
                if t == t_max:
                    return None, trace
                lo, step = t, 2 * step
                t = min(lo + step, t_max)
            hi = t
    else:                                 # doubling from start to a passing width
        lo, t = 0, min(start, t_max)
        while err(t) >= eps:
            if t == t_max:
                return None, trace
            lo, t = t, min(2 * t, t_max)
        hi = t
    while hi - lo > 1:                    # bisection: err(lo) >= eps > err(hi)
        mid = (lo + hi) // 2
        if err(mid) < eps:
            hi = mid
        else:
            lo = mid
    return hi, trace
