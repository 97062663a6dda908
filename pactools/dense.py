r"""P1's dense model with a random bottom layer and its best uniform fit (THEORY.md §B.6, §C.3).

:class:`RandomReLUFeatures` draws a fixed bottom layer :math:`\sigma(\langle g_j,x\rangle+c_j)`,
:math:`g_j\sim\mathcal N(0,I_d)`, :math:`c_j\sim U[-\sqrt d,\sqrt d]`, plus a constant
feature; only the top layer is trained.  :func:`linf_fit` solves the top layer's
best :math:`\ell_\infty` fit on a finite point set **exactly**, as the linear program
:math:`\min_{a,s}s` s.t. :math:`|\Phi a-y|\le s` (HiGHS through :func:`scipy.optimize.linprog`).
:func:`min_width` finds the smallest width ``t`` whose fit error is below a target,
using nested prefixes of one feature pool (so the error is non-increasing in ``t``),
by doubling and then bisection; its LPs are one HiGHS model (through ``highspy``, the
HiGHS bindings cvxpy also uses) re-solved warm from one width to the next: a wider prefix
frees columns (the last basis stays primal feasible: primal simplex), a narrower one fixes
them at zero (a wider optimum stays dual feasible: dual simplex).  Only the first width of
a search is solved from scratch (measured speedups in :func:`min_width`).
"""
from __future__ import annotations

import numpy as np

from ._validation import check_int, check_matrix, check_memory, check_real

__all__ = ["RandomReLUFeatures", "linf_fit", "min_width"]

_COLD = {"highs": "choose", "highs-ds": "simplex", "highs-ipm": "ipx"}


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


def _check_solver(solver):
    if solver not in _METHODS:
        raise ValueError(f"solver must be one of {', '.join(_METHODS)}; got {solver!r}")


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
    _check_solver(solver)
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


class _PrefixLP:
    """``min_a max_i |(Phi_t a)_i - y_i|`` for nested prefixes ``Phi_t`` (the constant and the
    first ``t`` units) of one feature pool, one HiGHS model re-solved warm across ``t``.

    Columns: ``s``, then one per feature, built up to the widest ``t`` asked so far; rows
    ``Phi a - s <= y`` and ``Phi a + s >= y`` for every point.  A narrower prefix fixes the
    extra columns at zero (dual simplex, from the optimal basis of the nearest wider width
    solved, or else the last), a wider one frees or adds columns (primal simplex from the
    last basis).  A solve that does not end optimal is redone cold by
    :func:`_lp` (HiGHS's other methods, with and without presolve), and the model is rebuilt
    at the next width.  The error returned is recomputed from the coefficients on every
    point, so it is attained by them (an upper bound of the optimum).  The model's primal
    and dual feasibility tolerances are 1e-10 (HiGHS's default, 1e-7 absolute, left
    scipy's cold answers up to ~1e-6 relative above the optimum at errors ~0.02).
    ``cold_solves`` counts the widths that fell back to a cold solve, ``bounded`` those
    whose dual simplex stopped at ``error(t, bound)``'s bound.

    The first width's interior-point solve (``solver="highs-ipm"``) runs on the primal LP:
    IPX's default dualizes it (many more rows than columns), and that form fails at its
    first iteration ("IPM failed", HiGHS 1.12 and 1.16) on Theorem 4.3's k = 2 LPs from
    eps = 0.12 (1800 points) on, with presolve on or off once the feature columns that are
    zero on every point are removed; the primal form solves the same LPs (6.6 s at
    eps = 0.12, 640 features, 18 iterations).  Before this, every width of those searches
    fell back to a cold solve and none was warm.
    """

    def __init__(self, features, X, y, solver="highs"):
        self.features, self.X, self.y, self.solver = features, X, np.asarray(y, float), solver
        self.model, self.Phi, self.active = None, None, -1
        self.bases = {}         # width -> optimal basis, for the columns built now
        self.cold_solves = self.bounded = 0

    def _highs(self):
        try:                    # the bindings' base class: the public subclass only adds
            from highspy._core import _Highs as Highs     # callbacks, and prints a banner
        except ImportError:     # on stdout when it is first constructed
            from highspy import Highs
        h = Highs()
        h.setOptionValue("output_flag", False)
        for tol in ("primal_feasibility_tolerance", "dual_feasibility_tolerance"):
            h.setOptionValue(tol, 1e-10)    # default 1e-7 absolute: ~1e-5 relative at eps = 0.025
        return h

    def _columns(self, Phi):
        """Column-wise sparse form of ``[Phi; Phi]`` (the two row blocks share a column)."""
        M = Phi.shape[0]
        nz = Phi != 0
        counts = 2 * nz.sum(axis=0)
        rows = [np.concatenate([i, i + M]) for i in (np.flatnonzero(c) for c in nz.T)]
        index = np.concatenate(rows).astype(np.int32) if rows else np.zeros(0, np.int32)
        value = np.concatenate([np.tile(Phi[nz[:, j], j], 2) for j in range(Phi.shape[1])]) \
            if rows else np.zeros(0)
        start = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int32)
        return start, index, value   # start: one entry per column (addCols' form)

    def _build(self, t):
        import highspy
        inf = highspy.kHighsInf
        self.Phi = self.features.transform(self.X, t)
        M, F = self.Phi.shape
        check_memory(8 * 3 * M * F, "LP constraint matrix", settable=False,
                     hint="fit on fewer points or fewer features")
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = F + 1, 2 * M
        lp.col_cost_ = np.r_[1.0, np.zeros(F)]
        lp.col_lower_ = np.r_[0.0, np.full(F, -inf)]
        lp.col_upper_ = np.full(F + 1, inf)
        lp.row_lower_ = np.r_[np.full(M, -inf), self.y]
        lp.row_upper_ = np.r_[self.y, np.full(M, inf)]
        start, index, value = self._columns(self.Phi)
        a = lp.a_matrix_                  # a copy: set its fields, then assign it back
        a.format_ = highspy.MatrixFormat.kColwise
        a.start_ = np.r_[0, 2 * M + start, 2 * M + value.size].astype(np.int32)
        a.index_ = np.r_[np.arange(2 * M), index].astype(np.int32)
        a.value_ = np.r_[-np.ones(M), np.ones(M), value]
        a.num_col_, a.num_row_ = F + 1, 2 * M
        lp.a_matrix_ = a
        self.model = self._highs()
        if self.model.passModel(lp) != highspy.HighsStatus.kOk:
            raise RuntimeError("HiGHS refused the LP of the best uniform fit")
        self.model.setOptionValue("solver", _COLD[self.solver])
        self.model.setOptionValue("ipx_dualize_strategy", -1)    # off: see the class doc
        self.active = t

    def _resize(self, t):
        import highspy
        inf = highspy.kHighsInf
        h, built = self.model, self.Phi.shape[1] - 1
        if t > built:                                   # new columns, free
            self.bases.clear()
            extra = self.features.transform(self.X, t)[:, built + 1:]
            start, index, value = self._columns(extra)
            h.addCols(extra.shape[1], np.zeros(extra.shape[1]), np.full(extra.shape[1], -inf),
                      np.full(extra.shape[1], inf), value.size, start, index, value)
            self.Phi = np.hstack([self.Phi, extra])
        cols = np.arange(2, built + 2, dtype=np.int32)  # features 1..built (0 stays free)
        free = cols - 1 <= t
        h.changeColsBounds(cols.size, cols, np.where(free, -inf, 0.0), np.where(free, inf, 0.0))
        h.setOptionValue("solver", "simplex")
        wider = min((u for u in self.bases if u > t), default=None)
        if wider is not None and wider != self.active:  # narrow from the nearest wider
            h.setBasis(self.bases[wider])   # optimum (dual simplex: far fewer pivots than
        h.setOptionValue("simplex_strategy",            # widening from below; the model
                         1 if wider is not None else 4)  # keeps its factor when it is last)
        self.active = t

    def error(self, t, bound=None):
        """``(error, coef)`` of the best uniform fit by the first ``t`` units.

        With ``bound``, a dual simplex solve stops as soon as its dual objective (a lower
        bound of the optimum, recomputed by HiGHS with the unperturbed costs) reaches
        ``bound``: the width is then known to fail, and ``(lower, None)`` is returned with
        ``bound <= lower <= error``.  Only narrowing solves are dual simplex; the others,
        and any width whose error is below ``bound``, are solved to optimality."""
        import highspy
        if self.model is None:
            self._build(t)
        else:
            self._resize(t)
        h = self.model
        h.setOptionValue("objective_bound", highspy.kHighsInf if bound is None else
                         float(bound))
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kObjectiveBound:
            lower = float(h.getInfo().objective_function_value)
            if lower >= bound:
                self.bounded += 1
                return lower, None
            status = None                               # not a proof: cold, below
        if status == highspy.HighsModelStatus.kOptimal:
            coef = np.asarray(h.getSolution().col_value[1:t + 2], dtype=np.float64)
            self.bases[t] = h.getBasis()
        else:                                           # numerical trouble: cold, robust
            coef = _lp(self.Phi[:, :t + 1], self.y, self.solver)[1]
            self.cold_solves += 1
            self.model = None
            self.bases.clear()
        return float(np.max(np.abs(self.Phi[:, :t + 1] @ coef - self.y))), coef


def min_width(features, X, y, eps, *, start=4, guess=None, max_width=None, solver="highs",
              warm_start=True):
    r"""Smallest ``t`` (prefix of ``features``) whose best uniform fit has error ``< eps``.

    The error is non-increasing in ``t`` (a wider prefix contains the narrower one's
    features), so any bracket gives the same ``t_min``.  Without ``guess``: doubling from
    ``start`` until the error drops below ``eps``, then bisection.  With ``guess`` (e.g.
    a similar problem's ``t_min``): steps from it, down or up, growing geometrically from
    ``guess / 16``, then bisection -- far fewer LPs when the guess is close.  Each width's
    LP is solved exactly.  With ``warm_start=True`` (default) the widths share one HiGHS
    model: the first is solved from scratch by ``solver`` (``"highs"``: HiGHS's choice, dual
    simplex; ``"highs-ipm"``: interior point and crossover, in the primal form: 6.6 s
    against simplex's 260 s on Theorem 4.3's k = 2, eps = 0.12 LP of 1800 points x 640
    features), the others by simplex from a previous optimal basis:
    narrowing (dual simplex) costs a few pivots per removed column, widening (primal
    simplex) many more, so a ``guess`` just above ``t_min`` is cheapest.  With
    ``warm_start=False`` each width is a cold :func:`linf_fit`.  Measured on 4.3's searches
    (one run): k = 1, d = 16, eps = 0.025 (474 points, t_min = 1008, 14 LPs) 5.1 s cold,
    0.44 s warm; k = 2, eps = 0.17 (810 points, t_min = 268) 7.6 s cold, 2.4 s warm, 1.2 s
    warm from a guess of 3.2 n_cells; k = 2, eps = 0.1 (2646 points, t_min = 884, 13 LPs)
    431 s cold, 260 s warm, 44 s warm with ``"highs-ipm"`` from that guess (8 LPs: the
    first 18 s, the others 0.6-9 s).
    Both give each width's optimum to HiGHS's tolerances: the warm error is never above the
    cold one and at most ~1e-6 relative below it (the warm model's tolerances are tighter).
    A warm narrowing solve stops once its dual objective reaches ``eps`` (HiGHS's
    ``objective_bound``): that width fails, and its trace entry is the dual objective
    where it stopped, a lower bound between ``eps`` and the width's error, rather than the
    optimum.  On Theorem 4.3's full run this
    saves 16-18 % of the k = 2, eps <= 0.12 searches, with the same widths solved.
    Returns ``(t_min, trace)`` with ``trace`` a list of ``(t, error)``; ``t_min`` is
    ``None`` if even ``max_width`` (default the pool size) fails.
    """
    eps = check_real("eps", eps, low=0.0, low_open=True)
    t_max = features.width if max_width is None else min(max_width, features.width)
    _check_solver(solver)
    trace = []
    lp = _PrefixLP(features, X, y, solver) if warm_start else None

    def err(t):
        e = lp.error(t, bound=eps)[0] if warm_start else linf_fit(features.transform(X, t), y,
                                                                  solver=solver)[0]
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
