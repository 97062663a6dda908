r"""P2 Conjecture 5.5, eq. (16): Rademacher complexity without the explicit n, THEORY.md §A.13.

The ``n``-dependence probe: the 1-sparse witness (``s = 32``, ``m = 1024``, 5 gate
coordinates and ``n - 5`` free ones) normalised by :math:`(WR+B)\sqrt{sk/m}` against ``n``.
A lower bound cannot confirm or refute an upper bound with an unknown constant, so the
claim is INCONCLUSIVE by nature and the run reports the slope and its interval.
Control: the normalisation without :math:`\sqrt s` is exceeded along ``s``.
"""
import numpy as np

from ... import bounds
from ...statement import Figure, Statement, Sweep, claim, control, rules
from ...stats import INCONCLUSIVE, RuleOutcome
from .theorem_5_3 import DRAWS, N_FREE, N_VARS, TAU, normalised_witness, witnesses


def _probe(r):
    t = r["n"]
    norm = t["sparse_mean"] / t["conj_rate"]
    fit = rules.rate("n_vars", lambda rr: norm, 0.0, direction="upper", tau=TAU).evaluate(r, "n")
    return RuleOutcome(INCONCLUSIVE, fit.measured, 0.0, {
        **fit.details, "reason": "witnesses are lower bounds and (16) has an unknown constant: "
                                 "no finite probe can confirm or refute it",
        "normalised_witness": norm.tolist(), "n_vars": t["n_vars"].tolist()})


def _notes(r, checks):
    c = checks[0]
    ci = c.details["fit"]["confidence_interval"]
    return [f"INCONCLUSIVE by nature: normalised-witness slope in n = {c.measured:.3f} "
            f"[{ci['low']:.3f}, {ci['high']:.3f}] over n in "
            f"{[int(n) for n in r['n']['n_vars']]}."]


def _series(r):
    t = r["n"]
    n = np.asarray(t["n_vars"], float)
    norm, low, high = normalised_witness(t, t["conj_rate"])
    return {"by_n": {
        "witness / ((WR+B) sqrt(sk/m)), 99 % interval": (n, norm, low, high),
        "no growth in n (what eq. (16) predicts, through the first point)": (
            n, np.full(n.shape, norm[0]))}}


setting = {"n_samples": 1024, "n_active": 1, "draws": DRAWS}
conj_5_5 = Statement(
    id="awasthi2024:conj-5.5", aliases=("conj-5.5", "awasthi2024:conj-20"),
    paper="P2 (Awasthi et al. 2024)", item="Conjecture 5.5, eq. (16)", section="§A.13",
    title="Rademacher complexity without the explicit n (conjecture)",
    text="R_S(H^{W,B}_{n,s,k}) <= (WR+B) sqrt(sk) / sqrt(m).",
    math=r"\mathcal R_S\big(\mathcal H^{W,B}_{n,s,k}\big)\le\frac{(WR+B)\sqrt{s\,k}}{\sqrt m}\quad\text{(conjectured)}",
    sweeps=[
        Sweep("n", witnesses, grid=[{**setting, "n_hidden": 32, "n_vars": 5 + f, "n_free": f}
                                    for f in (2, 4, 8, 16, 32)]),
        Sweep("s", witnesses, grid={**setting, "n_vars": N_VARS, "n_free": N_FREE,
                                    "n_hidden": [4, 8, 16, 32, 64]})],
    checks=[
        claim("n-dependence-probe", _probe,
              "slope in n of witness / ((WR+B) sqrt(sk/m)) at fixed s, m (Conjecture 5.5 "
              "predicts no growth; reported as evidence only)", kind="probe", tolerance=None),
        control("normalisation-without-sqrt-s", rules.rate(
            "n_hidden", lambda r: r["s"]["sparse_mean"] * np.sqrt(r["s"]["n_samples"])
            / r["s"]["scale"], 0.0,
            direction="upper", tau=TAU, sweep="s"),
                "the conjectured rate without its sqrt(s) is exceeded along s"),
    ],
    constants={"tau": TAU, "gate_coords": 5}, notes=_notes, series=_series,
    figures=[Figure("n_probe.png", "errorbar_plot", {"series": "by_n"},
                    xlabel="n (input dimension)", ylabel="witness / ((WR+B) sqrt(sk/m))",
                    title="Conj. 5.5 probe along n (s = 32, m = 1024)")],
    bounds=(bounds.conj_5_5_rate,), seed=20259, inconclusive_by_nature=True)
