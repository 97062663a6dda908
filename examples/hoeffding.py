"""Hoeffding's inequality for the mean of n fair ±1 signs — a statement not in the papers.

    pactools verify --load examples/hoeffding.py --theorem example:hoeffding --quick
"""
import numpy as np

from pactools.stats import mean_estimate
from pactools.statement import Figure, Grid, Statement, Sweep, claim, control, rules


def hoeffding_tail(n_samples, t):
    """Hoeffding (1963): P(|mean of n fair signs| >= t) <= 2 exp(-n t^2 / 2)."""
    return 2.0 * np.exp(-n_samples * t ** 2 / 2.0)


hoeffding_tail.formula = r"P(|\bar x| \ge t) \le 2 e^{-n t^2 / 2}"
hoeffding_tail.reference = "Hoeffding (1963), Theorem 2"


def trial(rng, n_samples, t, draws):
    """``draws`` means of ``n_samples`` signs, exactly: mean = (2 Bin(n, 1/2) - n) / n."""
    means = (2.0 * rng.binomial(n_samples, 0.5, size=draws) - n_samples) / n_samples
    hit = (np.abs(means) >= t).astype(np.float64)
    return {"frequency": mean_estimate(hit, 0.99),        # 0/1 samples: Clopper-Pearson
            "rate": float(hit.mean()), "bound": hoeffding_tail(n_samples, t),
            "exponent_doubled": hoeffding_tail(n_samples, t) ** 2 / 2}


hoeffding = Statement(
    id="example:hoeffding", paper="Hoeffding (1963)", item="Theorem 2",
    title="Hoeffding's inequality for means of fair signs",
    text="For i.i.d. uniform x_i in {-1, 1}: P(|(1/n) sum_i x_i| >= t) <= 2 exp(-n t^2 / 2).",
    sweeps=[Sweep("tail", trial, grid={
        "n_samples": Grid(quick=[25, 50, 100, 200], full=[25, 50, 100, 200, 400, 800]),
        "t": [0.25], "draws": Grid(quick=[20_000], full=[200_000])})],
    checks=[
        claim("tail-bound", rules.mc_upper("frequency", "bound"),
              "the 99 % Clopper-Pearson interval of P(|mean| >= t) lies below 2 exp(-n t^2/2)"),
        control("exponent-doubled", rules.mc_upper("frequency", "exponent_doubled"),
                "2 exp(-n t^2), the exponent doubled, is refuted: the frequency lies above it"),
    ],
    series=lambda r: {"rate": r["tail"]["rate"], "bound": r["tail"]["bound"]},
    figures=[Figure("tail.png", "bound_scatter", {"bound": "bound", "measured": "rate"},
                    xlabel="Hoeffding bound", ylabel="measured P(|mean| >= t)",
                    title="Hoeffding: tail frequency vs bound")],
    bounds=(hoeffding_tail,), seed=1963)
