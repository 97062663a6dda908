r"""P2 Claim 1 (KOS 2004) and the average-sensitivity identities of THEORY.md §A.4.

For every :math:`f:\{\pm1\}^n\to\mathbb R`: Parseval;
:math:`\mathrm{NS}_\rho=\frac12\sum_T(1-\rho^{|T|})\hat f(T)^2`;
:math:`\sum_{|T|>d}\hat f(T)^2\le2\mathrm{NS}_\rho/(1-\rho^d)`; and (DERIVED)
:math:`\mathrm{AS}=\sum|T|\hat f^2`, tail :math:`\le\mathrm{AS}/(d+1)`,
:math:`\mathrm{NS}_\rho\le\frac{1-\rho}2\mathrm{AS}`, the KOS constant.  Exact on the whole
cube for ``n_vars <= 20``; Monte Carlo with 99 % intervals on a sparse polynomial in 1000
variables whose spectrum is known.
"""
import numpy as np

from ... import bounds, fourier
from ...hypercube import truth_table
from ...statement import Figure, Grid, Statement, Sweep, claim, control, rules

RHOS = (0.0, 0.25, 0.5, 0.8, 0.9, 0.95, 0.99)
KOS_DELTAS = (0.05, 0.1, 0.25, 0.5)
FAMILIES = ("gaussian", "halfspace", "parity", "majority")


def _function(family, n, rng):
    if family == "gaussian":
        return rng.standard_normal(1 << n)
    if family == "halfspace":
        w, b = rng.standard_normal(n), rng.normal(0, np.sqrt(n) / 2)
        return truth_table(lambda X: (X @ w <= b).astype(float), n)
    if family == "parity":
        return truth_table(lambda X: X.prod(axis=1), n)
    return truth_table(lambda X: np.sign(X[:, :n - 1].sum(axis=1)), n)   # majority of n-1


def exact(rng, family, n_vars, rep):
    """Every identity and bound of the claim on one truth table, exactly."""
    t = _function(family, n_vars, rng)
    w = fourier.level_weights(fourier.fourier_coefficients(t))
    a = fourier.influences(t).sum()
    ds, levels = np.arange(1, n_vars), np.arange(n_vars + 1)
    ns = np.array([fourier.noise_sensitivity_from_weights(w, r) for r in RHOS])
    ns_def = [0.5 * (np.mean(t * t) - np.mean(t * fourier.noise_operator(t, r))) for r in RHOS]
    tb = np.concatenate([np.atleast_1d(bounds.claim_1_tail_bound(v, r, ds))
                         for v, r in zip(ns, RHOS)])
    firsts = [int(np.ceil(1 / dl - 1e-12)) for dl in KOS_DELTAS]   # |T| >= 1/delta
    return {"norm": float(np.mean(t * t)), "weight": float(w.sum()), "as": a,
            "as_spec": float(w @ levels), "as_noquarter": 4 * a, "ns_def": ns_def, "ns": ns,
            "ns_as_bound": [bounds.noise_sensitivity_bound_from_average_sensitivity(a, r)
                            for r in RHOS],
            "tail": np.tile(fourier.spectral_tail_from_weights(w, ds), len(RHOS)),
            "tail_bound": tb, "tail_bound_halved": tb / 2,
            "tail_all": fourier.spectral_tail_from_weights(w, levels),
            "tail_as_bound": bounds.tail_bound_from_average_sensitivity(a, levels),
            "kos_tail": [fourier.spectral_tail_from_weights(w, f - 1) for f in firsts],
            "kos_bound": [bounds.kos_tail_bound(fourier.noise_sensitivity_from_weights(
                w, 1 - 2 * dl)) for dl in KOS_DELTAS],
            "level_weights": w}


def monte_carlo(rng, n_vars, rho, n_samples):
    """NS and AS of a sparse polynomial with a known spectrum, by Monte Carlo."""
    sets = [rng.choice(n_vars, size=k, replace=False) for k in (1, 2, 3, 5, 8, 13)]
    amp = rng.uniform(0.5, 1.5, size=len(sets))
    sizes = np.array([len(s) for s in sets])

    def poly(X):
        return sum(a * X[:, s].prod(axis=1) for a, s in zip(amp, sets))
    r1, r2 = rng.spawn(2)
    return {"ns_mc": fourier.noise_sensitivity_mc(poly, n_vars, rho, n_samples=n_samples, rng=r1),
            "as_mc": fourier.average_sensitivity_mc(poly, n_vars, n_samples=n_samples, rng=r2),
            "ns_exact": 0.5 * np.sum((1 - rho ** sizes) * amp ** 2),
            "ns_at_rho_squared": 0.5 * np.sum((1 - rho ** (2 * sizes)) * amp ** 2),
            "as_exact": float(np.sum(sizes * amp ** 2))}


def _instances(results):
    ns, per_n = ((4, 8, 12), 2) if results.quick else ((4, 8, 12, 16, 20), 3)
    return [{"family": f, "n_vars": n, "rep": r} for n in ns for f in FAMILIES
            for r in range(per_n if f in ("gaussian", "halfspace") else 1)]


def _series(r):
    t = r["exact"]
    keep = np.linspace(0, len(t["tail"]) - 1, min(len(t["tail"]), 600)).astype(int)
    n_max = max(t["n_vars"])
    return {"tail": t["tail"][keep], "tail_bound": t["tail_bound"][keep],
            "level_weights": {f"{row['family']} #{row['rep']}": row["level_weights"]
                              for row in t.where(n_vars=n_max)}}


claim_1 = Statement(
    id="claim-1", aliases=("awasthi2024:claim-1", "awasthi2024:claim-2.1"),
    paper="P2 (Awasthi et al. 2024)", item="Claim 1 (COLT Claim 2.1)", section="§A.4",
    title="Fourier concentration from noise sensitivity (KOS)",
    text="For all f: {-1,1}^n -> R: ||f||^2 = sum_T f(T)^2; NS_rho(f) = sum_T (1/2)(1 - rho^|T|) "
         "f(T)^2; hence sum_{|T|>d} f(T)^2 <= 2 NS_rho(f) / (1 - rho^d).",
    math=r"\|f\|_2^2=\sum_T\hat f(T)^2,\qquad \mathrm{NS}_\rho(f)=\sum_T\tfrac12\big(1-\rho^{|T|}\big)\hat f(T)^2,\qquad \sum_{|T|>d}\hat f(T)^2\le\frac{2\,\mathrm{NS}_\rho(f)}{1-\rho^{d}}",
    sweeps=[Sweep("exact", exact, grid=_instances),
            Sweep("mc", monte_carlo, grid={"n_vars": [1000], "rho": [0.9],
                                           "n_samples": Grid(quick=[20_000], full=[100_000])})],
    checks=[
        claim("parseval", rules.identity("norm", "weight"),
              "E f^2 = sum_T f(T)^2 on every instance (float64, rtol 1e-9)"),
        claim("ns-formula", rules.identity("ns_def", "ns", atol=1e-12),
              "NS_rho from its definition (noise operator applied coordinate by coordinate, no "
              "transform) equals 1/2 sum (1-rho^|T|) f(T)^2"),
        claim("as-identity", rules.identity("as", "as_spec"),
              "AS (1/4-normalised, from bit flips) equals sum |T| f(T)^2 (THEORY §A.4)"),
        claim("tail-bound", rules.inequality("tail", "tail_bound"),
              "Claim 1: sum_{|T|>d} f(T)^2 <= 2 NS_rho / (1 - rho^d) for every instance, "
              "d = 1..n-1 and rho in the grid"),
        claim("tail-bound-as", rules.inequality("tail_all", "tail_as_bound"),
              "DERIVED: sum_{|T|>d} f(T)^2 <= AS/(d+1), d = 0..n"),
        claim("ns-vs-as", rules.inequality("ns", "ns_as_bound"),
              "DERIVED: NS_rho <= (1-rho)/2 AS for rho in [0, 1]"),
        claim("kos-constant", rules.inequality("kos_tail", "kos_bound"),
              "KOS form: sum_{|T| >= 1/delta} f(T)^2 <= 2/(1-e^-2) NS_{1-2 delta}"),
        claim("ns-formula-mc", rules.mc_contains("mc.ns_mc", "mc.ns_exact"),
              "n_vars=1000: Monte Carlo NS_0.9 from the definition (99% interval) contains the "
              "spectral formula"),
        claim("as-identity-mc", rules.mc_contains("mc.as_mc", "mc.as_exact"),
              "n_vars=1000: Monte Carlo AS (99% interval) contains sum |T| f(T)^2"),
        control("tail-bound-halved", rules.inequality("tail", "tail_bound_halved"),
                "Claim 1 with its constant 2 halved: violated (parity at d = n-1, rho near 1)"),
        control("as-identity-without-quarter", rules.identity("as_noquarter", "as_spec"),
                "AS without P2's 1/4 (O'Donnell's squared difference) is not sum |T| f(T)^2"),
        control("ns-formula-mc-wrong-rho", rules.mc_contains("mc.ns_mc", "mc.ns_at_rho_squared"),
                "the Monte Carlo interval excludes the formula evaluated at rho^2 (the interval "
                "is narrow enough to tell)"),
    ],
    constants={"rho": list(RHOS), "kos_delta": list(KOS_DELTAS), "confidence_level": 0.99},
    series=_series,
    figures=[Figure("tail_vs_bound.png", "bound_scatter",
                    {"bound": "tail_bound", "measured": "tail"},
                    xlabel=r"Claim 1 bound $2\,\mathrm{NS}_\rho/(1-\rho^d)$",
                    ylabel=r"$\sum_{|T|>d}\hat f(T)^2$",
                    title="Claim 1: tail vs bound (every point <= line)",
                    extra_line=(0.5, "constant halved (control)")),
             Figure("level_weights.png", "level_weights_plot",
                    {"examples": "level_weights"})],
    bounds=(bounds.claim_1_tail_bound, bounds.tail_bound_from_average_sensitivity,
            bounds.noise_sensitivity_bound_from_average_sensitivity, bounds.kos_tail_bound),
    seed=20240)
