r"""P2 Lemma 3.4: noise sensitivity of sparsely activated networks (Peres), THEORY.md §A.9, §C.2.

For :math:`h\in\mathcal H^{W,B}_{n,s,k}`,
:math:`\mathrm{NS}_\rho(h)\le\sqrt{1-\rho}\cdot O(k^4W^2\log^2\frac{ns}{1-\rho}+k^3B^2\sqrt{\log s})`.
Checked on networks certified ``k``-sparse on the whole cube: the DERIVED chain
:math:`\mathrm{NS}_\rho\le\frac{1-\rho}2\mathrm{AS}\le2(1-\rho)k^2W^{\star2}` (exact); Peres'
identity (17) :math:`\mathrm{NS}_{1-2/r}(h)=\frac1r\mathbb E_{z,A}[\mathrm{AS}(H_z)]` by Monte
Carlo over ``(z, A)`` (each :math:`\mathrm{AS}(H_z)` exact), every :math:`H_z` ``k``-sparse;
the concentration step :math:`\max_j\|w'_j\|^2\le8\log(nsr)\|w_j\|^2` with probability
:math:`\ge1-1/(n^2sr)` (Clopper–Pearson); the O-form as :math:`1-\rho\to0` (§C.0.2), NS
linear in :math:`1-\rho`.  Controls: the identity without P2's ¼ and at :math:`\rho=1-1/r`;
the ``k``-exponent lowered; an O-form claiming :math:`(1-\rho)^{3/2}`.
"""
from dataclasses import replace

import numpy as np

from ... import bounds, fourier, networks
from ...statement import Figure, Statement, Sweep, claim, control, rules, split_level
from ...stats import (check_probability, check_rate_exponent,
                      check_upper_rate, combine_outcomes, mean_estimate)
from .. import _p2nets

RHOS = (0.5, 0.8, 0.9, 0.95, 0.99)
RATE_RHOS = (0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)
TIGHT_RHOS = (0.99, 0.995, 0.998, 0.999, 0.9995, 0.9998, 0.9999)   # rho -> 1
# C_max fixed in advance: NS <= 2 (1-rho) k^2 W^2 (DERIVED) and in all our sweeps
# log^2(ns/(1-rho)) >= 1, so the ratio to the paper's rate is at most 2 sqrt(1-rho) <= 2.
C_MAX = 2.0
TAU = 0.1
CONFIDENCE = 0.99
PERES_FAMILIES = ("gated-fixed-support", "caps-antipodal")


def _network(family, n_vars, n_active, rng):
    if family == "aligned":
        return networks.aligned_network(n_vars, n_active)
    return _p2nets.FAMILIES[family](n_vars, n_active, rng)


def network(rng, family, n_vars, n_active, rep):
    """Exact AS, NS along every rho grid, the paper's rate and the DERIVED bound."""
    net = _network(family, n_vars, n_active, rng)
    f = _p2nets.facts(net, n_active, rho=RHOS + RATE_RHOS + TIGHT_RHOS)
    ns = np.array(f.pop("ns"))
    f.pop("table")
    rho, k, w = np.array(RHOS), n_active, f["W"]
    return {**f, "ns": ns[:len(RHOS)], "ns_rate": ns[len(RHOS):len(RHOS) + len(RATE_RHOS)],
            "ns_tight": ns[len(RHOS) + len(RATE_RHOS):],
            "ns_as_bound": bounds.noise_sensitivity_bound_from_average_sensitivity(f["as"], rho),
            "derived": bounds.lemma_3_4_derived(k, w, rho),
            "derived_k1": bounds.lemma_3_4_derived(k, w, rho, k_exponent=1),
            "rate": bounds.lemma_3_4_rate(n_vars, f["s"], k, w, f["B"], np.array(RATE_RHOS))}


def peres(rng, family, n_vars, n_active, n_buckets, n_samples):
    """Peres' identity (17) on one network: Monte Carlo over (z, A), exact NS beside it."""
    net = _network(family, n_vars, n_active, rng)
    table = networks.enumerate_network(net).table
    out = networks.peres_samples(net, n_buckets, n_samples, rng=rng.spawn(1)[0])
    threshold = 8 * np.log(n_vars * net.n_hidden * n_buckets)
    ok = out["norm_ratio"] <= threshold
    return {"estimate": mean_estimate(out["as_over_r"], CONFIDENCE),
            "exact": float(fourier.noise_sensitivity(table, bounds.peres_rho(n_buckets))),
            "at_wrong_rho": float(fourier.noise_sensitivity(table, 1 - 1 / n_buckets)),
            "max_active": out["max_active"], "concentrated": int(ok.sum()), "draws": ok.size,
            "worst_over_threshold": float(np.max(out["norm_ratio"]) / threshold),
            "p0": 1 - 1 / (n_vars ** 2 * net.n_hidden * n_buckets)}


def _networks(r):
    n = (10, 12) if r.quick else (10, 12, 14, 16)
    pts = [{"family": f, "n_vars": nv, "n_active": k, "rep": i} for nv in n
           for f in _p2nets.FAMILIES for i in range(1 if r.quick else 2) for k in (1, 2)]
    return pts + [{"family": "aligned", "n_vars": 8, "n_active": k, "rep": 0} for k in (1, 2, 4, 8)]


def _peres_points(r):
    samples = {2: 2000, 4: 2000, 8: 2000, 16: 300} if r.quick else \
        {2: 8000, 4: 8000, 8: 8000, 16: 600}
    return [{"family": f, "n_vars": 10, "n_active": k, "n_buckets": b, "n_samples": m}
            for f in PERES_FAMILIES for k in (1, 2) for b, m in samples.items()
            if r.quick is False or b < 16]


PERES_ROW = ("family", "n_active", "n_buckets")


def _per_network(make):
    """``make(row, 1 - rho, confidence level)`` per network, combined; the networks share
    the check's level (Bonferroni), a control's get the nominal 95 %."""
    def rule(r, level=None):
        om = 1 - np.array(RATE_RHOS)
        rows = [p for p in r["networks"] if np.all(p["ns_rate"] > 0)]
        cl = split_level(level, len(rows), nominal=0.95)
        return combine_outcomes({f"{p['family']} n={p['n_vars']} k={p['n_active']} #{p['rep']}":
                                 make(p, om, cl) for p in rows})
    return rule


def _concentration(r, level=None):
    t = r["peres"]
    out = check_probability(int(t["concentrated"].sum()), int(t["draws"].sum()),
                            float(t["p0"].min()), confidence_level=level or 0.95)
    # how close the draws came to the threshold: a frequency of 1 hides the margin
    return replace(out, details={**out.details, "largest_ratio_to_threshold":
                                 float(t["worst_over_threshold"].max())})


def _aligned(col):
    return lambda r: r["networks"].where(family="aligned")[col]


def _notes(r, checks):
    tight = checks[[c.name for c in checks].index("tightness-linear-in-1-rho")].details
    slopes = [v["measured"] for v in tight.values()]
    rate = checks[[c.name for c in checks].index("rate-as-rho-to-1")].details
    return [f"Paper bound loose (consistent): NS is linear in 1 - rho (fitted slopes "
            f"{min(slopes):.3f}...{max(slopes):.3f} for rho in {list(TIGHT_RHOS)}), the paper "
            f"allows sqrt(1 - rho); largest NS / paper-rate ratio "
            f"{max(v['implied_constant'] for v in rate.values()):.3g}."]


def _series(r):
    t = r["networks"]
    om = 1 - np.array(RATE_RHOS)
    curves = {f"{p['family']} n={p['n_vars']} k={p['n_active']}": (1 / om, p["ns_rate"] / p["rate"])
              for p in t.rows[:6]}
    pr = r["peres"]
    return {"derived": t["derived"], "ns": t["ns"], "ratio_curves": curves,
            "peres_exact": pr["exact"],
            "peres_estimate": [p["estimate"].statistic for p in pr],
            "peres_low": [p["estimate"].confidence_interval.low for p in pr],
            "peres_high": [p["estimate"].confidence_interval.high for p in pr]}


lemma_3_4 = Statement(
    id="lemma-3.4", aliases=("awasthi2024:lemma-3.4", "awasthi2024:lemma-10"),
    paper="P2 (Awasthi et al. 2024)", item="Lemma 3.4 (COLT Lemma 10; Peres)", section="§A.9",
    title="Noise sensitivity of sparsely activated networks",
    text="For h in H^{W,B}_{n,s,k}, NS_rho(h) <= sqrt(1-rho) O(k^4 W^2 log^2(ns/(1-rho)) "
         "+ k^3 B^2 sqrt(log s)).",
    math=r"h\in\mathcal H^{W,B}_{n,s,k}\ \Longrightarrow\ \mathrm{NS}_\rho(h)\le\sqrt{1-\rho}\;O\Big(k^4W^2\log^2\frac{ns}{1-\rho}+k^3B^2\sqrt{\log s}\Big)",
    sweeps=[Sweep("networks", network, grid=_networks),
            Sweep("peres", peres, grid=_peres_points)],
    checks=[
        claim("sparsity-certificates", lambda r: _p2nets.certificate_outcome(r["networks"].rows),
              "every network is certified k-sparse on the whole cube, no ties",
              kind="certificate", tolerance=1e-6),
        claim("ns-le-half-(1-rho)-as", rules.inequality("ns", "ns_as_bound"),
              f"NS_rho <= (1 - rho)/2 AS for every network and rho in {list(RHOS)}"),
        claim("ns-derived-2(1-rho)k2W2", rules.inequality("ns", "derived"),
              "NS_rho <= 2 (1 - rho) k^2 W*^2 (THEORY §A.9 DERIVED: linear in 1 - rho)"),
        claim("peres-identity-17", rules.mc_contains("peres.estimate", "peres.exact",
                                                     label=PERES_ROW),
              "NS_{1-2/r}(h) = (1/r) E_{z,A}[AS(H_z)]: the exact NS lies in the interval of the "
              "Monte Carlo mean, every network and r (the rows share the claim's level under "
              "the false-alarm budget)"),
        claim("peres-reduced-sparsity", rules.inequality("peres.max_active", "peres.n_active",
                                                         rtol=0.0),
              "every sampled H_z is k-sparse on all of {-1,1}^r (exhaustive)", kind="certificate",
              tolerance=None),
        claim("concentration-step", _concentration,
              "P[max_j ||w'_j||^2 <= 8 log(nsr) ||w_j||^2] >= 1 - 1/(n^2 s r) (weakest p0 over "
              "the runs; Clopper-Pearson at the claim's level under the budget)",
              kind="probability"),
        claim("rate-as-rho-to-1", _per_network(lambda p, om, cl: check_upper_rate(
            1 / om, p["ns_rate"], p["rate"], c_max=C_MAX, tau=TAU, confidence_level=cl)),
            f"O-form: NS / (sqrt(1-rho)(k^4 W*^2 log^2(ns/(1-rho)) + k^3 B*^2 sqrt(log s))) <= "
            f"C_max = {C_MAX} and non-increasing in 1/(1-rho) (slope interval wholly <= {TAU}), "
            "every network", kind="upper-rate"),
        claim("tightness-linear-in-1-rho", _per_network(lambda p, om, cl: check_rate_exponent(
            1 - np.array(TIGHT_RHOS), p["ns_tight"], 1.0, tau=TAU, direction="tight",
            confidence_level=cl)),
            "NS_rho is linear in 1 - rho as rho -> 1 (slope 1 +- tau), where the paper has the "
            "square root", kind="tightness"),
        control("peres-identity-without-quarter",
                rules.mc_contains("peres.estimate", lambda r: 4 * r["peres"]["exact"],
                                  label=PERES_ROW),
                "the identity with NS lacking P2's 1/4 (the paper's first line) is rejected: "
                "4 NS lies outside the interval"),
        control("peres-identity-wrong-rho", rules.mc_contains(
            "peres.estimate", "peres.at_wrong_rho", label=PERES_ROW),
                "the identity read at rho = 1 - 1/r (flip probability 1/(2r)) is rejected"),
        control("ns-derived-k-exponent-lowered", rules.inequality(_aligned("ns"),
                                                                  _aligned("derived_k1")),
                "2 (1 - rho) k W*^2 (k^1 in place of k^2) is violated by the aligned network"),
        control("rate-(1-rho)^1.5", _per_network(lambda p, om, cl: check_upper_rate(
            1 / om, p["ns_rate"], om ** 1.5, c_max=C_MAX, tau=TAU, confidence_level=cl)),
            "an O-form claiming NS = O((1 - rho)^{3/2}) fails: the ratio grows like "
            "(1 - rho)^{-1/2}", kind="upper-rate"),
    ],
    constants={"c_max": C_MAX, "tau": TAU, "confidence_level": CONFIDENCE,
               "rhos": list(RHOS),
               "rate_rhos": list(RATE_RHOS), "tight_rhos": list(TIGHT_RHOS)},
    series=_series, notes=_notes,
    figures=[Figure("ns_vs_derived_bound.png", "bound_scatter", {"bound": "derived", "measured": "ns"},
                    xlabel=r"$2(1-\rho)k^2W^{\star2}$", ylabel=r"NS$_\rho$(h) (exact)",
                    title="Lemma 3.4: every network and rho below the bound"),
             Figure("ratio_to_paper_rate.png", "rate_plot", {"series": "ratio_curves"},
                    xlabel=r"$1/(1-\rho)$", ylabel="NS / paper rate",
                    title="Lemma 3.4: NS / paper rate as rho -> 1"),
             Figure("peres_identity.png", "interval_plot",
                    {"exact": "peres_exact", "estimate": "peres_estimate", "low": "peres_low",
                     "high": "peres_high"}, xlabel=r"exact NS$_{1-2/r}$",
                    ylabel=r"$E[AS(H_z)]/r$ (99 % CI)", title="Lemma 3.4: Peres identity (17)")],
    bounds=(bounds.lemma_3_4_rate, bounds.lemma_3_4_derived, bounds.peres_rho), seed=20243)
