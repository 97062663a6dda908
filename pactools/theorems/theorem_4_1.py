r"""P1 Theorem 4.1: an LSH table learns Lipschitz functions on a k-dim subspace, THEORY.md §B.4, §C.3.

For ``L``-Lipschitz ``f`` and inputs uniform on :math:`\Gamma=V\cap[-1,1]^d`
(``dim V = k``), one stored value per Euclidean-LSH bucket learns ``f`` to
:math:`\ell_\infty` error :math:`\epsilon` with probability :math:`\ge0.8`, with
:math:`\tilde O((L\sqrt d/\epsilon)^k)` samples and table size (the ``L^k`` reading,
THEORY §B.4) and a forward pass of :math:`O(dk\log(L\sqrt d/\epsilon))`.

The learner (§C.3): :math:`D=Ck` projections, ``C = 4``, width set from the drawn
projections so the certified bucket diameter is :math:`\epsilon/L`; ``f`` stored at
the first sample of each bucket; nearest-neighbour fallback for unseen buckets.
The :math:`\ell_\infty` error is estimated on a dense test sample of :math:`\Gamma`
(a lower estimate of the sup).  Checked:

* (a) error :math:`\le\epsilon` at every test point whose bucket was seen (exact);
* (b) the samples needed, :math:`N^\star(\epsilon, d)` = smallest ``N`` on a
  :math:`\sqrt2`-grid with test error :math:`\le\epsilon` in at least 80 % of the
  repetitions; log-log slope of :math:`N^\star` against the bound
  :math:`k(L\sqrt d/\epsilon)^k\log(L\sqrt d/\epsilon)` at most 1 (+ tolerance), in
  :math:`\epsilon` and in ``d``; and at :math:`N=2N^\star` (the constant calibrated on
  these runs, times 2) the success frequency on fresh seeds is :math:`\ge0.8`
  (Clopper–Pearson);
* (c) the table size at :math:`N^\star` against :math:`(L\sqrt d/\epsilon)^k` (slope ``<= 1``);
* (d) forward-pass multiply-adds ``D d`` against :math:`dk\log(L\sqrt d/\epsilon)`.

Negative control: the random-hash routing of P1 App. D.1 with the same table size
fails (a).
"""
from __future__ import annotations

import numpy as np

from .. import lsh, targets
from ..stats import (check_inequality, check_probability, check_rate_exponent,
                     check_upper_rate, combine_outcomes)
from ._framework import register

C_PROJ = 4
TAU = 0.1
EXACT_RTOL = 1e-6
SUCCESS = 0.8


def _bound(k, d, eps, L=1.0):
    r = L * np.sqrt(d) / np.asarray(eps, dtype=float)
    return k * r ** k * np.log(r)


def _target(name, U, rng):
    d = U.shape[0]
    if name == "distance":
        x0 = targets.sample_subspace(U, 1, rng=rng)[0]
        return targets.DistanceTarget(x0, 1.0)
    return targets.SineSumTarget(d, 8, 1.0, frequency=4.0, basis=U, rng=rng)


def _trial(U, f, N, eps, X_test, y_test, seed, router_buckets=None):
    """One fit: (max error on seen test points, max error overall, table size, hit fraction)."""
    rng = np.random.default_rng(seed)
    X = targets.sample_subspace(U, N, rng=rng)
    k = U.shape[1]
    m = lsh.LSHRegressor(C_PROJ * k, diameter=eps / f.lipschitz, basis=U,
                         random_state=rng).fit(X, f(X))
    p, hit = m.predict(X_test, return_hit=True)
    err = np.abs(p - y_test)
    out = [float(err[hit].max()) if hit.any() else 0.0, float(err.max()), m.n_buckets_,
           float(hit.mean()), m.forward_flops_]
    if router_buckets:
        c = lsh.LSHRegressor(router=lsh.RandomHashRouter(m.n_buckets_, seed=int(seed[-1]))
                             ).fit(X, f(X))
        pc, hc = c.predict(X_test, return_hit=True)
        out.append(float(np.abs(pc - y_test)[hc].max()) if hc.any() else 0.0)
    return out


def _samples_needed(U, f, eps, X_test, y_test, reps, seed, n_max):
    N = 16
    while N <= n_max:
        res = [_trial(U, f, N, eps, X_test, y_test, [*seed, N, r]) for r in range(reps)]
        ok = sum(r[1] <= eps for r in res)
        if ok >= SUCCESS * reps:
            return N, res
        N = int(np.ceil(N * np.sqrt(2)))
    return None, None


def run(ctx):
    q = ctx.quick
    reps = 10 if q else 30
    n_test = 5_000 if q else 20_000
    eps_grid = {1: (0.4, 0.2, 0.1, 0.05) if q else (0.4, 0.2, 0.1, 0.05, 0.025),
                2: (0.4, 0.3, 0.2) if q else (0.4, 0.3, 0.2, 0.15, 0.1)}
    d_fixed = 8
    d_grid = (4, 16, 64)
    eps_d = {1: 0.1, 2: 0.3}
    fam = ("distance", "sine") if not q else ("distance",)
    n_max = 400_000
    success_reps = 40 if q else 100
    ctx.parameters.update({"C": C_PROJ, "repetitions": reps, "test_points": n_test,
                           "eps_grid": {str(k): list(v) for k, v in eps_grid.items()},
                           "d_fixed": d_fixed, "d_grid": list(d_grid),
                           "eps_for_d_sweep": {str(k): v for k, v in eps_d.items()},
                           "targets": list(fam), "success_repetitions": success_reps,
                           "lipschitz": 1.0, "subspace": "span of k cube diagonals"})
    seen_err, seen_eps, ctrl_err, ctrl_eps = [], [], [], []
    rate_eps, rate_d, table_out, flops_out = {}, {}, {}, {}
    success = [0, 0]
    curves, rows = {}, []
    for name in fam:
        for k in (1, 2):
            ctx.progress(f"samples needed, target {name}, k={k}")
            sweeps = [("eps", d_fixed, e) for e in eps_grid[k]] + \
                     [("d", d, eps_d[k]) for d in d_grid]
            found = {}
            for kind, d, eps in sweeps:
                if (d, eps) in found:
                    continue
                rng = np.random.default_rng([ctx.seed, k, d, len(name)])
                U = targets.random_subspace(d, k, kind="diagonals", rng=rng)
                f = _target(name, U, rng)
                Xt = targets.sample_subspace(U, n_test, rng=rng)
                yt = f(Xt)
                N, res = _samples_needed(U, f, eps, Xt, yt, reps,
                                         [ctx.seed, k, d, len(name), int(eps * 1000)], n_max)
                if N is None:
                    raise RuntimeError(f"no N <= {n_max} reached eps={eps} (k={k}, d={d})")
                found[(d, eps)] = N
                res = np.array(res)
                seen_err.extend(res[:, 0])
                seen_eps.extend([eps] * len(res))
                # fresh seeds at N = 2 N*: the success frequency, and the control
                fresh = [_trial(U, f, 2 * N, eps, Xt, yt, [ctx.seed, 9, k, d, len(name), r],
                                router_buckets=True)
                         for r in range(success_reps // (len(sweeps) // 2 + 1) + 2)]
                fresh = np.array(fresh)
                success[0] += int(np.sum(fresh[:, 1] <= eps))
                success[1] += len(fresh)
                seen_err.extend(fresh[:, 0])
                seen_eps.extend([eps] * len(fresh))
                ctrl_err.extend(fresh[:, 5])
                ctrl_eps.extend([eps] * len(fresh))
                rows.append((name, k, d, eps, N, float(np.median(res[:, 2])), res[0, 4]))
            key = f"{name} k={k}"
            e = np.array(eps_grid[k])
            Ns = np.array([found[(d_fixed, x)] for x in e], dtype=float)
            tables = np.array([r[5] for r in rows if r[0] == name and r[1] == k
                               and r[2] == d_fixed and r[3] in e])
            rate_eps[key] = check_rate_exponent(_bound(k, d_fixed, e), Ns, 1.0, tau=TAU,
                                                direction="upper")
            Nd = np.array([found[(d, eps_d[k])] for d in d_grid], dtype=float)
            rate_d[key] = check_rate_exponent(_bound(k, np.array(d_grid), eps_d[k]), Nd, 1.0,
                                              tau=TAU, direction="upper")
            table_out[key] = check_rate_exponent((np.sqrt(d_fixed) / e) ** k, tables, 1.0,
                                                 tau=TAU, direction="upper")
            flops = np.full(e.size, float(C_PROJ * k * d_fixed))
            flops_out[key] = check_upper_rate(1 / e, flops,
                                              d_fixed * k * np.log(np.sqrt(d_fixed) / e),
                                              c_max=float(C_PROJ), tau=TAU)
            curves[f"N* {key}"] = ((1 / e).tolist(), Ns.tolist())
            curves[f"table {key}"] = ((1 / e).tolist(), tables.tolist())
    seen_err, seen_eps = np.array(seen_err), np.array(seen_eps)
    ctx.claim("seen-buckets-within-eps", "inequality", check_inequality(seen_err, seen_eps),
              "on every run, |f^(x) - f(x)| <= eps at every test point whose bucket a training "
              "point reached (certified bucket diameter eps/L)", tolerance=EXACT_RTOL)
    ctx.claim("samples-needed-in-eps", "upper-rate", combine_outcomes(rate_eps),
              f"log N*(eps) against log(k (L sqrt(d)/eps)^k log(L sqrt(d)/eps)): slope <= 1 + "
              f"tau + half-width, d = {d_fixed}", tolerance=1e-6)
    ctx.claim("samples-needed-in-d", "upper-rate", combine_outcomes(rate_d),
              f"the same in d in {list(d_grid)} at fixed eps", tolerance=1e-6)
    ctx.claim("success-probability", "probability",
              check_probability(success[0], success[1], SUCCESS),
              f"at N = 2 N*(eps, d) (constant calibrated on the N* runs, times 2), fresh seeds "
              f"reach l_inf test error <= eps with frequency >= {SUCCESS}", tolerance=None)
    ctx.claim("table-size-in-eps", "upper-rate", combine_outcomes(table_out),
              "non-empty buckets at N* against (sqrt(d)/eps)^k: slope <= 1 + tau + half-width",
              tolerance=1e-6)
    ctx.claim("forward-flops", "upper-rate", combine_outcomes(flops_out),
              f"forward multiply-adds D d = {C_PROJ} k d against d k log(L sqrt(d)/eps): ratio "
              f"<= C = {C_PROJ}, non-increasing in 1/eps", tolerance=1e-6)
    ctx.control("random-hash-routing", "inequality",
                check_inequality(np.array(ctrl_err), np.array(ctrl_eps)),
                "the random-hash routing of P1 App. D.1 with the same table size and samples "
                "violates the eps bound on seen buckets", tolerance=EXACT_RTOL)
    ctx.parameters["runs"] = [dict(zip(("target", "k", "d", "eps", "N_star", "table_size",
                                        "forward_flops"), r)) for r in rows]
    ctx.parameters["success"] = {"successes": success[0], "trials": success[1]}
    # a dense layer with one unit per stored bucket costs 2 t (d + 1) FLOPs (P1 Table 1's
    # formula, THEORY §B.10); the LSH forward pass costs D d multiply-adds
    big = max(rows, key=lambda r: r[5])
    ctx.parameters["dense_vs_lsh_flops_at_largest_table"] = {
        "table_size": big[5], "dense_flops": 2 * big[5] * (big[2] + 1),
        "lsh_multiply_adds": big[6], "ratio": 2 * big[5] * (big[2] + 1) / big[6]}
    ctx.notes.append(
        "Fitted slopes of N* against the bound: in eps "
        + ", ".join(f"{k} {o.measured:.2f}" for k, o in rate_eps.items())
        + "; in d " + ", ".join(f"{k} {o.measured:.2f}" for k, o in rate_d.items())
        + f". Seen-bucket errors reach at most {np.max(seen_err / seen_eps):.3f} eps (the "
        f"certified diameter is conservative). The l_inf error is estimated on {n_test} test "
        f"points: a lower estimate of the sup. At the largest table ({big[5]:.0f} buckets, "
        f"k = {big[1]}, d = {big[2]}) a dense layer with one unit per bucket would cost "
        f"{2 * big[5] * (big[2] + 1):.3g} FLOPs against {big[6]:.0f} multiply-adds for the "
        f"hashes.")
    ctx.series.update({"curves": curves, "rows": [list(r[1:]) for r in rows]})


def figures(result):
    from .. import plotting
    s = result.series
    yield "samples_and_table_vs_eps.png", plotting.rate_plot(
        {k: tuple(v) for k, v in s["curves"].items()}, xlabel="1/eps",
        ylabel="N* (samples needed) / table size", title="Theorem 4.1: samples and table size")


register(id="4.1", aliases=("baykal2022:4.1", "baykal2022:thm-4.1"),
         paper="P1 (Baykal et al. 2022)", item="Theorem 4.1",
         title="LSH routing learns Lipschitz functions on a k-dimensional subspace",
         statement="For L-Lipschitz f and inputs uniform on a k-dim subspace of [-1,1]^d, an "
                   "LSH learner reaches l_inf error eps with probability >= 0.8 using "
                   "O~((L sqrt(d)/eps)^k) samples and table size and an O(dk log(L sqrt(d)/eps)) "
                   "forward pass.",
         default_seed=20252, figures=figures)(run)
