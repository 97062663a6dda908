r"""P1 Theorem B.1: LSH on a curved k-dimensional manifold, THEORY.md §B.8, §C.3.

Inputs lie on :math:`x=U\phi(z)` with :math:`\phi(z)_i=z_i+0.3\sin z_i` (Jacobian condition
number :math:`\le1.3/0.7`), scaled into :math:`[-1,1]^d`.  With ``n_tables`` Euclidean-LSH
tables of :math:`D=2d` projections each (``O(d)``, full rank, so the bucket-diameter
certificate :math:`w\sqrt D/\sigma_{\min}(A)` holds in all of :math:`\mathbb R^d`):

* the number of non-empty buckets grows like :math:`w^{-k}`, not :math:`w^{-d}`
  (log-log slope in ``1/w`` at most ``k`` + tolerance, summed over tables);
* the learner with certified diameter :math:`\epsilon/L` has error :math:`\le\epsilon` at
  every test point whose bucket was seen (exact), and reaches :math:`\ell_\infty` test
  error :math:`\le\epsilon` with the nearest-neighbour fallback in at least 80 % of fresh
  runs (Clopper–Pearson) at the sample size ``N = 4000``.

Negative control: uniform inputs on the full cube :math:`[-1,1]^d` (a ``d``-dimensional
"manifold") give a bucket-count slope far above ``k``.
"""
import numpy as np

from ... import lsh, targets
from ...statement import Figure, Grid, Statement, Sweep, claim, control, rules

DIM = 8
TAU = 0.1
N_TABLES = 2
N_LEARN = 4000
AMPLITUDE = 0.3
# geometric in the width (factor sqrt 2): seven points, so the slope intervals resolve
WIDTHS = {"manifold": (2.0, 1.41, 1.0, 0.71, 0.5, 0.35, 0.25),
          "cube": (16.0, 13.5, 11.3, 9.5, 8.0, 6.7, 5.66)}


def buckets(rng, inputs, intrinsic_dim, n_samples):
    """Non-empty buckets over all tables at each width, on the manifold or the full cube."""
    if inputs == "manifold":
        X = targets.sample_manifold(targets.random_subspace(DIM, intrinsic_dim, rng=rng),
                                    n_samples, amplitude=AMPLITUDE, rng=rng)
    else:
        X = rng.uniform(-1, 1, size=(n_samples, DIM))
    tables = [lsh.EuclideanLSH(DIM, 2 * DIM, 1.0, rng=rng) for _ in range(N_TABLES)]
    return {"inv_width": 1 / np.array(WIDTHS[inputs]),
            "counts": np.array(lsh.bucket_counts(tables, X, WIDTHS[inputs]), dtype=float)}


def learner(rng, intrinsic_dim, eps, n_test):
    """One LSH regressor with certified diameter eps / L on a fresh manifold and target."""
    U = targets.random_subspace(DIM, intrinsic_dim, rng=rng)
    f = targets.DistanceTarget(targets.sample_manifold(U, 1, amplitude=AMPLITUDE, rng=rng)[0],
                               1.0)
    Xt = targets.sample_manifold(U, n_test, amplitude=AMPLITUDE, rng=rng)
    X = targets.sample_manifold(U, N_LEARN, amplitude=AMPLITUDE, rng=rng)
    model = lsh.LSHRegressor(2 * DIM, diameter=eps / f.lipschitz, n_tables=N_TABLES,
                             rng=rng).fit(X, f(X))
    pred, hit = model.predict(Xt, return_hit=True)
    err = np.abs(pred - f(Xt))
    return {"seen_error": err[hit].max(keepdims=True) if hit.any() else np.empty(0),
            "seen_eps": np.full(int(hit.any()), eps), "success": int(err.max() <= eps)}


def _curve(inputs, axis):
    """Column ``axis`` (0: 1/w, 1: count) of the geometric-mean curve of ``inputs`` (each
    draw's curve is lumpy; their mean resolves), for a rule's rows (one ``by`` group)."""
    return lambda r: _mean_curve(r[inputs], inputs)[axis]


def _mean_curve(t, inputs="manifold"):
    """(1/w, geometric-mean count) over the draws of one k (rows hold whole curves)."""
    n_w = len(WIDTHS[inputs])
    x = np.asarray(t["inv_width"], dtype=float).reshape(-1, n_w)[0]
    counts = np.asarray(t["counts"], dtype=float).reshape(-1, n_w)
    return x, np.exp(np.mean(np.log(counts), axis=0))


def _curves(r):
    return {**{f"manifold k={k} (geometric mean)": _mean_curve(t)
               for k, t in r["manifold"].groups("intrinsic_dim")},
            f"full cube (d = {DIM}, geometric mean)": _mean_curve(r["cube"], "cube")}


def _notes(r, checks):
    slopes = checks[0].details
    cube = np.polyfit(*np.log(_mean_curve(r["cube"], "cube")), 1)[0]
    return ["Bucket-count slopes on the manifold: "
            + ", ".join(f"{k} {v['measured']:.2f}" for k, v in slopes.items())
            + f"; on the full cube {cube:.2f} (pre-asymptotic: cells much smaller than the "
              f"cube would show the full exponent d = {DIM}, beyond any feasible sample)."]


n_count = Grid(quick=[50_000], full=[200_000])
theorem_b_1 = Statement(
    id="baykal2022:B.1", aliases=("B.1", "baykal2022:thm-B.1"),
    paper="P1 (Baykal et al. 2022)", item="Theorem B.1 (manifolds)", section="§B.8",
    title="LSH learns Lipschitz functions on a k-dimensional manifold",
    text="For 1-Lipschitz f and inputs uniform on a k-manifold in [-1,1]^d, an LSH model learns "
         "f to eps-uniform error with probability >= 0.8 with O~(sqrt(dk)^k / eps^k) samples "
         "and table size.",
    math=r"\Pr\big[\|\hat f-f\|_{\infty}\le\epsilon\big]\ge 0.8\ \text{with}\ N,\ |\mathrm{table}|=\tilde O\Big(\frac{\sqrt{dk}^{\,k}}{\epsilon^k}\Big)",
    sweeps=[
        # several manifolds and hashes per k: one draw's count curve is too lumpy for the
        # slope interval to resolve against k + tau when the slope is ~k
        Sweep("manifold", buckets, grid={"inputs": "manifold", "intrinsic_dim": [1, 2],
                                         "n_samples": n_count}, repeats=Grid(quick=[3], full=[6])),
        Sweep("cube", buckets, grid={"inputs": "cube", "intrinsic_dim": DIM,
                                     "n_samples": n_count}, repeats=Grid(quick=[3], full=[6])),
        Sweep("learner", learner, grid={"intrinsic_dim": [1, 2], "eps": [0.2, 0.1],
                                        "n_test": Grid(quick=[5000], full=[20_000])},
              repeats=Grid(quick=[20], full=[60]))],
    checks=[
        claim("bucket-count-exponent-k",
              rules.rate(_curve("manifold", 0), _curve("manifold", 1), "intrinsic_dim",
                         direction="upper", tau=TAU, by="intrinsic_dim", sweep="manifold"),
              f"non-empty buckets (summed over {N_TABLES} tables of {2 * DIM} projections) on "
              f"the curved k-manifold in d = {DIM}, geometric mean over the draws: log-log "
              "slope interval in 1/w wholly <= k + tau"),
        claim("seen-buckets-within-eps",
              rules.inequality("learner.seen_error", "learner.seen_eps"),
              "error <= eps at every test point whose bucket was seen (certified diameter "
              "eps/L in all of R^d, since D = 2d projections have full rank)"),
        claim("success-probability", rules.probability("learner.success", 0.8),
              f"l_inf test error <= eps (nearest-neighbour fallback) in >= 80 % of runs at "
              f"N = {N_LEARN}, eps in (0.2, 0.1), k in (1, 2)"),
        control("full-cube-exponent",
                rules.rate(_curve("cube", 0), _curve("cube", 1), 2.0, direction="upper",
                           tau=TAU, sweep="cube"),
                f"uniform inputs on the whole cube [-1,1]^{DIM} (geometric mean over the draws): "
                "the bucket-count slope exceeds k = 2 (it reflects d, not k)"),
    ],
    constants={"dim": DIM, "projections_per_table": 2 * DIM, "n_tables": N_TABLES,
               "n_samples_learner": N_LEARN, "amplitude": AMPLITUDE, "tau": TAU,
               "widths": {k: list(v) for k, v in WIDTHS.items()}},
    series=lambda r: {"curves": _curves(r)}, notes=_notes,
    figures=[Figure("bucket_counts.png", "rate_plot", {"series": "curves"}, xlabel="1/w",
                    ylabel="non-empty buckets (all tables)",
                    title="Theorem B.1: bucket counts grow like w^-k on a k-manifold")],
    seed=20253)
