"""Speed of network enumeration and of the low-degree learner, against references in the same run.

* ``enumerate_network`` (outer-sum blocks + sorted columns) against the plain
  chunked evaluation (one ``X @ W.T`` per chunk of the cube, then compare,
  count and ReLU on the full ``2**n x n_hidden`` matrix).  Issue 3 target: exact
  AS, NS and spectrum of a certified ``n = 20, s = 1024`` network in under 10 s.
* ``monomial_features`` (prefix products, feature-major) against fancy indexing
  (``np.prod(X[:, cols], axis=2)`` per degree).
* ``LowDegreeRegressor(method="least_squares")`` (normal equations + Cholesky)
  against ``np.linalg.lstsq`` on the same design.  Issue 3 target: ``n = 20``,
  degree 3 (1351 monomials), ``N = 50 000`` in under 10 s.

Medians of interleaved runs.  Exit status 1 if a hard limit is missed: the
enumeration and the learner slower than their references, or the issue's
10 s targets missed by more than 3x (shared machines drift 20-40 %).

    python benchmarks/bench_networks.py [--quick]
"""
from __future__ import annotations

import argparse
import sys
from itertools import combinations

import numpy as np

# medians of interleaved runs, as in the wht benchmark (this directory is on sys.path)
from bench_wht import _median_times as _median


def plain_enumeration(net):
    """Reference: the straightforward chunked evaluation of table, p_j and max active."""
    from pactools.hypercube import _cube_rows
    n, s = net.n_vars, net.n_hidden
    size = 1 << n
    table = np.empty(size)
    counts = np.zeros(s)
    max_active = 0
    for start in range(0, size, 1 << 14):
        stop = min(size, start + (1 << 14))
        z = _cube_rows(start, stop, n, np.float64) @ net.weights.T - net.biases
        active = z > 0
        counts += active.sum(axis=0)
        max_active = max(max_active, int(active.sum(axis=1).max()))
        table[start:stop] = np.maximum(z, 0) @ net.output_weights
    return table, counts / size, max_active


def fancy_features(X, degree):
    """Reference: monomial columns by fancy indexing, one degree at a time."""
    n = X.shape[1]
    cols = [np.ones((X.shape[0], 1))]
    for d in range(1, degree + 1):
        idx = np.array(list(combinations(range(n), d)))
        cols.append(np.prod(X[:, idx], axis=2))
    return np.hstack(cols)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true",
                    help="n = 18 enumeration, N = 20 000 learner, 3 repeats")
    args = ap.parse_args(argv)
    import pactools
    from pactools import fourier, lowdegree, networks
    from pactools.hypercube import sample_uniform
    print(f"pactools {pactools.__version__}, numpy {np.__version__}")
    reps = 3
    failed = []

    n, s, k = (18, 1024, 4) if args.quick else (20, 1024, 4)
    net = networks.random_sparse_network(n, s, k, rng=0)
    e = networks.enumerate_network(net)
    ref = plain_enumeration(net)
    assert np.allclose(e.table, ref[0]) and np.allclose(e.active_probability, ref[1])
    assert e.max_active == ref[2] <= k

    def full_analysis():
        ee = networks.enumerate_network(net)
        c = fourier.fourier_coefficients(ee.table)
        fourier.level_weights(c)
        fourier.average_sensitivity(ee.table)
        fourier.noise_sensitivity(ee.table, 0.9)

    t = _median({"pactools": lambda: networks.enumerate_network(net),
                 "plain": lambda: plain_enumeration(net)}, reps)
    t_all = _median({"all": full_analysis}, reps)["all"]
    sp = t["plain"] / t["pactools"]
    print(f"enumerate n={n} s={s}: {t['pactools']:.2f} s, plain chunked {t['plain']:.2f} s "
          f"({sp:.1f}x); enumeration + spectrum + AS + NS {t_all:.2f} s (target < 10 s at n=20)")
    if sp < 1.0:
        failed.append("enumeration slower than the plain reference")
    if t_all > 30 * 2.0 ** (n - 20):
        failed.append(f"exact analysis took {t_all:.1f} s (> 3x the 10 s target, scaled to n)")

    n, d = 20, 3
    N = 20_000 if args.quick else 50_000
    X = sample_uniform(N, n, rng=1)
    y = networks.random_sparse_network(n, 64, 2, rng=2)(X)
    F = lowdegree.n_monomials(n, d)
    ref_phi = fancy_features(X, d)
    phi = lowdegree.monomial_features(X, d)
    # same columns up to order: compare sorted column sums as a cheap fingerprint
    assert np.allclose(np.sort(ref_phi.sum(axis=0)), np.sort(phi.sum(axis=0)))
    t = _median({"prefix": lambda: lowdegree.monomial_features(X, d),
                 "fancy": lambda: fancy_features(X, d)}, reps)
    print(f"features n={n} d={d} ({F} cols) N={N}: prefix products {t['prefix'] * 1e3:.0f} ms, "
          f"fancy indexing {t['fancy'] * 1e3:.0f} ms ({t['fancy'] / t['prefix']:.1f}x)")
    t = _median({"cholesky": lambda: lowdegree.LowDegreeRegressor(d).fit(X, y),
                 "lstsq": lambda: np.linalg.lstsq(lowdegree.monomial_features(X, d), y,
                                                  rcond=None)}, 1 if not args.quick else reps)
    c1 = lowdegree.LowDegreeRegressor(d).fit(X, y).coef_
    c2 = np.linalg.lstsq(phi, y, rcond=None)[0]
    err = float(np.max(np.abs(c1 - c2)) / max(1e-300, np.max(np.abs(c2))))
    print(f"least squares: normal equations + Cholesky {t['cholesky']:.2f} s, lstsq "
          f"{t['lstsq']:.2f} s ({t['lstsq'] / t['cholesky']:.1f}x), max relative coefficient "
          f"difference {err:.1e} (target: fit < 10 s at N = 50 000)")
    if t["cholesky"] > t["lstsq"]:
        failed.append("normal equations slower than lstsq")
    if t["cholesky"] > 30 * N / 50_000:
        failed.append(f"learner took {t['cholesky']:.1f} s (> 3x the target)")
    if err > 1e-6:
        failed.append(f"normal-equation coefficients differ from lstsq by {err:.1e}")
    if failed:
        print("HARD LIMIT MISSED: " + "; ".join(failed))
        return 1
    print("all hard limits met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
