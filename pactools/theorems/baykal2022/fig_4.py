r"""P1 Figure 4: dense vs random hash vs DSM vs LSH at equal activated units, P1-EXPERIMENTS.md E4.

Caption (L205-L208): "(a) random polynomial (b) random hypercube function ... DSM and LSH
models outperform dense models, while random hash models underperform dense models with the
same number of activated units"; L178: "random hash sparse models underperform dense
models, suggesting data-dependent sparsity mechanisms (such as DSM/LSH) are effective".

On both targets, every model on one target and data, exact fits, paired intervals:

* DSM 25 % below dense at equal active units (every instance and width);
* LSH with 16 tables (16 active scalars, P1-EXPERIMENTS.md O-14) below a dense model of 16
  units;
* random hash 25 % above dense, and above DSM 25 %, at equal active units.

Negative controls: random hash 25 % claimed below dense, and dense claimed below DSM 25 %,
are rejected.
"""
from ... import bounds
from ...statement import Figure, Statement, claim, control
from ...stats import mean_estimate
from . import _section5 as s5

LS, LSH = s5.LS.name, s5.LSH.name
BOTH = ("polynomial", "hypercube")


def _series(r):
    out = {}
    for target in BOTH:
        curves, out[f"floor_{target}"] = s5.error_series(r[LS], target,
                                                         ("dense", "dsm25", "hash25"))
        rows = [x for x in r[LSH] if x["target"] == target]
        m = rows[0]["n_bits"][-1]
        for name, col in (("LSH, 16 tables (16 active scalars)", f"mse_s16_m{m}"),
                          ("dense, t = 16", "mse_dense_units")):
            e = mean_estimate([x[col] for x in rows], 0.95)      # over instances
            curves[name] = ([16], [e.statistic], [e.confidence_interval.low],
                            [e.confidence_interval.high])
        out[target] = curves
    return out


fig_4 = Statement(
    id="baykal2022:fig-4", aliases=("baykal2022:fig4",),
    paper="P1 (Baykal et al. 2022)", item="Figure 4 (L205-L208, L178)",
    section="P1-EXPERIMENTS.md E4, K8, K9",
    title="Figure 4: DSM and LSH beat dense, random hash does not",
    text="DSM and LSH models outperform dense models, while random hash models underperform "
         "dense models with the same number of activated units.",
    sweeps=[s5.LS, s5.LSH],
    checks=[
        claim("dsm25-below-dense", s5.paired_below(s5.pair(LS, "dsm25", "dense"), targets=BOTH),
              kind="mc-upper",
              description="DSM 25 % below dense at equal active units, both targets, every "
                          "instance and width"),
        claim("lsh-below-dense-at-equal-units",
              s5.lsh_below_dense_at_equal_units(targets=BOTH, n_tables=16), kind="mc-upper",
              description="LSH with 16 tables (at its most buckets) below dense with 16 units, "
                          "in expectation over instances"),
        claim("random-hash-above-dense", s5.paired_below(s5.pair(LS, "dense", "hash25"),
                                                         targets=BOTH), kind="mc-upper",
              description="random hash 25 % above dense at equal active units"),
        claim("dsm25-below-random-hash", s5.paired_below(s5.pair(LS, "dsm25", "hash25"),
                                                         targets=BOTH), kind="mc-upper",
              description="DSM 25 % below random hash 25 % (data-dependent routing helps)"),
        control("random-hash-below-dense", s5.paired_below(s5.pair(LS, "hash25", "dense"),
                                                           targets=BOTH), kind="mc-upper",
                description="random hash 25 % claimed below dense is rejected"),
        control("dense-below-dsm25", s5.paired_below(s5.pair(LS, "dense", "dsm25"),
                                                     targets=BOTH), kind="mc-upper",
                description="dense claimed below DSM 25 % is rejected"),
    ],
    constants={"lsh_active_units": "n_tables (P1-EXPERIMENTS.md O-14)",
               "test_set": "symmetric (x and -x)"},
    series=_series,
    figures=[Figure(f"fig4{p}.png", "errorbar_plot", {"series": t, "hlines": f"floor_{t}"},
                    xlabel="activated units", ylabel="test MSE (95 % interval)",
                    title=f"Fig. 4({p}), {t}: equal activated units (exact fits)")
             for p, t in (("a", "polynomial"), ("b", "hypercube"))],
    bounds=(bounds.zero_bias_floor_hypercube, bounds.zero_bias_floor_polynomial), seed=20255)
