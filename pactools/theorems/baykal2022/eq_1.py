r"""P1 Eq. (1): sparse :math:`O(dk\log(1/\epsilon))` against dense :math:`\Omega(d(2\sqrt d/(C\epsilon))^k)`, THEORY.md §B.7, §C.3.

On the settings of Theorem 4.3's width sweep (``dense_width``, the same Sweep object, so
a session computes it once for both statements), the LSH learner of Theorem 4.1 on a
member of the bump family has seen-bucket error :math:`\le\epsilon` (exact) and costs
``D d`` multiply-adds, :math:`O(dk\log(\sqrt d/\epsilon))`; the dense model at
:math:`t_{\min}` costs :math:`2t_{\min}(d+1)`; their ratio grows with exponent at least
``k - 0.3`` in :math:`1/\epsilon`.

Negative controls: the gap claimed with exponent ``k + 1`` is rejected; dense FLOPs
claimed to be :math:`O(dk\log(1/\epsilon))` like LSH's are rejected.
"""
import numpy as np

from ... import bounds, lsh
from ...statement import Figure, Statement, Sweep, claim, control, rules
from ...targets import sample_subspace
from .theorem_4_3 import DENSE_WIDTH, TAU, TAU_LOWER, _through_first, bump_family

C_PROJ = 4
BY = ("intrinsic_dim", "dim")


def learner(rng, intrinsic_dim, dim, eps, diagonals, dense_flops):
    """The Theorem 4.1 learner on a random member (on the Gamma of the width sweep):
    seen-bucket error on a grid of every cell, its forward multiply-adds, and the
    dense / LSH FLOP ratio."""
    k = intrinsic_dim
    fam = bump_family(dim, k, eps, diagonals)
    s = fam.random_signs(rng)
    X = sample_subspace(fam.basis, 20 * fam.n_cells, rng=rng)
    m = lsh.LSHRegressor(C_PROJ * k, diameter=eps / fam.lipschitz, basis=fam.basis,
                         rng=rng).fit(X, fam(X, s))
    G = fam.grid_points(7 if k == 1 else 3)
    p, hit = m.predict(G, return_hit=True)
    return {"seen_error": np.max(np.abs(p - fam(G, s))[hit]), "lsh_flops": m.forward_flops_,
            "gap": dense_flops / m.forward_flops_, "inv_eps": 1 / eps,
            "lsh_bound": bounds.theorem_4_1_forward_cost(k, dim, eps)}


def _learner_grid(r):
    return [{"intrinsic_dim": p["intrinsic_dim"], "dim": p["dim"], "eps": p["eps"],
             "diagonals": p["diagonals"], "dense_flops": p["dense_flops"]}
            for p in r["dense_width"]]


def _k_plus_1(r):
    return r["lsh"]["intrinsic_dim"] + 1


def _series(r):
    """The gap with the range over the width sweep's members (t_min is their median) and the
    claimed (1/eps)^k through its first point."""
    out = {}
    for (k, d), t in r["lsh"].groups(*BY):
        w = [p for p in r["dense_width"] if (p["intrinsic_dim"], p["dim"]) == (k, d)]
        scale = np.asarray([np.asarray(p["t_min_members"], float) / p["t_min"] for p in w])
        gap = np.asarray(t["gap"], float)
        out[f"dense / LSH k={k}, d={d} (range over members)"] = (
            t["inv_eps"], gap, gap * scale.min(axis=1), gap * scale.max(axis=1))
        out[f"(1/eps)^{k} through the first, k={k}, d={d}"] = _through_first(
            t["inv_eps"], gap, k)
    return {"gap": out}


def _notes(r, checks):
    gap = next(c for c in checks if c.name == "gap-grows-like-eps^-k").details
    return ["Dense/LSH FLOP ratio slopes in 1/eps: "
            + ", ".join(f"{k} {o['measured']:.2f}" for k, o in gap.items())
            + f"; largest ratio {r['lsh']['gap'].max():.3g} (dense FLOPs 2 t (d + 1), P1 "
              "Table 1's count; LSH D d multiply-adds)."]


eq_1 = Statement(
    id="baykal2022:eq-1", aliases=("baykal2022:eq1",),
    paper="P1 (Baykal et al. 2022)", item="Eq. (1)", section="§B.7",
    title="Sparse O(dk log(1/eps)) vs dense Omega(d (2 sqrt(d)/(C eps))^k) forward cost",
    text="Sparse (LSH) forward cost O(dk log(1/eps)) vs dense Omega(d (2 sqrt(d)/(C eps))^k).",
    math=r"\underbrace{O\big(dk\log(1/\epsilon)\big)}_{\text{sparse (LSH)}}\quad\text{vs}\quad\underbrace{\Omega\Big(d\Big(\frac{2\sqrt d}{C\epsilon}\Big)^k\Big)}_{\text{dense}}",
    sweeps=[DENSE_WIDTH, Sweep("lsh", learner, grid=_learner_grid)],
    checks=[
        claim("lsh-seen-buckets-within-eps", rules.inequality("lsh.seen_error", "lsh.eps"),
              "the Theorem 4.1 learner on members of the family: error <= eps on every grid "
              "point whose bucket was seen"),
        claim("lsh-flops-rate", rules.upper_rate("inv_eps", "lsh_flops", "lsh_bound",
                                                 c_max=float(C_PROJ), tau=TAU, by=BY,
                                                 sweep="lsh"),
              f"LSH forward multiply-adds D d = {C_PROJ} k d = O(d k log(sqrt(d)/eps))"),
        claim("gap-grows-like-eps^-k", rules.rate("inv_eps", "gap", "intrinsic_dim",
                                                  direction="lower", tau=TAU_LOWER, by=BY,
                                                  sweep="lsh"),
              f"dense FLOPs at t_min over LSH FLOPs grows in 1/eps with slope interval wholly >= k - "
              f"{TAU_LOWER}"),
        control("gap-exponent-k+1", rules.rate("inv_eps", "gap", _k_plus_1, direction="lower",
                                               tau=TAU_LOWER, by=BY, sweep="lsh"),
                "the gap claimed with exponent k + 1 is rejected"),
        control("dense-flops-logarithmic", rules.upper_rate(
            "inv_eps", "dense_flops", "lsh_bound", c_max=float(C_PROJ), tau=TAU, by=BY,
            sweep="lsh"),
                "dense FLOPs claimed O(d k log(1/eps)) like LSH's are rejected"),
    ],
    constants={"lsh_projections": f"{C_PROJ} k", "dense_flops": "2 t_min (d + 1)",
               "tau": TAU, "tau_lower": TAU_LOWER},
    series=_series,
    notes=_notes,
    figures=[Figure("gap.png", "errorbar_plot", {"series": "gap"}, xlabel="1/eps",
                    ylabel="dense FLOPs at t_min / LSH multiply-adds",
                    title="Eq. (1): the dense/sparse gap against the claimed (1/eps)^k", paired=True)],
    bounds=(bounds.theorem_4_1_forward_cost, bounds.eq_1_dense_cost),
    expected_inconclusive={"quick": "the same width sweep as 4.3 (too few points in eps)"},
    seed=20254)
