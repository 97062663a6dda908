r"""P2 eq. (15): Rademacher complexity of k-sparse networks, THEORY.md §A.13, §C.2.

The ``k``-sparse witness (``k`` blocks of ``log2(s/k)`` gate coordinates and 4 free ones,
``s = 64``, ``m = 1024``; the sample's dimension depends on ``k``, and so does the bound) is
below the explicit bound with its ``k`` for every sign vector; normalised by ``WR + B`` it
grows with ``k`` at most like :math:`\sqrt k`.  Control: a claim that ``k``-sparsity adds
nothing (slope 0 in ``k``) is rejected.
"""
import numpy as np

from ... import bounds
from ...statement import Figure, Statement, Sweep, claim, control, rules
from .theorem_5_3 import DRAWS, N_FREE, TAU, normalised_witness, witnesses

N_HIDDEN = 64


def _points():
    for k in (1, 2, 4, 8):
        gates = (N_HIDDEN // k).bit_length() - 1
        yield {"n_active": k, "n_vars": k * gates + N_FREE, "n_free": N_FREE,
               "n_hidden": N_HIDDEN, "n_samples": 1024, "draws": DRAWS}


def _normalised(r):
    return r["k"]["sparse_mean"] / r["k"]["scale"]


def _notes(r, checks):
    t = r["k"]
    return ["Normalised witness (mean over sign vectors, 99 % interval) by k: " + ", ".join(
        f"{p['n_active']}: {p['sparse_mc'].statistic / p['scale']:.4f} "
        f"[{p['sparse_mc'].confidence_interval.low / p['scale']:.4f}, "
        f"{p['sparse_mc'].confidence_interval.high / p['scale']:.4f}]" for p in t)]


def _series(r):
    t = r["k"]
    k, scale = np.asarray(t["n_active"], float), np.asarray(t["scale"], float)
    norm, low, high = normalised_witness(t, scale)
    return {"by_k": {
        "k-sparse witness / (WR+B), 99 % interval": (k, norm, low, high),
        "explicit bound / (WR+B) (eq. (15), DERIVED constants)": (k, np.asarray(t["bound"]) / scale),
        "sqrt(k) through the k = 1 witness (the claimed growth)": (k, norm[0] * np.sqrt(k))}}


eq_15 = Statement(
    id="awasthi2024:eq-15", aliases=("eq-15",), paper="P2 (Awasthi et al. 2024)",
    item="eq. (15)", section="§A.13", title="Rademacher complexity of k-sparse networks",
    text="R_S(H^{W,B}_{n,s,k}) <= (WR+B) sqrt(s n k log(k m (R+B))) / sqrt(m).",
    math=r"\mathcal R_S\big(\mathcal H^{W,B}_{n,s,k}\big)\le\frac{(WR+B)\sqrt{s\,n\,k\log\big(k\,m(R+B)\big)}}{\sqrt m}",
    sweeps=[Sweep("k", witnesses, grid=list(_points()))],
    checks=[
        claim("witness-below-explicit-bound-k", rules.inequality("sparse", "bound_per_draw"),
              "every k-sparse witness <= (WR+B)(t sqrt(sk) + 1)/sqrt(m) (eq. (15) explicit)"),
        claim("witness-grows-with-k", rules.rate("n_active", _normalised, 0.5,
                                                 direction="upper", tau=TAU),
              "the normalised witness grows with k at most like sqrt(k) (eq. (15))"),
        control("witness-independent-of-k", rules.rate("n_active", _normalised, 0.0,
                                                       direction="tight", tau=TAU),
                "a claim that k-sparsity adds nothing (slope 0 in k) is rejected"),
    ],
    constants={"tau": TAU, "n_vars": "k log2(s/k) + 4 (k gate blocks)"}, notes=_notes,
    series=_series,
    figures=[Figure("k_scaling.png", "errorbar_plot", {"series": "by_k"},
                    xlabel="k (active units)", ylabel="Rademacher value / (WR+B)",
                    title="Eq. (15): witness and bound in k (s = 64, m = 1024)")],
    bounds=(bounds.rademacher_explicit_bound, bounds.eq_15_rate), seed=20258)
