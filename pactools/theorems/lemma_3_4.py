r"""P2 Lemma 3.4: noise sensitivity of sparsely activated networks (Peres), THEORY.md §A.9, §C.2.

For :math:`h\in\mathcal H^{W,B}_{n,s,k}`,
:math:`\mathrm{NS}_\rho(h)\le\sqrt{1-\rho}\cdot O(k^4W^2\log^2\frac{ns}{1-\rho}+k^3B^2\sqrt{\log s})`.
Checked here, on networks certified ``k``-sparse on the whole cube:

* the DERIVED explicit chain :math:`\mathrm{NS}_\rho\le\frac{1-\rho}2\mathrm{AS}\le2(1-\rho)k^2W^{\star2}`
  on every network and every ``rho`` (exact);
* Peres' identity (17) :math:`\mathrm{NS}_{1-2/r}(h)=\frac1r\mathbb E_{z,A}[\mathrm{AS}(H_z)]`
  by Monte Carlo over ``(z, A)`` (each :math:`\mathrm{AS}(H_z)` exact on
  :math:`\{\pm1\}^r`), the exact NS inside the 99 % interval; every :math:`H_z` is
  ``k``-sparse on all of :math:`\{\pm1\}^r`;
* the concentration step: :math:`\max_j\|w'_j\|^2\le8\log(nsr)\|w_j\|^2` with
  probability at least :math:`1-1/(n^2sr)` (Clopper–Pearson);
* the paper's O-form as :math:`1-\rho\to0` (§C.0.2); the measured rate is linear in
  :math:`1-\rho` (tightness of the DERIVED form), sharper than the paper's square root.

Negative controls: the identity without P2's ¼ (as the paper's first line has
it) and at the wrong :math:`\rho=1-1/r`; the DERIVED bound with its ``k``-exponent
lowered; an O-form claiming :math:`(1-\rho)^{3/2}`.
"""
from __future__ import annotations

import numpy as np

from .. import bounds, fourier, networks
from ..stats import (check_inequality, check_mc_contains, check_probability,
                     check_rate_exponent, check_upper_rate, combine_outcomes, mean_estimate)
from . import _p2nets
from ._framework import register

RHOS = (0.5, 0.8, 0.9, 0.95, 0.99)
RATE_RHOS = (0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)
TIGHT_RHOS = (0.95, 0.98, 0.99, 0.995, 0.999)
# C_max fixed in advance: NS <= 2 (1-rho) k^2 W^2 (DERIVED) and the rate is
# >= sqrt(1-rho) k^4 W^2 log^2(ns/(1-rho)) >= sqrt(1-rho) k^2 W^2 for ns >= 2/(1-rho)... in all
# our sweeps log^2(ns/(1-rho)) >= 1, so the ratio is at most 2 sqrt(1-rho) <= 2.
C_MAX = 2.0
TAU = 0.1
EXACT_RTOL = 1e-6
CONFIDENCE = 0.99


def run(ctx):
    q = ctx.quick
    n_grid = (10, 12) if q else (10, 12, 14, 16)
    reps = 1 if q else 2
    buckets = (2, 4, 8) if q else (2, 4, 8, 16)
    peres_samples = {2: 2000, 4: 2000, 8: 2000, 16: 300} if q else \
        {2: 8000, 4: 8000, 8: 8000, 16: 600}
    ctx.parameters.update({"n_vars_sweep": list(n_grid), "networks_per_family": reps,
                           "rhos": list(RHOS), "rate_rhos": list(RATE_RHOS),
                           "tight_rhos": list(TIGHT_RHOS), "n_buckets": list(buckets),
                           "peres_samples": {str(k): v for k, v in peres_samples.items()
                                             if k in buckets},
                           "c_max": C_MAX, "tau": TAU, "confidence_level": CONFIDENCE})
    all_rhos = tuple(sorted(set(RHOS) | set(RATE_RHOS) | set(TIGHT_RHOS)))
    rows, nets = [], []
    for n in n_grid:
        ctx.progress(f"networks at n_vars={n}")
        for name, make in _p2nets.FAMILIES.items():
            for r in range(reps):
                for k in (1, 2):
                    rng = np.random.default_rng([ctx.seed, n, r, k, len(name)])
                    net = make(n, k, rng)
                    f = _p2nets.facts(net, k, rho=all_rhos)
                    f["family"] = name
                    rows.append(f)
                    nets.append(net)
    for k in (1, 2, 4, 8):
        net = networks.aligned_network(8, k)
        f = _p2nets.facts(net, k, rho=all_rhos)
        f["family"] = "aligned"
        rows.append(f)
        nets.append(net)

    ridx = [all_rhos.index(r) for r in RHOS]
    NS = np.array([[f["ns"][i] for i in ridx] for f in rows])           # (nets, rhos)
    AS = np.array([f["as"] for f in rows])[:, None]
    K = np.array([f["k"] for f in rows])[:, None]
    W = np.array([f["W"] for f in rows])[:, None]
    rho = np.array(RHOS)[None, :]
    ctx.claim("sparsity-certificates", "certificate", _p2nets.certificate_outcome(rows),
              f"every network is certified k-sparse on the whole cube, no ties "
              f"({len(rows)} networks)", tolerance=EXACT_RTOL)
    ctx.claim("ns-le-half-(1-rho)-as", "inequality",
              check_inequality(NS, bounds.noise_sensitivity_bound_from_average_sensitivity(
                  np.broadcast_to(AS, NS.shape), np.broadcast_to(rho, NS.shape))),
              "NS_rho <= (1 - rho)/2 AS for every network and rho in " + str(list(RHOS)),
              tolerance=EXACT_RTOL)
    derived = bounds.lemma_3_4_derived(np.broadcast_to(rho, NS.shape),
                                       np.broadcast_to(K, NS.shape), np.broadcast_to(W, NS.shape))
    ctx.claim("ns-derived-2(1-rho)k2W2", "inequality", check_inequality(NS, derived),
              "NS_rho <= 2 (1 - rho) k^2 W*^2 (THEORY §A.9 DERIVED: linear in 1 - rho)",
              tolerance=EXACT_RTOL)

    # --- Peres identity (17) by Monte Carlo ---------------------------------------------
    peres_nets = [(i, f) for i, f in enumerate(rows)
                  if f["n"] == n_grid[0] and f["family"] in ("gated-fixed-support",
                                                            "caps-antipodal")]
    ident, quarter, wrong, sparse, conc = {}, {}, {}, {}, [0, 0]
    peres_rows = []
    for i, f in peres_nets:
        net, tbl = nets[i], f["table"]
        for r in buckets:
            ctx.progress(f"Peres identity, network {i}, r={r}")
            out = networks.peres_samples(net, r, peres_samples[r],
                                         rng=np.random.default_rng([ctx.seed, 500 + i, r]))
            est = mean_estimate(out["as_over_r"], CONFIDENCE)
            exact = float(fourier.noise_sensitivity(tbl, bounds.peres_rho(r)))
            key = f"{f['family']} k={f['k']} r={r}"
            ident[key] = check_mc_contains(est, exact)
            quarter[key] = check_mc_contains(est, 4 * exact)
            wrong_ns = float(fourier.noise_sensitivity(tbl, 1 - 1 / r))
            wrong[key] = check_mc_contains(est, wrong_ns)
            sparse[key] = check_inequality(out["max_active"], f["k"], rtol=0.0)
            s_, n_ = f["s"], f["n"]
            ok = out["norm_ratio"] <= 8 * np.log(n_ * s_ * r)
            conc[0] += int(ok.sum())
            conc[1] += ok.size
            peres_rows.append((r, exact, est.statistic, est.confidence_interval.low,
                               est.confidence_interval.high))
    ctx.claim("peres-identity-17", "mc-identity", combine_outcomes(ident),
              "NS_{1-2/r}(h) = (1/r) E_{z,A}[AS(H_z)]: the exact NS lies in the 99 % interval "
              "of the Monte Carlo mean, every network and r", tolerance=None)
    ctx.claim("peres-reduced-sparsity", "certificate", combine_outcomes(sparse),
              "every sampled H_z is k-sparse on all of {-1,1}^r (exhaustive)", tolerance=None)
    n0 = n_grid[0]
    s_max = max(f["s"] for _, f in peres_nets)
    p0 = 1 - 1 / (n0 ** 2 * s_max * min(buckets))
    ctx.claim("concentration-step", "probability",
              check_probability(conc[0], conc[1], p0, confidence_level=0.95),
              f"P[max_j ||w'_j||^2 <= 8 log(nsr) ||w_j||^2] >= 1 - 1/(n^2 s r) "
              f"(weakest p0 = {p0:.6f} over the runs; Clopper-Pearson 95 %)", tolerance=None)

    # --- paper O-form as 1 - rho -> 0, and linear tightness -------------------------------
    ri = [all_rhos.index(r) for r in RATE_RHOS]
    ti = [all_rhos.index(r) for r in TIGHT_RHOS]
    rate_out, tight_out, ctrl_out = {}, {}, {}
    curves = {}
    for j, f in enumerate(rows):
        ns = np.array([f["ns"][i] for i in ri])
        if not np.all(ns > 0):
            continue
        om = 1 - np.array(RATE_RHOS)
        rate = bounds.lemma_3_4_rate(np.array(RATE_RHOS), f["n"], f["s"], f["k"], f["W"], f["B"])
        key = f"{f['family']} n={f['n']} k={f['k']} #{j}"
        rate_out[key] = check_upper_rate(1 / om, ns, rate, c_max=C_MAX, tau=TAU)
        ctrl_out[key] = check_upper_rate(1 / om, ns, om ** 1.5, c_max=C_MAX,
                                         tau=TAU)
        nst = np.array([f["ns"][i] for i in ti])
        tight_out[key] = check_rate_exponent(1 - np.array(TIGHT_RHOS), nst, 1.0, tau=TAU,
                                             direction="tight")
        if len(curves) < 6:
            curves[key] = ((1 / om).tolist(), (ns / rate).tolist())
    ctx.claim("rate-as-rho-to-1", "upper-rate", combine_outcomes(rate_out),
              f"O-form: NS / (sqrt(1-rho)(k^4 W*^2 log^2(ns/(1-rho)) + k^3 B*^2 sqrt(log s))) "
              f"<= C_max = {C_MAX} and non-increasing in 1/(1-rho) (slope <= {TAU} + "
              f"half-width), every network", tolerance=1e-6)
    ctx.claim("tightness-linear-in-1-rho", "tightness", combine_outcomes(tight_out),
              "NS_rho is linear in 1 - rho as rho -> 1 (slope 1 +- tau), where the paper has "
              "the square root", tolerance=1e-6)

    # --- negative controls ------------------------------------------------------------------
    ctx.control("peres-identity-without-quarter", "mc-identity", combine_outcomes(quarter),
                "the identity with NS lacking P2's 1/4 (the paper's first line) is rejected: "
                "4 NS lies outside the interval", tolerance=None)
    ctx.control("peres-identity-wrong-rho", "mc-identity", combine_outcomes(wrong),
                "the identity read at rho = 1 - 1/r (flip probability 1/(2r)) is rejected",
                tolerance=None)
    al = [f for f in rows if f["family"] == "aligned"]
    a_ns = np.array([[f["ns"][all_rhos.index(r)] for r in RHOS] for f in al])
    a_k = np.array([f["k"] for f in al])[:, None]
    a_w = np.array([f["W"] for f in al])[:, None]
    ctx.control("ns-derived-k-exponent-lowered", "inequality",
                check_inequality(a_ns, bounds.lemma_3_4_derived(
                    np.broadcast_to(rho, a_ns.shape), np.broadcast_to(a_k, a_ns.shape),
                    np.broadcast_to(a_w, a_ns.shape), k_exponent=1)),
                "2 (1 - rho) k W*^2 (k^1 in place of k^2) is violated by the aligned network",
                tolerance=EXACT_RTOL)
    ctx.control("rate-(1-rho)^1.5", "upper-rate", combine_outcomes(ctrl_out),
                "an O-form claiming NS = O((1 - rho)^{3/2}) fails: the ratio grows like "
                "(1 - rho)^{-1/2}", tolerance=1e-6)

    ctx.series.update({"ratio_curves": curves, "peres": peres_rows,
                       "scatter": {"bound": derived.ravel(), "ns": NS.ravel()}})
    ctx.parameters["implied_constant"] = float(max(o.details["implied_constant"]
                                                   for o in rate_out.values()))
    ctx.notes.append(
        f"Paper bound loose (consistent): NS is linear in 1 - rho (fitted slopes "
        f"{min(o.measured for o in tight_out.values()):.3f}..."
        f"{max(o.measured for o in tight_out.values()):.3f} for rho in {list(TIGHT_RHOS)}), "
        f"the paper allows sqrt(1 - rho); largest NS / paper-rate ratio "
        f"{ctx.parameters['implied_constant']:.3g}.")


def figures(result):
    from .. import plotting
    s = result.series
    yield "ns_vs_derived_bound.png", plotting.bound_scatter(
        s["scatter"]["bound"], s["scatter"]["ns"], xlabel=r"$2(1-\rho)k^2W^{\star2}$",
        ylabel=r"NS$_\rho$(h) (exact)", title="Lemma 3.4: every network and rho below the bound")
    yield "ratio_to_paper_rate.png", plotting.rate_plot(
        {k: tuple(v) for k, v in s["ratio_curves"].items()}, xlabel=r"$1/(1-\rho)$",
        ylabel="NS / paper rate", title="Lemma 3.4: NS / paper rate as rho -> 1")
    pr = np.array(s["peres"], dtype=float)
    yield "peres_identity.png", plotting.interval_plot(
        pr[:, 1], pr[:, 2], pr[:, 3], pr[:, 4], xlabel=r"exact NS$_{1-2/r}$",
        ylabel=r"$E[AS(H_z)]/r$ (99 % CI)", title="Lemma 3.4: Peres identity (17)")


register(id="lemma-3.4", aliases=("awasthi2024:lemma-3.4", "awasthi2024:lemma-10"),
         paper="P2 (Awasthi et al. 2024)", item="Lemma 3.4 (COLT Lemma 10; Peres)",
         title="Noise sensitivity of sparsely activated networks",
         statement="For h in H^{W,B}_{n,s,k}, NS_rho(h) <= sqrt(1-rho) O(k^4 W^2 "
                   "log^2(ns/(1-rho)) + k^3 B^2 sqrt(log s)).",
         default_seed=20243, figures=figures,
         bounds=(bounds.lemma_3_4_rate, bounds.lemma_3_4_derived, bounds.peres_rho))(run)
