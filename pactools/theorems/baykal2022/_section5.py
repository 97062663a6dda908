r"""P1 §5 / App. D experiments shared by their statements (P1-EXPERIMENTS.md).

One *problem* is a target and its data, drawn from an ``instance`` seed that the grid
carries, so every model of a comparison sees the same target, training set and test set
(paired, P1-EXPERIMENTS.md O-16) while each model draws its own bottom layer from the
trial's generator.  The test set is closed under :math:`x\mapsto-x` (half its points
and their negations, each marginally :math:`U([-1,1]^d)`): on such a set the zero-bias
floor of §2.2 holds *exactly* for the sample, so it can be checked as an inequality.

A trial fits one width's models and returns, per model, its test MSE and the vector of
squared test errors; comparisons between two models are Student-t intervals of the mean
*paired* difference of squared errors over the test points (the models' generalisation
MSEs differ by the mean; the test points are i.i.d. given the fitted models).
"""
from __future__ import annotations

import numpy as np

from ... import targets
from ...sparse_models import DenseRandomFeatures, LSHModel, RandomHashSparse, TopKDSM
from ...statement import Grid, Sweep, Table, split_level
from ...stats import (FAIL, INCONCLUSIVE, PASS, RuleOutcome, check_mc_upper, combine_outcomes,
                      mean_estimate)

DIM = 8
DEGREE = 4
TARGETS = ("hypercube", "polynomial", "polynomial-sum1overD")
#: the paper's Table 1 (L182-L186): active units t -> (dense, DSM 50 %, DSM 25 %) eval MSE
PAPER_TABLE_1 = {1024: (0.01015, 0.01014, 0.009655), 2048: (0.01009, 0.007438, 0.005054),
                 4096: (0.01046, 0.006115, 0.001799)}
QUICK_SIZES = (2 ** 14, 2 ** 12)
FULL_SIZES = (2 ** 16, 2 ** 14)
LS_WIDTHS = Grid(quick=[64, 128, 256], full=[128, 256, 512])
LS_DRAWS = Grid(quick=[2], full=[3])   # instances of each target
QUICK_EPOCHS = 10
FULL_EPOCHS = 50          # P1 L425

LABELS = {"dense": "dense (t)", "dense2": "dense (2t)", "dense4": "dense (4t)", "dsm50": "DSM 50 % (T = 2t)",
          "dsm25": "DSM 25 % (T = 4t)", "hash25": "random hash 25 % (T = 4t)",
          "biased": "dense (t), random bias"}


def make_target(target, rng):
    """P1 §5's targets at d = 8, D = 4: the random hypercube function, the polynomial with
    App. D.1's sum |c| = 1, or with §5's sum |c| = 1/D."""
    if target == "hypercube":
        return targets.RandomHypercubeFunction(DIM, rng=rng)
    if target == "polynomial":
        return targets.RandomPolynomial(DIM, DEGREE, normalization="sum1", rng=rng)
    if target == "polynomial-sum1overD":
        return targets.RandomPolynomial(DIM, DEGREE, normalization="sum1overD", rng=rng)
    raise ValueError(f"target must be one of {', '.join(TARGETS)}; got {target!r}")


def problem(target, instance, n_train, n_test):
    """(f, X_train, y_train, X_test, y_test) of one instance; the test set is symmetric.

    The polynomial targets share their coefficient draw (one instance seed), so the two
    normalisations are the same polynomial at two scales."""
    base = "polynomial" if target.startswith("polynomial") else target
    t_rng, d_rng = np.random.default_rng([instance, TARGETS.index(base)]).spawn(2)
    f = make_target(target, t_rng)
    X = d_rng.uniform(-1.0, 1.0, size=(n_train, DIM))
    half = d_rng.uniform(-1.0, 1.0, size=(n_test // 2, DIM))
    Xt = np.vstack([half, -half])
    return f, X, f(X), Xt, f(Xt)


def sample_floor(f, Xt):
    """The floor on the symmetric test set: the best linear fit of the odd part of ``f``
    over its first half (the second half is the negation)."""
    h = Xt.shape[0] // 2
    odd = (f(Xt[:h]) - f(-Xt[:h])) / 2
    w = np.linalg.lstsq(Xt[:h], odd, rcond=None)[0]
    return float(np.mean((odd - Xt[:h] @ w) ** 2))


def _models(width, solver, epochs, which):
    common = {"solver": solver}
    if solver == "rmsprop":
        common["epochs"] = epochs
    t = width
    make = {"dense": lambda r: DenseRandomFeatures(t, rng=r, **common),
            "dense2": lambda r: DenseRandomFeatures(2 * t, rng=r, **common),
            "dense4": lambda r: DenseRandomFeatures(4 * t, rng=r, **common),
            "dsm50": lambda r: TopKDSM(2 * t, t, rng=r, **common),
            "dsm25": lambda r: TopKDSM(4 * t, t, rng=r, **common),
            "hash25": lambda r: RandomHashSparse(4 * t, t, rng=r, **common),
            "biased": lambda r: DenseRandomFeatures(t, bias="uniform", rng=r, **common)}
    return {m: make[m] for m in which}


def fit_models(rng, target, width, instance, n_train, n_test, solver, epochs, which):
    """Fit the models ``which`` at active width ``width`` on one problem."""
    f, X, y, Xt, yt = problem(target, instance, n_train, n_test)
    out = {"variance": f.variance, "floor": f.dense_floor, "floor_sample": sample_floor(f, Xt),
           "test_variance": float(np.var(yt))}
    models = _models(width, solver, epochs, which)
    for (name, make), r in zip(models.items(), rng.spawn(len(models))):
        m = make(r).fit(X, y)
        sq = (m.predict(Xt) - yt) ** 2
        out[f"mse_{name}"] = float(sq.mean())
        out[f"sq_{name}"] = sq
        out[f"flops_{name}"] = m.flops_
    out["mse_zero_bias_dense"] = min(out[f"mse_{m}"] for m in ("dense", "dense2", "dense4")
                                     if m in models)
    return out


LS_MODELS = ("dense", "dense2", "dense4", "dsm50", "dsm25", "hash25", "biased")
RMSPROP_MODELS = ("dense", "dsm50", "dsm25")


def ls_trial(rng, target, width, instance, n_train, n_test):
    """Exact least squares: dense (t, 2t, 4t), DSM 50 % and 25 %, random hash 25 %, and
    the dense model with a random bottom bias."""
    return fit_models(rng, target, width, instance, n_train, n_test, "lstsq", None, LS_MODELS)


def rmsprop_trial(rng, target, width, instance, n_train, n_test, epochs):
    """The paper's training (Keras RMSProp, lr 1e-5, batch 32): Table 1's three columns."""
    return fit_models(rng, target, width, instance, n_train, n_test, "rmsprop", epochs,
                      RMSPROP_MODELS)


def instance_seed(r, target, draw):
    base = "polynomial" if target.startswith("polynomial") else target
    return int(r.rng("section-5", target=base, draw=draw).integers(2 ** 31))


def _sizes(quick):
    n_train, n_test = QUICK_SIZES if quick else FULL_SIZES
    return {"n_train": n_train, "n_test": n_test}


def _ls_grid(r):
    draws = LS_DRAWS.values(r.quick)[0]
    return [{"target": t, "width": w, "instance": instance_seed(r, t, d), **_sizes(r.quick)}
            for t in ("hypercube", "polynomial") for d in range(draws)
            for w in LS_WIDTHS.values(r.quick)]


def _rmsprop_grid(r):
    if r.quick:             # a smoke run (P1-EXPERIMENTS.md §8.3): under-trained by design
        pts = [("hypercube", 128)]
        epochs = QUICK_EPOCHS
    else:       # Table 1 at the paper's scale on the hypercube; the polynomials at t = 1024
        pts = [("hypercube", w) for w in (1024, 2048, 4096)] + \
              [(t, 1024) for t in ("polynomial", "polynomial-sum1overD")]
        epochs = FULL_EPOCHS
    return [{"target": t, "width": w, "instance": instance_seed(r, t, 0), "epochs": epochs,
             **_sizes(r.quick)} for t, w in pts]


LS = Sweep("section-5-lstsq", ls_trial, grid=_ls_grid)
RMSPROP = Sweep("section-5-rmsprop", rmsprop_trial, grid=_rmsprop_grid)

LSH_BITS = Grid(quick=[4, 6, 8], full=[4, 6, 8, 10])
LSH_TABLES = (1, 16)          # the literal reading of L166, and P1-EXPERIMENTS.md O-10
LSH_INSTANCES = Grid(quick=[6], full=[8])
#: the dense reference of the LSH comparisons: the widest dense model of the least-squares
#: sweep (4t at its largest t), refitted on each LSH instance
LSH_DENSE_WIDTH = {True: 4 * LS_WIDTHS.quick[-1], False: 4 * LS_WIDTHS.full[-1]}


def lsh_trial(rng, target, instance, n_bits, n_train, n_test, dense_width):
    """On one problem: P1's LSH model (central hyperplanes, exact fit) with 1 and 16 tables
    at every ``n_bits``, the dense reference of width ``dense_width`` and a dense model with
    16 units (as many as the 16-table model has active scalars, P1-EXPERIMENTS.md O-14).
    Returns the mean paired differences the claims test across instances."""
    f, X, y, Xt, yt = problem(target, instance, n_train, n_test)
    rngs = iter(rng.spawn(2 + len(LSH_TABLES) * len(n_bits)))
    sq_dense = (DenseRandomFeatures(dense_width, rng=next(rngs)).fit(X, y).predict(Xt) - yt) ** 2
    sq_units = (DenseRandomFeatures(16, rng=next(rngs)).fit(X, y).predict(Xt) - yt) ** 2
    out = {"mse_dense": float(sq_dense.mean()), "mse_dense_units": float(sq_units.mean()),
           "floor": f.dense_floor}
    for s in LSH_TABLES:
        for m in n_bits:
            model = LSHModel(m, s, rng=next(rngs)).fit(X, y)
            pred, hit = model.predict(Xt, return_hit=True)
            sq = (pred - yt) ** 2
            key = f"s{s}_m{m}"
            out[f"mse_{key}"] = float(sq.mean())
            out[f"miss_{key}"] = float(1 - hit.mean())
            out[f"vs_dense_{key}"] = float((sq - sq_dense).mean())
            out[f"vs_units_{key}"] = float((sq - sq_units).mean())
            out[f"sq_{key}"] = sq
        out[f"gain_s{s}"] = float(np.mean(out[f"sq_s{s}_m{n_bits[-1]}"]
                                          - out[f"sq_s{s}_m{n_bits[0]}"]))
    return out


LSH = Sweep("section-5-lsh", lsh_trial, grid=lambda r: [
    {"target": t, "instance": instance_seed(r, t, d), "n_bits": list(LSH_BITS.values(r.quick)),
     "dense_width": LSH_DENSE_WIDTH[r.quick], **_sizes(r.quick)}
    for t in ("hypercube", "polynomial") for d in range(LSH_INSTANCES.values(r.quick)[0])])


# --------------------------------------------------------------------------- comparisons

def paired(table, a, b, *, widths=(1, 1), largest=False, factor=1.0):
    """``{label: samples}``: squared-error differences ``a - factor * b`` per (target,
    instance, base width ``t``), with ``a`` taken at ``widths[0] * t`` and ``b`` at
    ``widths[1] * t`` (only base widths where both ran; with ``largest``, only the largest
    such ``t`` of each target and instance)."""
    def at(row, factor):
        if factor == 1:
            return row
        return next((o for o in table if o["target"] == row["target"] and
                     o["instance"] == row["instance"] and o["width"] == factor * row["width"]),
                    None)

    def name(factor):
        return "t" if factor == 1 else f"{factor}t"

    rows = [row for row in table if at(row, widths[0]) is not None
            and at(row, widths[1]) is not None]
    if largest:
        top = {}
        for row in rows:
            key = (row["target"], row["instance"])
            top[key] = max(top.get(key, row["width"]), row["width"])
        rows = [row for row in rows if row["width"] == top[row["target"], row["instance"]]]
    out = {}
    for row in rows:
        label = f"{row['target']}, instance {row['instance']}, t={row['width']}" + (
            f" ({a} at {name(widths[0])}, {b} at {name(widths[1])})" if widths != (1, 1) else "")
        out[label] = (np.asarray(at(row, widths[0])[f"sq_{a}"])
                      - factor * np.asarray(at(row, widths[1])[f"sq_{b}"]))
    return out


def _below_zero(samples, level):
    """``{label: outcome}``: each label's Student-t interval of the mean against 0, the labels
    sharing ``level`` (Bonferroni; a control's ``None`` gives 95 % each)."""
    cl = split_level(level, len(samples), nominal=0.95)
    return {k: check_mc_upper(mean_estimate(v, cl), 0.0) for k, v in samples.items()}


def pair(sweep, a, b, *, widths=(1, 1), largest=False, factor=1.0):
    """One comparison of :func:`paired_below`: model ``a`` below ``factor`` times model
    ``b`` in ``sweep``."""
    return {"sweep": sweep, "a": a, "b": b, "widths": widths, "largest": largest,
            "factor": factor}


def paired_below(*pairs, targets=None, min_fraction=1.0):
    """A rule (kind ``mc-upper``): in each of ``pairs`` (:func:`pair`), model ``a``'s MSE is
    below model ``b``'s, per problem and width (rows of ``targets`` only) — each paired
    interval wholly below 0 passes, wholly above 0 fails, else is inconclusive.  The rows
    share the check's level (Bonferroni; a control gets 95 % per row).  The claim passes if
    at least ``min_fraction`` of the rows pass, fails if more than the rest fail (the
    fraction can no longer be reached), and is inconclusive otherwise.  A pair with no
    rows in this mode (e.g. Table 1's widths, full mode only) adds none."""
    def rule(results, level=None):
        diffs = {}
        for p in pairs:
            table = results[p["sweep"]]
            if targets is not None:
                table = Table(table.name, [row for row in table if row["target"] in targets])
            tag = f"{p['sweep'].rpartition('-')[2]}: " if len(pairs) > 1 else ""
            diffs.update({tag + k: v for k, v in paired(
                table, p["a"], p["b"], widths=p["widths"], largest=p["largest"],
                factor=p["factor"]).items()})
        if not diffs:
            raise KeyError(f"no rows pair the models of {pairs}")
        parts = _below_zero(diffs, level)
        out = combine_outcomes(parts)
        if min_fraction >= 1.0:
            return out
        need = int(np.ceil(min_fraction * len(parts) - 1e-9))
        n_pass = sum(p.verdict == PASS for p in parts.values())
        n_fail = sum(p.verdict == FAIL for p in parts.values())
        verdict = PASS if n_pass >= need else FAIL if n_fail > len(parts) - need else INCONCLUSIVE
        details = {**out.details, "rows_passing": n_pass, "rows_failing": n_fail,
                   "rows_needed": need}
        return RuleOutcome(verdict, out.measured, out.bound, details)
    return rule


def _across(results, targets, columns, level):
    """``{label: values}`` over the LSH sweep's instances, one Student-t interval of the mean
    per label (the instances are i.i.d. draws of target, data and models, so the interval
    covers the expected difference, not one draw's), Bonferroni over the labels; each wholly
    below 0 passes, one wholly above fails."""
    rows = [r for r in results[LSH.name] if r["target"] in targets]
    vals = {f"{t}, {label} (mean over instances)": [r[col] for r in rows if r["target"] == t]
            for t in targets for label, col in columns}
    vals = {k: v for k, v in vals.items() if v}
    if not vals:
        raise KeyError("no LSH rows to compare")
    return combine_outcomes(_below_zero(vals, level))


def _configs(results, n_tables, min_buckets=0):
    bits = results[LSH.name].rows[0]["n_bits"]
    return [(n_tables * 2 ** m, m) for m in bits if n_tables * 2 ** m >= min_buckets]


def lsh_below_best_dense(*, targets, n_tables, min_buckets):
    """Rule: in expectation over instances, the LSH model with ``n_tables`` tables is below
    the widest dense model at every bucket count ``>= min_buckets`` (Fig. 2(b):
    "outperforms dense ... when number of buckets is large (>= 2048)")."""
    def rule(results, level=None):
        cols = [(f"s={n_tables}, {b} buckets vs the widest dense", f"vs_dense_s{n_tables}_m{m}")
                for b, m in _configs(results, n_tables, min_buckets)]
        return _across(results, targets, cols, level)
    return rule


def lsh_improves_with_buckets(*, targets, n_tables):
    """Rule: in expectation over instances, the LSH model at its most buckets is below itself
    at its fewest (the difference taken per instance on its test set)."""
    def rule(results, level=None):
        cfg = _configs(results, n_tables)
        return _across(results, targets, [(f"s={n_tables}: {cfg[-1][0]} vs {cfg[0][0]} buckets",
                                           f"gain_s{n_tables}")], level)
    return rule


def lsh_below_dense_at_equal_units(*, targets, n_tables):
    """Rule: in expectation over instances, LSH with ``n_tables`` active scalars (at its
    most buckets) is below a dense model with as many units (O-14's "activated units")."""
    def rule(results, level=None):
        b, m = _configs(results, n_tables)[-1]
        return _across(results, targets, [(f"s={n_tables}, {b} buckets vs dense t={n_tables}",
                                           f"vs_units_s{n_tables}_m{m}")], level)
    return rule


def lsh_series(results, target):
    """``{label: (buckets, MSE, low, high)}`` per table count (the 95 % interval over
    instances of the test MSE), and the dense reference and floor (means over instances)."""
    rows = [r for r in results[LSH.name] if r["target"] == target]
    out = {}
    for s in LSH_TABLES:
        cfg = _configs(results, s)
        est = [mean_estimate([r[f"mse_s{s}_m{m}"] for r in rows], 0.95) for _, m in cfg]
        out[f"LSH, {s} table(s) of 2^m buckets"] = (
            [b for b, _ in cfg], [e.statistic for e in est],
            [e.confidence_interval.low for e in est], [e.confidence_interval.high for e in est])
    width = rows[0]["dense_width"]
    return out, [[float(np.mean([r["mse_dense"] for r in rows])), f"dense, t = {width}"],
                 [float(np.mean([r["floor"] for r in rows])), "zero-bias floor (mean, exact)"]]


def mse_table(table, target, models):
    """Rows ``[t, FLOPs, MSE per model..., ratios]`` of one target, averaged over instances."""
    rows = []
    for w in table.unique("width"):
        sub = [r for r in table if r["target"] == target and r["width"] == w]
        if not sub:
            continue
        mse = {m: float(np.mean([r[f"mse_{m}"] for r in sub])) for m in models}
        rows.append([w, 2 * w * (DIM + 1)] + [mse[m] for m in models]
                    + [mse["dsm50"] / mse["dense"], mse["dsm25"] / mse["dense"]])
    return rows


def floor_of(table, target):
    sub = [r for r in table if r["target"] == target]
    return float(np.mean([r["floor"] for r in sub])), float(np.mean([r["variance"] for r in sub]))


def first_instance(table, target):
    """The rows of ``target``'s first instance (the one the figures draw)."""
    inst = next(r["instance"] for r in table if r["target"] == target)
    return [r for r in table if r["target"] == target and r["instance"] == inst]


def error_series(table, target, models):
    """``({label: (t, MSE, low, high)}, floor)`` of ``target``'s first instance: each test
    MSE with its 95 % Student-t interval over the test points, and that target's exact
    zero-bias floor, for the figures."""
    rows = first_instance(table, target)
    out = {}
    for m in models:
        est = [mean_estimate(r[f"sq_{m}"], 0.95) for r in rows]
        out[LABELS[m]] = ([r["width"] for r in rows], [e.statistic for e in est],
                          [e.confidence_interval.low for e in est],
                          [e.confidence_interval.high for e in est])
    return out, [[rows[0]["floor"], "zero-bias floor (exact, this target)"]]
