r"""P1 Table 1 and its text: dense vs Top-K DSM at equal FLOPs, P1-EXPERIMENTS.md E1, §6.

Models of P1 §5 (:mod:`pactools.sparse_models`: frozen Glorot-uniform zero-bias bottom
layer, trained top layer) on the random hypercube function and the random polynomial
(``d = 8``, ``D = 4``), every model of a comparison on the same target and data.  The
paper's claims, checked with paired intervals of test-MSE differences on every problem
and width (the paper's text and captions, L180, L189, L205):

* DSM 25 % has lower MSE than dense at equal active units (Table 1, Fig. 2(a));
* DSM quality improves as total width increases: DSM 25 % (``T = 4t``) below DSM 50 %
  (``T = 2t``) at equal active units (Fig. 2(a) caption);
* "DSM uses only 18k FLOPs and gets smaller MSE than dense model with 73k FLOPs" (L180):
  DSM 25 % at the smallest width ``t`` below dense at ``4t``;
* random-hash sparse models underperform dense at equal active units (L178, Fig. 4).

By exact least squares (the optimum of the paper's objective for frozen features) on a
width sweep, and by the paper's RMSProp (Table 1 proper; in quick mode 10 epochs at the
quick sizes, in full mode Table 1's widths 1024-4096 on 2^16 samples, 50 epochs).

The report's tables put the paper's numbers beside ours for both targets, both
normalisations of the polynomial and both solvers, with the target variance and the
zero-bias floor (:func:`pactools.bounds.zero_bias_floor_hypercube`): the MSE scale of
Table 1 (~1e-2) is the hypercube's; the polynomial's is ~1e-4 (P1-EXPERIMENTS.md §4).
DSM 50 % is not a claim here: with zero-bias features it is numerically the dense model
of width ``2t`` (``tests/test_sparse_models.py``), so the paper's DSM 50 % gains at 2048
and 4096 active units are reported as not reproduced, with the measured ratios.

Negative controls: random hash 25 % claimed below dense (a mask that ignores the data's
geometry does not help) and dense at ``4t`` claimed below DSM 25 % at ``t`` are rejected.
"""
import numpy as np

from ... import bounds
from ...statement import Figure, Statement, claim, control
from . import _section5 as s5

LS, RMS = s5.LS.name, s5.RMSPROP.name


def _tables(r):
    out = []
    paper = list(s5.PAPER_TABLE_1.items())
    for sweep, solver in ((RMS, "RMSProp (the paper's training)"),
                          (LS, "exact least squares")):
        tab = r[sweep]
        for target in tab.unique("target"):
            floor, var = s5.floor_of(tab, target)
            rows = s5.mse_table(tab, target, ("dense", "dsm50", "dsm25"))
            body = []
            for i, row in enumerate(rows):
                p = paper[i] if i < len(paper) and target == "hypercube" else None
                body.append(row[:5] + [row[5], row[6]] + (
                    [f"{p[0]} (FLOPs {2 * p[0] * 9})", p[1][0], p[1][1], p[1][2],
                     p[1][1] / p[1][0], p[1][2] / p[1][0]] if p else ["", "", "", "", "", ""]))
            n_inst = len({row["instance"] for row in tab if row["target"] == target})
            out.append({
                "title": f"{solver}, {target}: Var f = {var:.3g}, zero-bias floor = {floor:.3g}",
                "columns": ["t", "FLOPs 2t(d+1)", "dense", "DSM 50 %", "DSM 25 %",
                            "50 % / dense", "25 % / dense", "paper t", "paper dense",
                            "paper 50 %", "paper 25 %", "paper 50 %/dense",
                            "paper 25 %/dense"],
                "rows": body,
                "caption": (f"Test MSE, mean over {n_inst} instance(s) of target and data. "
                            + ("The paper's rows are Table 1 by rank (its widths are 1024-4096 "
                               "on 2^16 samples; in quick mode ours are smaller)."
                               if target == "hypercube" else
                               "The paper's Table 1 target is not stated; its scale (1e-2) is "
                               "the hypercube's, not this polynomial's.")
                            + (" LS is linear in y, so the sum|c| = 1/D polynomial's LS MSEs "
                               "are the sum|c| = 1 ones divided by D^2 = 16."
                               if target == "polynomial" and sweep == LS else ""))})
    return out


def _notes(r, checks):
    notes = []
    for sweep, solver in ((LS, "least squares"), (RMS, "RMSProp")):
        tab = r[sweep]
        for target in tab.unique("target"):
            rows = s5.mse_table(tab, target, ("dense", "dsm50", "dsm25"))
            floor, _ = s5.floor_of(tab, target)
            notes.append(
                f"{solver}, {target}: DSM 50 %/dense {', '.join(f'{x[5]:.3f}' for x in rows)}, "
                f"DSM 25 %/dense {', '.join(f'{x[6]:.3f}' for x in rows)} at t = "
                f"{', '.join(str(x[0]) for x in rows)}; dense/floor "
                f"{', '.join(f'{x[2] / floor:.2f}' for x in rows)}.")
    notes.append("The paper's DSM 50 %/dense ratios are 0.999, 0.737 and 0.585 at t = 1024, "
                 "2048, 4096; with zero-bias Glorot features about half of the units are "
                 "positive, so Top-50 % removes almost nothing and DSM 50 % behaves as the dense "
                 "model of width 2t (P1-EXPERIMENTS.md §4.3, O-3): its gains at 2048 and 4096 are "
                 "not reproduced under this reading.")
    notes.append("P1's CIFAR-10 experiment (Figs. 5-6) is not run: the data set cannot be "
                 "fetched on the machines pactools is verified on, and no other data set is "
                 "reported under its name.")
    return notes


def _series(r):
    out = {}
    for target in r[LS].unique("target"):
        out[f"ls_{target}"], out[f"floor_{target}"] = s5.error_series(
            r[LS], target, ("dense", "dsm50", "dsm25", "hash25"))
    return out


def _figure(target):
    return Figure(f"mse_{target}.png", "errorbar_plot",
                  {"series": f"ls_{target}", "hlines": f"floor_{target}"},
                  xlabel="active units t", ylabel="test MSE (95 % interval)",
                  title=f"P1 Table 1 / Figs. 2(a), 4: {target}, exact LS (first instance)")


table_1 = Statement(
    id="baykal2022:table-1", aliases=("baykal2022:table1",),
    paper="P1 (Baykal et al. 2022)", item="Table 1, §5 (L180, L189, L205)",
    section="P1-EXPERIMENTS.md E1, §6 (THEORY.md §B.10)",
    title="Top-K DSM vs dense at equal FLOPs (and random hash)",
    text="DSM beats dense at equal activated units, improves with total width, and at 18k "
         "FLOPs beats dense at 73k; random-hash sparse models underperform dense.",
    sweeps=[s5.LS, s5.RMSPROP],
    checks=[
        claim("dsm25-below-dense", s5.paired_below(s5.pair(LS, "dsm25", "dense")), kind="mc-upper",
              description="least squares: DSM 25 % test MSE below dense at equal active units "
                          "t, on every problem and width (paired interval of the difference "
                          "wholly below 0)"),
        claim("dsm-improves-with-total-width",
              s5.paired_below(s5.pair(LS, "dsm25", "dsm50"), min_fraction=0.75), kind="mc-upper",
              description="least squares: at equal active units, DSM with total width 4t below "
                          "DSM with total width 2t on at least 3 in 4 problems and widths "
                          "(P1-EXPERIMENTS.md K6)"),
        claim("dsm25-at-t-below-dense-at-4t",
              s5.paired_below(s5.pair(LS, "dsm25", "dense4", largest=True),
                              s5.pair(RMS, "dsm25", "dense", widths=(1, 4)),
                              targets=("hypercube",)), kind="mc-upper",
              description="on the hypercube function (Table 1's scale): DSM 25 % at t below "
                          "dense at 4t — least squares at the sweep's largest t (nearest Table "
                          "1's), and RMSProp at Table 1's 1024 vs 4096 in full mode (L180's 18k "
                          "vs 73k FLOPs)"),
        claim("random-hash-above-dense", s5.paired_below(s5.pair(LS, "dense", "hash25")),
              kind="mc-upper",
              description="least squares: random hash 25 % above dense at equal active units "
                          "(L178, Fig. 4)"),
        claim("rmsprop-dsm25-below-dense", s5.paired_below(s5.pair(RMS, "dsm25", "dense")),
              kind="mc-upper",
              description="RMSProp (Table 1's training; in quick mode a 10-epoch smoke run at "
                          "t = 128): DSM 25 % below dense at every width"),
        control("random-hash-below-dense", s5.paired_below(s5.pair(LS, "hash25", "dense")),
                kind="mc-upper",
                description="random hash 25 % claimed below dense (DSM's gain without its "
                            "data-dependent routing) is rejected"),
        control("dense-at-4t-below-dsm25-at-t",
                s5.paired_below(s5.pair(LS, "dense4", "dsm25", largest=True),
                                targets=("hypercube",)),
                kind="mc-upper", description="the reverse of L180's comparison is rejected"),
    ],
    constants={"dim": s5.DIM, "degree": s5.DEGREE, "bottom_layer": "Glorot-uniform, zero bias",
               "rmsprop": "lr 1e-5, rho 0.9, eps 1e-7, batch 32 (Keras defaults, P1 L425)",
               "test_set": "symmetric (x and -x)", "paired_interval": "student-t"},
    report_tables=_tables, notes=_notes, series=_series,
    figures=[_figure("hypercube"), _figure("polynomial")],
    bounds=(bounds.zero_bias_floor_hypercube, bounds.zero_bias_floor_polynomial), seed=20255)

