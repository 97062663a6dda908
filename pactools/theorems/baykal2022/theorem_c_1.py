r"""P1 Theorem C.1: the cosine family behind the lower bound for analytic functions, THEORY.md §B.9, §C.3.

For :math:`n\in\{0..1/\epsilon_1\}^k` and signs :math:`\eta_n=\pm L/(C\sqrt k\pi)`, the members
:math:`f_\eta(x)=\sum_n2\eta_n\epsilon_1^\alpha\cos(\pi n^\top x)` on :math:`[-1,1]^k`
(:math:`\alpha=k/2+1`; the paper prints :math:`+e^{i\pi n^\top x}` twice, read as cosines)
are, for ``C`` large, ``L``-Lipschitz with probability :math:`\ge0.9`, and pairwise far apart
in :math:`\ell_\infty` because they are far apart in :math:`L^2` (Parseval); there are
:math:`2^{(1/\epsilon_1+1)^k}` members.  Checked for ``k in {1, 2}``,
:math:`1/\epsilon_1\in\{4,6,8\}`, ``C = 8`` fixed in advance: the Lipschitz fraction
(Clopper–Pearson), Parseval exactly on a grid that integrates these trigonometric
polynomials exactly, sup distance at least the :math:`L^2` distance, the family size.
Controls: with ``C = 1`` most members are not ``L``-Lipschitz; the printed formula
(:math:`e^{i\pi n^\top x}` twice) is not real-valued.
"""
from itertools import product

import numpy as np

from ... import hardfamily
from ...statement import Figure, Statement, Sweep, claim, control, rules, split_level
from ...stats import check_probability, combine_outcomes

C_FIXED = 8.0
GRID_FACTOR = 8    # Lipschitz grid: 8 / eps1 + 1 points per dimension


def cosine(rng, intrinsic_dim, inv_eps1, members, pairs):
    """Random members: gradient norms on a fine grid, and Parseval on an exact quadrature."""
    k, m = intrinsic_dim, inv_eps1
    fam = hardfamily.CosineFamily(k, m, 1.0, constant=C_FIXED)
    weak = hardfamily.CosineFamily(k, m, 1.0, constant=1.0)
    X = np.array(list(product(np.linspace(-1, 1, GRID_FACTOR * m + 1), repeat=k)))
    S = fam.random_signs(members, rng=rng)
    # P equispaced points on [-1, 1) integrate cos(pi j x) exactly for |j| < P
    P = 4 * m + 2
    Xq = np.array(list(product(-1 + 2 * np.arange(P) / P, repeat=k)))
    A, B = fam.random_signs(pairs, rng=rng), fam.random_signs(pairs, rng=rng)
    return {"lipschitz": int(np.sum(fam.gradient_norms(X, S).max(axis=1) <= 1.0)),
            "lipschitz_c1": int(np.sum(weak.gradient_norms(X, S).max(axis=1) <= 1.0)),
            "quadrature": np.mean((fam(Xq, A) - fam(Xq, B)) ** 2, axis=1),
            "parseval": np.array([fam.l2_distance(a, b) ** 2 for a, b in zip(A, B)]),
            "sup": np.max(np.abs(fam(X, A) - fam(X, B)), axis=1),
            "l2": np.array([fam.l2_distance(a, b) for a, b in zip(A, B)]),
            "n_terms": fam.n_terms, "expected_terms": (m + 1) ** k,
            "imaginary": float(np.max(np.abs(fam.paper_printed_imaginary_part(X, S[:5]))))}


def _lipschitz(col):
    def rule(r, level=None):
        rows = r["cosine"]
        cl = split_level(level, len(rows), nominal=0.95)
        return combine_outcomes({
            f"k={p['intrinsic_dim']}, 1/eps1={p['inv_eps1']}": check_probability(
                p[col], p["members"], 0.9, confidence_level=cl) for p in rows}, worst="min")
    return rule


def _notes(t, checks):
    l2, sup = t["l2"], t["sup"]
    far = l2 > 0          # a pair drawn twice has distance 0: its ratio is undefined
    ratio = (f"{np.min(sup[far] / l2[far]):.2f}" if far.any() else "undefined (no distinct pair)")
    return [f"With C = {C_FIXED} the Lipschitz fraction is at least {checks[0].measured:.2f}; "
            f"the sup distance of distinct random pairs is at least {ratio} times their L2 "
            f"distance ({int(np.sum(~far))} of {l2.size} pairs were equal, ratio undefined)."]


theorem_c_1 = Statement(
    id="baykal2022:C.1", aliases=("C.1", "baykal2022:thm-C.1"),
    paper="P1 (Baykal et al. 2022)", item="Theorem C.1 (analytic functions)", section="§B.9",
    title="Cosine family for the dense lower bound on analytic functions",
    text="A dense model with a random bottom layer needs width Omega(2^(k^2/2) (L C1)^k / "
         "(sqrt(k) pi eps)^k) to learn L-Lipschitz analytic functions on a k-dim subspace to "
         "l_inf error eps.",
    math=r"t=\Omega\Big(\frac{2^{k^2/2}(L C_1)^k}{(\sqrt k\,\pi\,\epsilon)^k}\Big)",
    sweeps=[Sweep("cosine", cosine, grid=lambda r: [
        {"intrinsic_dim": k, "inv_eps1": m, "members": 100 if r.quick else 300,
         "pairs": 20 if r.quick else 60}
        for k in (1, 2) for m in (4, 6, 8) if not (r.quick and k == 2 and m == 8)])],
    checks=[
        claim("lipschitz-fraction", _lipschitz("lipschitz"),
              f"P[max ||grad f|| <= L on the grid] >= 0.9 for C = {C_FIXED}, random sign "
              "patterns (Clopper-Pearson at the claim's level under the budget)", kind="probability"),
        claim("parseval-exact", rules.identity("quadrature", "parseval"),
              "mean (f_a - f_b)^2 on an exact quadrature grid equals the Parseval sum"),
        claim("sup-at-least-l2", rules.inequality("l2", "sup"),
              "||f_a - f_b||_inf >= ||f_a - f_b||_2 for random pairs (the separation step)"),
        claim("family-size", rules.identity("n_terms", "expected_terms"),
              "(1/eps1 + 1)^k cosine terms, so 2^((1/eps1+1)^k) members"),
        control("lipschitz-fraction-C=1", _lipschitz("lipschitz_c1"),
                "with C = 1 the members are mostly not L-Lipschitz: the >= 0.9 claim fails",
                kind="probability"),
        control("printed-formula-real", rules.identity("imaginary", 0.0),
                "the printed sum of e^{i pi n x} twice is not real-valued (imaginary part "
                "nonzero)"),
    ],
    constants={"C": C_FIXED, "lipschitz": 1.0, "grid_factor": GRID_FACTOR},
    series=lambda r: {"l2": r["cosine"]["l2"], "sup": r["cosine"]["sup"]},
    notes=lambda r, checks: _notes(r["cosine"], checks),
    figures=[Figure("sup_vs_l2.png", "bound_scatter", {"bound": "l2", "measured": "sup"},
                    xlabel=r"$\|f_a-f_b\|_2$ (Parseval)", ylabel=r"$\|f_a-f_b\|_\infty$ (grid)",
                    title="Theorem C.1: sup distance >= L2 distance (every point above line)")],
    seed=20256)
