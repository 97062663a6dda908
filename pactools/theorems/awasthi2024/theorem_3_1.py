r"""P2 Theorem 3.1 with Lemma 2.3: the low-degree algorithm learns sparsely activated networks.

THEORY.md §A.6, §A.7, §C.2.  Targets are networks certified ``k``-sparse on the
whole cube; their exact spectrum gives :math:`\mathrm{tail}(d)` and the exact
population error of any fitted polynomial,
:math:`\|\tilde h-h\|^2=\sum_{|T|\le d}(\tilde h(T)-\hat h(T))^2+\mathrm{tail}(d)`.
The learner sees samples ``(x, h(x))`` only.  Checked:

* (c) the degree needed, :math:`d^\star(\varepsilon)=\min\{d:\mathrm{tail}(d)\le\varepsilon\}`,
  is at most the DERIVED :math:`\lceil4k^2W^{\star2}/\varepsilon\rceil` (exact) and at most
  the theorem's degree; its slope in :math:`1/\varepsilon` is at most 1;
* (a) the excess error decays like :math:`1/N` (fitted slope −1, both estimators); for
  the correlation estimator its mean equals the exact
  :math:`\frac1N\sum_{|T|\le d}(\|h\|^2-\hat h(T)^2)` within the 99 % interval;
* (b) at the sample size :math:`N=n^dC_{\mathcal H}^2\log(1/\delta)/\varepsilon`
  (Lemma 2.3 with constant 1, :math:`C_{\mathcal H}=k(W^\star\sqrt n+B^\star)`), the
  least-squares learner reaches error :math:`\le\varepsilon+\mathrm{tail}(d)` with
  frequency :math:`\ge1-\delta` (Clopper–Pearson);
* (d) run time against the number of monomials is a property of the machine, not of
  the theorem: it is measured in ``benchmarks/bench_networks.py``, not here.

Negative controls: the dense parity network of the same size is not
concentrated at the degree that suffices for the sparse targets, and the same
learner with the same degree and sample size fails on it.
"""
import numpy as np

from ... import bounds, fourier, networks
from ...hypercube import sample_uniform
from ...lowdegree import LowDegreeRegressor, monomial_subsets
from ...statement import Figure, Grid, Statement, Sweep, claim, control, rules
from ...stats import check_mc_contains, mean_estimate
from .. import _p2nets

# eps as a fraction of Var(h), geometric (d* is exact and cheap: enough points for the slope
# of a step function to resolve)
EPS_FRACTIONS = (0.5, 0.35, 0.25, 0.18, 0.13, 0.1, 0.07, 0.05, 0.035, 0.025, 0.018, 0.013, 0.01)
TAU = 0.1
DELTA = 0.1
CONFIDENCE = 0.99
FAMILIES = tuple(_p2nets.FAMILIES)


def _network(family, n_vars, n_active, network):
    """The target: ``family`` at (n, k), drawn from the seed ``network`` of the grid point
    (so the sweeps that share a target build the same one)."""
    return _p2nets.FAMILIES[family](n_vars, n_active, np.random.default_rng(network))


def _errors(rng, net, coeffs, degree, n_samples, repetitions, method):
    """Exact population errors of ``repetitions`` fits on fresh samples."""
    out = np.empty(repetitions)
    for i in range(repetitions):
        X = sample_uniform(n_samples, net.n_vars, rng=rng)
        out[i] = LowDegreeRegressor(degree, method).fit(X, net(X)).population_error(coeffs)
    return out


def _d_star(level_weights, eps):
    tails = fourier.spectral_tail_from_weights(level_weights, np.arange(level_weights.size))
    return int(np.flatnonzero(np.asarray(tails) <= eps)[0])


def target(rng, family, n_vars, n_active, network):
    """Exact facts of one certified target and the degree it needs at each eps."""
    f = _p2nets.facts(_network(family, n_vars, n_active, network), n_active, coefficients=True)
    eps = f["variance"] * np.array(EPS_FRACTIONS)
    d_b = _d_star(f["level_weights"], 0.25 * f["variance"])      # (b) runs at eps = Var/4
    sup = bounds.sup_norm_bound(f["n"], n_active, f["W"], f["B"])
    return {"d_star": [_d_star(f["level_weights"], e) for e in eps], "inv_eps": 1 / eps,
            "d_derived": bounds.theorem_3_1_degree_derived(n_active, f["W"], eps),
            "d_theorem": bounds.theorem_3_1_degree(f["n"], f["s"], n_active, f["W"], f["B"],
                                                   eps),
            "level_weights": f["level_weights"], "variance": f["variance"],
            "certified": f["certified"], "max_active": f["max_active"], "margin": f["margin"],
            "s": f["s"], "k": n_active, "sup_norm": sup, "degree_b": d_b,
            "n_b": bounds.lemma_2_3_sample_size(f["n"], d_b, sup, 0.25 * f["variance"], DELTA)
            if 1 <= d_b <= 2 else None}


def excess(rng, family, n_vars, n_active, network, degree, n_samples, method, repetitions):
    """Excess errors ||h~ - h||^2 - tail(d) of ``repetitions`` fits at ``n_samples``."""
    net = _network(family, n_vars, n_active, network)
    c = fourier.fourier_coefficients(networks.enumerate_network(net).table)
    tail = float(fourier.spectral_tail_from_weights(fourier.level_weights(c), degree))
    on = c[monomial_subsets(n_vars, degree)]
    e = _errors(rng, net, c, degree, n_samples, repetitions, method) - tail
    expected = (np.sum(c * c) * on.size - np.sum(on * on)) / n_samples
    return {"mean_excess": float(e.mean()), "expected": expected, "excess_over_expected": e / expected,
            "residual_dof": n_samples - on.size - 1}


def _pooled_excess(r, level=None):
    """E[excess / exact expectation] = 1, from every repetition at every N pooled into one
    Student-t interval: each repetition's excess is a sum of ~#monomials squared means,
    right-skewed, and an interval per N (at the budget's per-row level, 99.98 %) on 80
    such samples under-covers; the pooled mean of 720 is close to normal."""
    t = r["excess"].where(method="correlation")
    est = mean_estimate(np.asarray(t["excess_over_expected"], dtype=float).reshape(-1),
                        level or CONFIDENCE)
    return check_mc_contains(est, 1.0)


def success(rng, family, n_vars, n_active, network, degree, n_samples, parity=False):
    """One least-squares fit at the prescribed N: error <= eps + tail(d), eps = Var(h)/4
    (or, on the dense parity, the same relative error)."""
    net = _network(family, n_vars, n_active, network)
    c = fourier.fourier_coefficients(networks.enumerate_network(net).table)
    var = float(np.sum(c[1:] ** 2))
    goal = 0.25 * var + float(fourier.spectral_tail_from_weights(fourier.level_weights(c),
                                                                  degree))
    if parity:
        net = networks.parity_network(n_vars)
        pc = fourier.fourier_coefficients(networks.enumerate_network(net).table)
        goal, c = goal / var * float(np.sum(pc[1:] ** 2)), pc
    err = _errors(rng, net, c, degree, n_samples, 1, "least_squares")[0]
    return {"success": int(err <= goal), "error_over_goal": err / goal}


def parity_tail(rng, n_vars, degree):
    """tail(d) / Var of the dense parity network (all units active at once)."""
    w = fourier.level_weights(fourier.fourier_coefficients(
        networks.enumerate_network(networks.parity_network(n_vars)).table))
    return {"tail": float(fourier.spectral_tail_from_weights(w, degree)),
            "tenth_variance": 0.1 * float(np.sum(w[1:])), "level_weights": w}


def _targets(r):
    return [{"family": f, "n_vars": n, "n_active": k,
             "network": int(r.rng("network", family=f, n=n, k=k).integers(2 ** 31))}
            for n in ((10, 12) if r.quick else (10, 12, 14, 16)) for f in FAMILIES
            for k in (1, 2)]


def _chosen(r):
    """(b)'s target: smallest n, 1 <= d*(Var/4) <= 2, smallest prescribed N."""
    t = r["targets"]
    rows = [p for p in t.where(n_vars=int(t["n_vars"].min())) if p["n_b"] is not None]
    return min(rows, key=lambda p: p["n_b"])


def _keys(p):
    return {c: p[c] for c in ("family", "n_vars", "n_active", "network")}


def _success_grid(r, parity=False):
    p = _chosen(r)
    return [{**_keys(p), "degree": p["degree_b"], "n_samples": int(np.ceil(p["n_b"])),
             **({"parity": True} if parity else {})}]


def _excess_grid(r):
    p = next(p for p in r["targets"] if p["family"] == "gated-fixed-support"
             and p["n_active"] == 2 and p["n_vars"] == 12)
    return {**{k: [v] for k, v in _keys(p).items()}, "degree": [2],
            # geometric, factor sqrt 2: enough points for the slope interval to resolve
            "n_samples": Grid(quick=[250, 354, 500, 707, 1000, 1414, 2000, 2828, 4000],
                              full=[250, 354, 500, 707, 1000, 1414, 2000, 2828, 4000, 5657,
                                    8000, 11314, 16000]),
            "method": ["correlation", "least_squares"],
            "repetitions": Grid(quick=[80], full=[120])}


def _method(col, method):
    return lambda r: r["excess"].where(method=method)[col]


def _excess_slope(method, x, against):
    return claim(f"excess-slope-{method}", rules.rate(
        _method(x, method), _method("mean_excess", method), -1.0, direction="tight",
        tau=TAU), f"mean excess error of {method} decays like 1/{against} (fitted slope in "
        f"{against}: interval within -1 +- tau), n = 12, d = 2")


def _notes(r, checks):
    t, s, p = r["targets"], r["success"], _chosen(r)
    return [f"Degrees: the DERIVED ceil(4k^2W*^2/eps) is at least "
            f"{np.min(t['d_derived'] / t['d_star']):.3g}x the degree actually needed, Theorem "
            f"3.1's degree at least {np.min(t['d_theorem'] / t['d_star']):.3g}x (unusable as a "
            f"recipe, as THEORY §C.2 warns). (b) ran on {p['family']} n={p['n_vars']} "
            f"k={p['n_active']} at d = {p['degree_b']}, N = {int(np.ceil(p['n_b']))} (C_H = "
            f"{p['sup_norm']:.3g}); its mean error is {np.mean(s['error_over_goal']):.3g} of "
            "eps + tail(d): the sample-size rule with constant 1 is conservative."]


def _series(r):
    cor, ls = (r["excess"].where(method=m) for m in ("correlation", "least_squares"))
    curves = {}
    for p in list(r["targets"])[:4]:
        lab = f"{p['family']} n={p['n_vars']} k={p['n_active']}"
        curves[f"d* {lab}"] = (p["inv_eps"] * p["variance"], p["d_star"])
        curves[f"bound {lab}"] = (p["inv_eps"] * p["variance"], p["d_derived"])
    return {"excess": {"correlation (mean)": (cor["n_samples"], cor["mean_excess"]),
                       "correlation (exact expectation)": (cor["n_samples"], cor["expected"]),
                       "least squares (mean)": (ls["n_samples"], ls["mean_excess"])},
            "degree": curves, "levels": {
                "sparse target": next(p for p in r["targets"]
                                      if _keys(p) == _keys(_chosen(r)))["level_weights"],
                "dense parity network": r["parity_levels"].one("level_weights")}}


theorem_3_1 = Statement(
    id="3.1", aliases=("awasthi2024:3.1", "awasthi2024:thm-3.1", "awasthi2024:thm-8",
                       "awasthi2024:lemma-2.3"),
    paper="P2 (Awasthi et al. 2024)", item="Theorem 3.1 (COLT Thm 8) with Lemma 2.3",
    section="§A.7", title="The low-degree algorithm learns sparsely activated networks "
                          "(uniform inputs)",
    text="H^{W,B}_{n,s,k} is (eps, delta)-PAC learnable under the uniform distribution with "
         "O(n^d k^2 (W sqrt(n) + B)^2 log(1/delta)/eps) samples and time, "
         "d = Theta((k^8 W^4 log^4(ns) + k^6 B^4 log s)/eps^2).",
    math=r"\mathcal H^{W,B}_{n,s,k}\ \text{is }(\epsilon,\delta)\text{-PAC learnable with }O\Big(\frac{n^d k^2(W\sqrt n+B)^2\log(1/\delta)}{\epsilon}\Big)\text{ samples and time},\quad d=\Theta\Big(\frac{k^8W^4\log^4(ns)+k^6B^4\log s}{\epsilon^2}\Big)",
    sweeps=[
        Sweep("targets", target, grid=_targets),
        Sweep("excess", excess, grid=_excess_grid),
        Sweep("success", success, grid=_success_grid, repeats=Grid(quick=[60], full=[100])),
        Sweep("parity", success, grid=lambda r: _success_grid(r, parity=True),
              repeats=Grid(quick=[20], full=[25])),
        Sweep("parity_levels", parity_tail, grid=lambda r: [{
            "n_vars": _chosen(r)["n_vars"],
            "degree": int(np.max(r["targets"]["d_star"].reshape(-1, len(EPS_FRACTIONS))[
                :, EPS_FRACTIONS.index(0.1)]))}])],
    checks=[
        claim("sparsity-certificates", lambda r: _p2nets.certificate_outcome(r["targets"].rows),
              "every target is certified k-sparse on the whole cube, no ties",
              kind="certificate"),
        claim("degree-needed-le-derived", rules.inequality("d_star", "d_derived", rtol=0.0),
              "d*(eps) <= ceil(4 k^2 W*^2 / eps) for every target and eps = Var(h) x "
              f"{list(EPS_FRACTIONS)} (THEORY §A.7 DERIVED)"),
        claim("degree-needed-le-theorem", rules.inequality("d_star", "d_theorem", rtol=0.0),
              "d*(eps) <= (k^8 W^4 log^4(ns) + k^6 B^4 log s) / eps^2 (Theorem 3.1's degree, "
              "constant 1)"),
        claim("degree-needed-slope", rules.rate("inv_eps", "d_star", 1.0, direction="upper",
                                                tau=TAU, by=("family", "n_vars", "n_active")),
              "log-log slope interval of d*(eps) in 1/eps wholly <= 1 + tau (DERIVED; the paper "
              "allows 2)"),
        claim("correlation-excess-expectation", _pooled_excess,
              "E[excess] of the correlation estimator = (1/N) sum_{|T|<=d} (||h||^2 - h(T)^2) "
              "(exact): the mean of excess / expectation over every N and repetition has 1 "
              "in its interval (Student-t, at the claim's budget level)", kind="mc-identity"),
        _excess_slope("correlation", "n_samples", "N"),
        # least squares spends F = #monomials degrees of freedom: its excess is
        # ~ F tail / (N - F - 1) (exact for Gaussian designs), which is 1/N as N grows
        _excess_slope("least_squares", "residual_dof", "(N - F - 1)"),
        claim("success-at-prescribed-N", rules.probability("success.success", 1 - DELTA),
              "least squares at N = n^d C_H^2 log(1/delta)/eps (Lemma 2.3, constant 1; eps = "
              "Var(h)/4) reaches ||h~ - h||^2 <= eps + tail(d) with frequency >= 1 - delta = "
              f"{1 - DELTA}"),
        control("dense-parity-concentration", rules.inequality(
            "parity_levels.tail", "parity_levels.tenth_variance"),
                "the dense parity network (all units active at once) has tail(d) > 0.1 Var at "
                "the largest degree any sparse target needed for 0.1 Var"),
        control("dense-parity-learner", rules.probability("parity.success", 1 - DELTA),
                "with the same d and N, the learner does not reach the sparse target's "
                "relative error (eps + tail(d)) / Var on the dense parity network"),
    ],
    constants={"eps_fractions_of_variance": list(EPS_FRACTIONS), "delta": DELTA, "tau": TAU,
               "sample_size_constant": 1.0, "confidence_level": CONFIDENCE},
    series=_series, notes=_notes,
    figures=[Figure("excess_vs_N.png", "curves_plot", {"series": "excess"},
                    xlabel="N (samples)", ylabel="excess error ||h~ - h||² - tail(d)",
                    title="Theorem 3.1 (a): excess error ~ 1/N",
                    styles={"correlation (exact expectation)": "k--"}),
             Figure("degree_needed.png", "curves_plot", {"series": "degree"},
                    xlabel="Var(h) / eps", ylabel="degree",
                    title="Theorem 3.1 (c): degree needed vs ceil(4k²W*²/eps)",
                    styles={"bound": ":"}),
             Figure("levels_sparse_vs_parity.png", "level_weights_plot", {"examples": "levels"})],
    bounds=(bounds.theorem_3_1_degree, bounds.theorem_3_1_degree_derived,
            bounds.theorem_3_1_sample_size, bounds.lemma_2_3_sample_size), seed=20244)
