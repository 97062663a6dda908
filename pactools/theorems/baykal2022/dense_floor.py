r"""The zero-bias dense floor of P1 §5's models, P1-EXPERIMENTS.md §2.2 and K13 (DERIVED).

A dense model without bottom bias, :math:`g(x)=a^\top\mathrm{relu}(Bx)+c`, has
:math:`g(x)-g(-x)=a^\top Bx`: its odd part is linear.  On inputs closed under
:math:`x\mapsto-x` its mean squared error splits into even and odd parts, so at **every
width** and for **any** top layer

.. math:: \mathrm{MSE}(g)\ge\min_w E[(f_{\mathrm{odd}}(x)-w^\top x)^2],

under :math:`U([-1,1]^d)` and, exactly, on a symmetric test set.  For the random
hypercube function the right side is :math:`\sum_{|S|\text{ odd}\ge3}\hat f(S)^2
3^{-|S|}` (mean 0.00902 at ``d = 8``), which is why Table 1's dense column is flat at
~0.01 (P1-EXPERIMENTS.md §0).

Claims: on the symmetric test sets of Table 1's problems, every zero-bias dense model
(widths ``t`` and ``2t``, exact least squares and RMSProp) has test MSE at least the
sample's floor (exact, on every instance); the floor formula (Fourier for the hypercube
function, moments for the polynomial) equals, to round-off, a Gauss–Legendre quadrature of
:math:`E[(f_{\mathrm{odd}}-\beta^\top x)^2]` that only calls the target
(:func:`pactools.bounds.zero_bias_floor_quadrature`, exact for polynomials).  An earlier
form compared the formula with a Monte Carlo interval; on 2 of 30 calibration seeds a
heavy-tailed sample put the exact value outside it, a false alarm an exact check cannot
raise.

Negative controls: the same inequality for dense models with a random bottom bias, and
for Top-K DSM 25 % (whose mask breaks the odd/even split), fails; the floor computed
without removing the linear part of :math:`f_{\mathrm{odd}}` disagrees with the quadrature.
"""
import numpy as np

from ... import bounds
from ...hypercube import popcounts
from ...statement import Figure, Statement, Sweep, claim, control, rules
from . import _section5 as s5

LS, RMS = s5.LS.name, s5.RMSPROP.name
#: the largest power of one coordinate in each target (the quadrature's exactness)
DEGREE = {"hypercube": 1, "polynomial": s5.DEGREE}


def odd_energy(f):
    r""":math:`E[f_{\mathrm{odd}}^2]` under :math:`U([-1,1]^d)` — the floor *without* the
    linear projection removed (the control's wrong formula)."""
    if hasattr(f, "coeffs"):
        size = popcounts(f.dim).astype(np.int64)
        odd = size % 2 == 1
        return float(np.sum(f.coeffs[odd] ** 2 * 3.0 ** -size[odd]))
    E, c = f.exponents, f.coefs
    odd = E.sum(axis=1) % 2 == 1
    return float(c[odd] @ bounds._cube_moments(E[odd][:, None] + E[odd][None]) @ c[odd])


def floor_trial(rng, target, instance):
    """The floor formula of one target against a quadrature that only calls it."""
    f, *_ = s5.problem(target, instance, 2, 2)
    return {"floor": f.dense_floor,
            "floor_quadrature": bounds.zero_bias_floor_quadrature(f, s5.DIM, DEGREE[target]),
            "odd_energy": odd_energy(f), "variance": f.variance}


FLOOR = Sweep("section-5-floor", floor_trial, grid=lambda r: [
    {"target": t, "instance": s5.instance_seed(r, t, d)}
    for t in ("hypercube", "polynomial") for d in range(s5.LS_DRAWS.values(r.quick)[0])])


def _notes(r, checks):
    out = []
    for sweep, solver in ((LS, "least squares"), (RMS, "RMSProp")):
        tab = r[sweep]
        for target in tab.unique("target"):
            sub = [row for row in tab if row["target"] == target]
            ratio = [row["mse_dense"] / row["floor_sample"] for row in sub
                     if row["floor_sample"] > 0]
            if ratio:
                out.append(f"{solver}, {target}: dense test MSE / sample floor from "
                           f"{min(ratio):.3f} to {max(ratio):.3f} over {len(ratio)} fits "
                           f"(widths {', '.join(str(w) for w in sorted({x['width'] for x in sub}))})")
    out.append("The floor holds for every top layer, so it bounds RMSProp's iterates too. "
               "Top-K DSM stays positively 1-homogeneous but its mask makes the odd part "
               "non-linear, and a random bottom bias breaks the odd/even split: both go below "
               "the floor at large width (the controls).")
    return out


def _series(r):
    tab = r[LS]
    out = {}
    for target in tab.unique("target"):
        out[f"ls_{target}"], out[f"floor_{target}"] = s5.error_series(
            tab, target, ("dense", "dense2", "dense4", "biased", "dsm25"))
    return out


dense_floor = Statement(
    id="baykal2022:dense-floor", aliases=("baykal2022:floor",),
    paper="P1 (Baykal et al. 2022)", item="§5 models (DERIVED: P1-EXPERIMENTS.md §2.2)",
    section="P1-EXPERIMENTS.md §2.2, K13",
    title="Zero-bias dense models have an MSE floor that no width removes",
    text="For g(x) = a relu(Bx) + c, MSE(g) >= E[(f_odd - best linear)^2] at every width "
         "(for the hypercube function: sum over odd |S| >= 3 of f(S)^2 3^-|S|).",
    math=r"\mathrm{MSE}\big(a\,\mathrm{relu}(Bx)+c\big)\ge\mathbb E\big[(f_{\mathrm{odd}}-\ell^\ast)^2\big]\ \text{at every width};\ \text{hypercube function: }\sum_{|S|\ \mathrm{odd}\,\ge 3}\hat f(S)^2\,3^{-|S|}",
    sweeps=[s5.LS, s5.RMSPROP, FLOOR],
    checks=[
        claim("zero-bias-dense-above-floor", rules.inequality("floor_sample",
                                                              "mse_zero_bias_dense"),
              "least squares, dense at t and 2t: test MSE >= the symmetric test set's floor, "
              "every problem and width (exact)", sweep=LS),
        claim("rmsprop-dense-above-floor", rules.inequality("floor_sample", "mse_dense"),
              "RMSProp's dense models: test MSE >= the floor (exact)", sweep=RMS),
        claim("floor-formula", rules.identity("floor", "floor_quadrature"),
              "the floor formula equals a Gauss-Legendre quadrature of E[(f_odd - beta.x)^2] "
              "(exact for these polynomials) to round-off", sweep=FLOOR.name),
        control("biased-dense-above-floor", rules.inequality("floor_sample", "mse_biased"),
                "dense models with a random bottom bias claimed above the floor are rejected",
                sweep=LS),
        control("dsm25-above-floor", rules.inequality("floor_sample", "mse_dsm25"),
                "Top-K DSM 25 % claimed above the floor is rejected", sweep=LS),
        control("floor-without-linear-part", rules.identity("odd_energy", "floor_quadrature"),
                "the floor computed as E[f_odd^2] (the linear part not removed) is rejected",
                sweep=FLOOR.name),
    ],
    constants={"test_set": "symmetric (x and -x)",
               "quadrature": "Gauss-Legendre, degree + 1 nodes per coordinate",
               "degree_per_coordinate": DEGREE},
    notes=_notes, series=_series,
    figures=[Figure(f"floor_{t}.png", "errorbar_plot", {"series": f"ls_{t}",
                                                        "hlines": f"floor_{t}"},
                    xlabel="active units t", ylabel="test MSE (95 % interval)",
                    title=f"Zero-bias dense floor: {t}, exact LS (first instance)")
             for t in ("hypercube", "polynomial")],
    bounds=(bounds.zero_bias_floor_hypercube, bounds.zero_bias_floor_polynomial), seed=20255)
