"""Theorem 4.3's width search: one warm-started HiGHS model against a cold LP per width.

``dense.min_width`` finds the smallest random-feature width whose exact best uniform fit
is below ``eps / 2``; each width is an LP (2 rows per grid point, one column per feature).
Cold: :func:`pactools.dense.linf_fit` (scipy's HiGHS, from scratch) for every width of the
search.  Warm: the widths share one HiGHS model, re-solved by simplex from a previous
optimal basis (``warm_start=True``, the default).  Both searches visit the same widths and
must return the same ``t_min``, with every width's error equal to 1e-7 relative.  Medians
of interleaved runs; exit status 1 if the answers differ, if a warm LP fell back to a cold
solve, or if warm is slower than cold by more than a factor 1.5 (shared machines drift
20-40 %).

    python benchmarks/bench_lp.py [--quick]     # quick: k = 1, d = 16, eps = 0.025;
                                                # full adds k = 2, d = 8, eps = 0.17
"""
from __future__ import annotations

import argparse
import sys

import numpy as np

from bench_wht import _median_times as _median


def problem(k, d, eps, seed=0):
    from pactools import dense, targets
    from pactools.theorems.baykal2022.theorem_4_3 import bump_family
    rng = np.random.default_rng(seed)
    fam = bump_family(d, k, eps, targets.random_diagonals(d, k, rng=rng).astype(int).tolist())
    X = fam.grid_points(3)
    y = fam(X, fam.random_signs(rng))
    feats = dense.RandomReLUFeatures(d, 40 * fam.n_cells + 200, rng=rng)
    return fam, feats, X, y


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="only k = 1, d = 16, eps = 0.025")
    args = ap.parse_args(argv)
    import pactools
    from pactools import dense
    print(f"pactools {pactools.__version__}, numpy {np.__version__}")
    cases = [(1, 16, 0.025, "highs")] + ([] if args.quick else [(2, 8, 0.17, "highs-ipm")])
    failed = []
    for k, d, eps, solver in cases:
        fam, feats, X, y = problem(k, d, eps)
        kw = {"start": max(4, fam.n_cells // 2), "solver": solver}
        cold_lps, scipy_lp = [], dense._lp   # the warm model falls back to dense._lp

        def counted(*args):
            cold_lps.append(args)
            return scipy_lp(*args)
        dense._lp = counted
        try:
            t_w, warm = dense.min_width(feats, X, y, eps / 2, **kw)
        finally:
            dense._lp = scipy_lp
        t_c, cold = dense.min_width(feats, X, y, eps / 2, warm_start=False, **kw)
        # both errors are attained by their coefficients (upper bounds of the optimum);
        # the warm model's feasibility tolerance is 1e-10, scipy's default 1e-7 absolute:
        # the warm error is never above the cold one and within 1e-5 relative of it, except
        # at a failing width whose dual simplex stopped at the bound eps / 2: there it lies
        # between eps / 2 and the cold error
        stopped = sum(b >= eps / 2 and b - a > 1e-5 * b for (_, a), (_, b) in zip(warm, cold))
        same = t_w == t_c and [t for t, _ in warm] == [t for t, _ in cold] and all(
            a <= b * (1 + 1e-9) and (b - a <= 1e-5 * b or a >= eps / 2)
            for (_, a), (_, b) in zip(warm, cold))
        times = _median({"warm": lambda: dense.min_width(feats, X, y, eps / 2, **kw),
                         "cold": lambda: dense.min_width(feats, X, y, eps / 2,
                                                         warm_start=False, **kw)}, 3,
                        warmup=False)   # both searches ran once above
        ratio = times["cold"] / times["warm"]
        print(f"4.3 width search k={k} d={d} eps={eps} ({len(X)} points, t_min={t_w}, "
              f"{len(warm)} LPs, {solver}): cold {times['cold']:.2f} s, warm "
              f"{times['warm']:.2f} s: speedup {ratio:.1f}x; same widths and errors: {same} "
              f"({stopped} failing widths stopped at the dual bound)")
        if cold_lps:
            failed.append(f"k={k}: {len(cold_lps)} of the warm search's {len(warm)} LPs fell "
                          "back to a cold solve")
        if not same:
            failed.append(f"k={k}: the warm search's answers differ from the cold one's")
        if ratio < 1 / 1.5:
            failed.append(f"k={k}: warm search {1 / ratio:.2f}x slower than cold")
    for msg in failed:
        print("FAILED:", msg)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
