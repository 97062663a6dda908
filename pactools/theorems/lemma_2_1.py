r"""P2 Lemma 2.1 (Kane): average sensitivity of halfspaces, THEORY.md §A.5.

For a halfspace :math:`g:\{\pm1\}^n\to\{0,1\}` with :math:`\mathbb E g=p`,
:math:`\mathrm{AS}(g)=O(p\sqrt{n\log(1/p)})`.  Checked here:

* the corrected identity :math:`\mathrm{AS}(g)=\tfrac12\mathbb E[g\sum_i\sigma_ix_i]`
  (erratum: the paper prints ¼), exactly;
* the explicit bound :math:`\mathrm{AS}\le p\sqrt{\tfrac n2\ln\tfrac1p}` on every
  instance — symmetric thresholds up to ``n = 10**5`` by exact binomial sums,
  random halfspaces exhaustively for ``n <= 20``;
* the O-form along an ``n`` sweep at fixed ``p`` (§C.0.2), and the
  tightness probe: the slope of AS in ``n`` is 1/2.
"""
from __future__ import annotations

import numpy as np
from scipy import stats as st

from .. import bounds, fourier
from ..hypercube import truth_table
from ..stats import (check_identity, check_inequality, check_rate_exponent, check_upper_rate,
                     combine_outcomes)
from ._framework import register

P_TARGETS = (0.5, 1e-2, 1e-4, 1e-8)
C_MAX = 2.0   # fixed in advance: the proven constant 1/sqrt(2) times a safety factor ~2.8
TAU = 0.1     # slope tolerance of §C.0.2
EXACT_RTOL = 1e-6


def symmetric_threshold(n_vars, threshold):
    """Exact p, AS and E[g S] of g = 1{S > threshold}, S = sum_i x_i, via binomial sums.

    With K ~ Bin(n, 1/2) the number of -1 coordinates, S = n - 2K.  Flipping a
    +1 coordinate (n - K of them) moves S to S - 2, a -1 coordinate to S + 2.
    """
    K = np.arange(n_vars + 1)
    pk = st.binom.pmf(K, n_vars, 0.5)
    S = n_vars - 2 * K
    g = S > threshold
    down = (S - 2) > threshold
    up = (S + 2) > threshold
    sens = (n_vars - K) * (g != down) + K * (g != up)
    p = float(pk[g].sum())
    as_ = 0.25 * float(np.sum(pk * sens))
    egs = float(np.sum(pk * g * S))
    return p, as_, egs


def _threshold_for(n_vars, p_target):
    """Largest p = P(S > b) not above p_target (b even, n odd: no ties)."""
    K = np.arange(n_vars + 1)
    S = n_vars - 2 * K                       # decreasing in K
    tail = st.binom.cdf(K, n_vars, 0.5)      # P(K' <= K) = P(S >= S_K)
    ok = np.flatnonzero(tail <= p_target)
    if ok.size == 0:
        return None
    return int(S[ok[-1]] - 1)                 # g = 1{S > S_K - 1} = 1{S >= S_K}


def run(ctx):
    n_grid = (101, 1001, 10001) if ctx.quick else (101, 1001, 10001, 100001)
    hs_grid = (8, 12, 16) if ctx.quick else (8, 12, 16, 20)
    hs_per_n = 4 if ctx.quick else 8
    ctx.parameters.update({"symmetric_n_vars": list(n_grid), "p_targets": list(P_TARGETS),
                           "halfspace_n_vars": list(hs_grid),
                           "halfspaces_per_n": 2 * hs_per_n, "c_max": C_MAX, "tau": TAU})

    # --- symmetric thresholds, exact binomial sums -------------------------------
    sym = []   # (n, p_target, p, AS, E[gS])
    for n in n_grid:
        ctx.progress(f"symmetric thresholds at n_vars={n}")
        for pt in P_TARGETS:
            b = _threshold_for(n, pt)
            if b is None:
                continue
            sym.append((n, pt, *symmetric_threshold(n, b)))
    sym = np.array(sym)
    n_s, pt_s, p_s, as_s, egs_s = sym.T

    # --- random halfspaces, exhaustive ---------------------------------------------
    hs = []    # (n, p, AS, 1/2 E[g sum sigma_i x_i], 1/4 E[...])
    for n in hs_grid:
        ctx.progress(f"random halfspaces at n_vars={n} (exhaustive)")
        for r in range(hs_per_n):
            rng = np.random.default_rng([ctx.seed, n, r])
            for kind in ("gaussian", "exponential"):
                if kind == "gaussian":
                    w = rng.standard_normal(n)
                else:
                    w = np.exp(-np.arange(n) / 3.0) * rng.choice([-1.0, 1.0], size=n)
                z = rng.uniform(-2.5, 1.0)             # p from ~1e-2 to ~0.8
                b = z * np.linalg.norm(w)
                t = truth_table(lambda X, w=w, b=b: (X @ w <= b).astype(float), n)
                p = t.mean()
                if p == 0.0 or p == 1.0:
                    continue
                a = fourier.average_sensitivity(t)
                # g = 1{<w,x> <= b} is decreasing in x_i when w_i > 0: sigma = -sign(w)
                sig = -np.sign(w)
                sx = truth_table(lambda X, s=sig: X @ s, n)
                egs = float(np.mean(t * sx))
                hs.append((n, p, a, 0.5 * egs, 0.25 * egs))
    hs = np.array(hs)
    n_h, p_h, as_h, half_h, quarter_h = hs.T

    # --- claims ----------------------------------------------------------------------
    ctx.claim("identity-symmetric", "identity",
              check_identity(as_s, 0.5 * egs_s, atol=1e-15),
              "ERRATUM form AS(g) = 1/2 E[g S] for symmetric thresholds (exact binomial sums)")
    ctx.claim("identity-halfspaces", "identity", check_identity(as_h, half_h, atol=1e-15),
              "AS(g) = 1/2 E[g sum_i sigma_i x_i] for random halfspaces (exhaustive)")
    all_n = np.concatenate([n_s, n_h]).astype(np.int64)
    all_p = np.concatenate([p_s, p_h])
    all_as = np.concatenate([as_s, as_h])
    explicit = bounds.lemma_2_1_explicit(all_p, all_n)
    out = check_inequality(all_as, explicit)
    ctx.claim("explicit-bound", "inequality", out,
              "AS(g) <= p sqrt(n ln(1/p) / 2) on every instance (THEORY §A.5, DERIVED)",
              tolerance=EXACT_RTOL)
    rate = bounds.lemma_2_1_rate(all_p, all_n)
    implied = all_as / rate
    ctx.parameters["implied_constant"] = float(implied.max())

    rate_outcomes, tight_outcomes, ctrl_outcomes = {}, {}, {}
    curves = {}
    for pt in P_TARGETS:
        sel = pt_s == pt
        if sel.sum() < 3:
            continue
        nn, pp, aa = n_s[sel], p_s[sel], as_s[sel]
        rate_p = bounds.lemma_2_1_rate(pp, nn.astype(int))
        rate_outcomes[pt] = check_upper_rate(nn, aa, rate_p, c_max=C_MAX, tau=TAU)
        # tightness: AS / (p sqrt(ln 1/p)) grows like n^(1/2)
        tight_outcomes[pt] = check_rate_exponent(nn, aa / (pp * np.sqrt(np.log(1 / pp))), 0.5,
                                                 tau=TAU, direction="tight")
        ctrl_outcomes[pt] = check_upper_rate(nn, aa, pp * np.sqrt(np.log(1 / pp)),
                                             c_max=C_MAX, tau=TAU)
        curves[f"p ~ {pt:g}"] = (nn.tolist(), (aa / rate_p).tolist())
    ctx.claim("rate-in-n", "upper-rate", _combine(rate_outcomes),
              f"O-form along n at fixed p: AS / (p sqrt(n ln 1/p)) <= C_max = {C_MAX} and its "
              f"log-log slope in n <= {TAU} + CI half-width (§C.0.2), every p level",
              tolerance=1e-6)
    ctx.claim("tightness-sqrt-n", "tightness", _combine(tight_outcomes),
              "tightness probe: symmetric thresholds grow like sqrt(n) at fixed p "
              "(slope 0.5 +- tau + CI half-width)", tolerance=1e-6)

    # --- negative controls -------------------------------------------------------------
    ctx.control("paper-identity-quarter", "identity",
                check_identity(as_h, quarter_h, atol=1e-15),
                "the paper's printed AS(g) = 1/4 E[g S] (off by 2) fails on the same halfspaces")
    no_sqrt_n = all_p * np.sqrt(np.log(1 / all_p) / 2)
    ctx.control("explicit-bound-without-sqrt-n", "inequality",
                check_inequality(all_as, no_sqrt_n),
                "Kane's bound without its sqrt(n), p sqrt(ln(1/p)/2), is violated",
                tolerance=EXACT_RTOL)
    ctx.control("rate-without-sqrt-n", "upper-rate", _combine(ctrl_outcomes),
                "the O-test against p sqrt(ln 1/p) (no sqrt(n)) fails: ratio slope ~ 0.5",
                tolerance=1e-6)

    ctx.series.update({"ratio_curves": curves,
                       "halfspaces": {"bound": bounds.lemma_2_1_explicit(p_h, n_h.astype(int)),
                                      "as": as_h},
                       "symmetric": {"n": n_s, "p": p_s, "as": as_s}})


def _combine(outcomes):
    """One outcome from per-p outcomes, keyed ``p=<level>``."""
    return combine_outcomes({f"p={k:g}": o for k, o in outcomes.items()})


def figures(result):
    from .. import plotting
    s = result.series
    yield "ratio_vs_n.png", plotting.rate_plot(
        {k: tuple(v) for k, v in s["ratio_curves"].items()}, xlabel="n (symmetric threshold)",
        ylabel=r"AS / $(p\sqrt{n\ln(1/p)})$",
        title="Lemma 2.1: implied constant along n (flat = rate holds)",
        hline=(1 / np.sqrt(2), r"explicit constant $1/\sqrt{2}$"), loglog=False)
    yield "halfspaces_vs_bound.png", plotting.bound_scatter(
        s["halfspaces"]["bound"], s["halfspaces"]["as"],
        xlabel=r"explicit bound $p\sqrt{n\ln(1/p)/2}$", ylabel="AS(g) (exact)",
        title="Lemma 2.1: random halfspaces, exhaustive")


register(id="lemma-2.1", aliases=("awasthi2024:lemma-2.1", "awasthi2024:lemma-6"),
         paper="P2 (Awasthi et al. 2024)", item="Lemma 2.1 (COLT Lemma 6; Kane 2014)",
         title="Average sensitivity of halfspaces (Kane)",
         statement="For a halfspace g: {-1,1}^n -> {0,1} with E[g] = p, "
                   "AS(g) = O(p sqrt(n log(1/p))).",
         default_seed=20241, figures=figures,
         bounds=(bounds.lemma_2_1_rate, bounds.lemma_2_1_explicit))(run)
