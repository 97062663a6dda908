r"""P2 Lemma 5.2 (COLT Lemma 18; SSBD 26.5, 26.9): Rademacher complexity gives a PAC learner.

THEORY.md §A.13.  On a finite class (all 256 3-juntas of 6 bits as 1-sparse networks, ERM
exact by enumeration, population loss exact on the cube), the explicit realizable bound
:math:`\mathcal L_D(\mathrm{ERM})\le4C\mathcal R_S+10C^2\sqrt{2\ln(8/\delta)/m}` holds with
frequency :math:`\ge1-\delta` (Clopper–Pearson; :math:`\mathcal R_S` from the lower end of
its 99 % interval).  Control: the bound without its complexity term (and a tenth of its
deviation term) fails.
"""
from functools import lru_cache

import numpy as np

from ... import bounds, networks, rademacher
from ...hypercube import cube
from ...statement import Figure, Grid, Statement, Sweep, claim, control, rules

N_VARS, JUNTA, N_SAMPLES, DELTA, C = 6, 3, 8, 0.1, 1.0


@lru_cache(maxsize=1)
def _class():
    """Truth tables (256 x 64) of every 3-junta on the first 3 of 6 bits, as networks."""
    X = cube(N_VARS).astype(float)
    return np.array([networks.junta_network(t, N_VARS)(X)
                     for t in cube(1 << JUNTA).astype(float)])


def erm(rng, n_samples):
    """A random target, m uniform samples, exact ERM; its exact loss against the bounds."""
    H = _class()
    star = rng.integers(len(H))
    idx = rng.integers(0, H.shape[1], size=n_samples)
    emp = 0.5 * np.mean((H[:, idx] - H[star, idx]) ** 2, axis=1)
    pick = int(np.flatnonzero(emp == emp.min())[0])
    loss = 0.5 * float(np.mean((H[pick] - H[star]) ** 2))
    rs = rademacher.rademacher_mc(rademacher.finite_oracle(H[:, idx]), n_samples, n_signs=400,
                                  rng=rng)
    bound = bounds.lemma_5_2_explicit(C, max(0.0, rs.confidence_interval.low), n_samples, DELTA)
    return {"loss": loss, "holds": int(loss <= bound),
            "holds_without": int(loss <= 0.1 * C ** 2 * np.sqrt(2 * np.log(8 / DELTA)
                                                                / n_samples))}


lemma_5_2 = Statement(
    id="lemma-5.2", aliases=("awasthi2024:lemma-5.2", "awasthi2024:lemma-18"),
    paper="P2 (Awasthi et al. 2024)", item="Lemma 5.2 (COLT Lemma 18; SSBD 26.5, 26.9)",
    section="§A.13", title="Rademacher complexity gives a PAC learner (explicit, realizable)",
    text="With probability >= 1 - delta, L_D(ERM) <= 4 C R_S + 10 C^2 sqrt(2 ln(8/delta)/m).",
    math=r"\Pr\Big[L_D(\mathrm{ERM})\le 4C\,\mathcal R_S+10C^2\sqrt{\frac{2\ln(8/\delta)}{m}}\Big]\ge 1-\delta",
    sweeps=[Sweep("erm", erm, grid={"n_samples": N_SAMPLES},
                  repeats=Grid(quick=[100], full=[300]))],
    checks=[
        claim("lemma-5.2-probability", rules.probability("holds", 1 - DELTA),
              "L_D(ERM) <= 4 C R_S + 10 C^2 sqrt(2 ln(8/delta)/m) with frequency >= 1 - delta "
              f"(finite class of 256 {JUNTA}-juntas, m = {N_SAMPLES}, exact ERM and population "
              "loss)"),
        control("bound-without-complexity-term", rules.probability("holds_without", 1 - DELTA),
                "dropping 4 C R_S (and shrinking the deviation term tenfold) fails: ERM on "
                f"{N_SAMPLES} samples often picks a wrong junta"),
    ],
    constants={"n_vars": N_VARS, "junta_size": JUNTA, "class_size": 256, "delta": DELTA,
               "C": C},
    notes=lambda r, checks: [
        f"Mean population loss of ERM {np.mean(r['erm']['loss']):.3f}; the bound is "
        f"{bounds.lemma_5_2_explicit(C, 0.0, N_SAMPLES, DELTA):.2f} even with R_S = 0 "
        "(vacuous at this m: the loss is at most 2 C^2)."],
    series=lambda r: {"loss": np.asarray(r["erm"]["loss"], float)},
    figures=[Figure("erm_losses.png", "histogram", {"values": "loss"},
                    xlabel="population loss of ERM (exact)", ylabel="repeats",
                    title=f"Lemma 5.2: ERM on m = {N_SAMPLES} samples, 256 3-juntas",
                    vline=(float(bounds.lemma_5_2_explicit(C, 0.0, N_SAMPLES, DELTA)),
                           "the bound at R_S = 0 (its smallest value)"),
                    bins=[0.25 * i - 0.125 for i in range(10)])],
    bounds=(bounds.lemma_5_2_explicit,), seed=20260)
