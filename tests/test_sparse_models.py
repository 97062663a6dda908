"""pactools.sparse_models and P1 §5's targets and floors: each fast path against a naive
reference written here, the floor's inequality, and bad input refused by name."""
import numpy as np
import pytest

from pactools import MemoryBudgetError
from pactools import bounds, targets
from pactools.sparse_models import (DenseRandomFeatures, LSHModel, RandomHashSparse, TopKDSM,
                                    splitmix64)


def _data(n=3000, d=5, seed=0, target=None):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, d))
    y = np.sin(3 * X[:, 0]) * X[:, 1] if target is None else target(X)
    return X, y


def _naive_features(model, X):
    """relu(x B + b) with every unit outside the mask zeroed, one row at a time."""
    Z = X @ model.weights_ + model.bias_
    H = np.maximum(Z, 0.0)
    if isinstance(model, TopKDSM):
        for i in range(len(X)):
            H[i, np.argsort(Z[i])[:model.n_hidden_ - model.n_active_]] = 0.0
    return H


@pytest.mark.parametrize("make", [lambda: DenseRandomFeatures(24, ridge=0.0, rng=1),
                                  lambda: TopKDSM(48, 12, ridge=0.0, rng=1),
                                  lambda: RandomHashSparse(48, sparsity=0.25, ridge=0.0, rng=1)])
def test_exact_least_squares_matches_numpy_lstsq(make):
    # ridge=0: the minimum-norm normal-equation solution; on these well-conditioned small
    # designs (condition number of the features ~1e2) round-off is ~1e-12, so 1e-8 relative
    X, y = _data()
    m = make().fit(X, y)
    H = np.hstack([m.features(X), np.ones((len(X), 1))])
    w = np.linalg.lstsq(H, y, rcond=None)[0]
    np.testing.assert_allclose(np.append(m.coef_, m.intercept_), w, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(m.predict(X), H @ w, rtol=1e-8, atol=1e-10)


def test_rank_deficient_design_gives_the_minimum_norm_solution():
    X, y = _data(n=500, d=3)
    m = DenseRandomFeatures(8, ridge=0.0, rng=2)
    m.fit(X, y)
    # duplicate a unit: the design loses rank; lstsq's minimum-norm answer splits the weight
    m.weights_[:, 1] = m.weights_[:, 0]
    w = m._lstsq(X, y)
    H = np.hstack([m.features(X), np.ones((len(X), 1))])
    ref = np.linalg.lstsq(H, y, rcond=None)[0]
    np.testing.assert_allclose(w, ref, rtol=1e-6, atol=1e-9)
    assert w[0] == pytest.approx(w[1], rel=1e-6)


def test_topk_features_match_the_definition():
    X, y = _data(n=200, d=4)
    for m in (TopKDSM(16, 5, rng=3).fit(X, y), TopKDSM(16, 5, bias="uniform", rng=3).fit(X, y)):
        np.testing.assert_array_equal(m.features(X), _naive_features(m, X))
        assert np.all((m.features(X) > 0).sum(axis=1) <= 5)


def test_random_hash_mask_is_a_function_of_the_rounded_projection():
    X, y = _data(n=300, d=4)
    m = RandomHashSparse(32, 8, rng=4).fit(X, y)
    mask = m.masks(X)
    assert np.all(mask.sum(axis=1) == 8)
    np.testing.assert_array_equal(m.masks(X[::-1].copy())[::-1], mask)  # a function of x
    q = np.round(X @ m.hash_projection_ * 1e6).astype(np.int64).view(np.uint64)
    h = splitmix64(q ^ np.uint64(m.hash_salt_))
    ref = h >= np.sort(h, axis=1)[:, [-8]]
    np.testing.assert_array_equal(mask, ref)
    # nearby inputs get unrelated masks: overlap of 8-of-32 masks ~ 8 * 8/32 = 2 units
    far = m.masks(X + 1e-3)
    assert (mask & far).sum(axis=1).mean() < 4


def test_splitmix64_reference_values():
    # the published splitmix64 sequence from state 0 (Vigna): next() = mix(0 + golden * k)
    gamma = np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        states = np.arange(3, dtype=np.uint64) * gamma
    assert [int(v) for v in splitmix64(states)] == [
        0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]



def _splitmix64_int(z):
    """splitmix64 of one Python int, modulo 2**64 (the published algorithm, step by step)."""
    m = (1 << 64) - 1
    z = (z + 0x9E3779B97F4A7C15) & m
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & m
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & m
    return z ^ (z >> 31)


def test_splitmix64_blocked_mixing_matches_the_scalar_algorithm_across_blocks():
    # the finaliser mixes a C-contiguous array in in-cache blocks of 2**16 values: values on
    # both sides of every block boundary, in a 2-d array and in a strided view, are the
    # scalar algorithm's
    from pactools.lsh import _MIX_BLOCK
    z = np.random.default_rng(5).integers(0, 2 ** 63, size=(3, _MIX_BLOCK + 7),
                                          dtype=np.int64).view(np.uint64)
    got = splitmix64(z)
    flat_z, flat_got = z.reshape(-1), got.reshape(-1)
    edges = [k * _MIX_BLOCK + d for k in range(1, 4) for d in (-2, -1, 0, 1)]
    picks = np.r_[edges, np.random.default_rng(6).integers(0, z.size, 64)]
    assert all(int(flat_got[i]) == _splitmix64_int(int(flat_z[i])) for i in picks)
    view = z[:, ::3]                                      # not contiguous: mixed whole
    assert np.array_equal(splitmix64(view), got[:, ::3])

def _rmsprop_reference(H, y, a, c, order, lr, rho, eps, B):
    """Keras RMSprop on the MSE of a linear top layer, written step by step."""
    ms_a, ms_c = np.zeros_like(a), 0.0
    for epoch_order in order:
        for s in range(0, len(y), B):
            idx = epoch_order[s:s + B]
            pred = H[idx] @ a + c
            g_a = 2.0 / len(idx) * H[idx].T @ (pred - y[idx])
            g_c = 2.0 / len(idx) * np.sum(pred - y[idx])
            ms_a = rho * ms_a + (1 - rho) * g_a ** 2
            ms_c = rho * ms_c + (1 - rho) * g_c ** 2
            a = a - lr * g_a / (np.sqrt(ms_a) + eps)
            c = c - lr * g_c / (np.sqrt(ms_c) + eps)
    return a, c


@pytest.mark.parametrize("n_active", [6, 14])      # stored sparse (6 of 16) and dense
def test_rmsprop_matches_a_per_step_reference(n_active):
    X, y = _data(n=100, d=3)
    m = TopKDSM(16, n_active, solver="rmsprop", learning_rate=1e-2, batch_size=32, epochs=3,
                rng=5)
    m.fit(X, y)
    # replay the generator: bottom layer, then the top layer's init, then one order per epoch
    rng = np.random.default_rng(5)
    from pactools.sparse_models import glorot_uniform
    glorot_uniform(3, 16, rng)
    a0 = glorot_uniform(16, 1, rng)[:, 0]
    order = [rng.permutation(100) for _ in range(3)]
    H = m.features(X).astype(np.float32).astype(np.float64)
    a, c = _rmsprop_reference(H, y, a0, 0.0, order, 1e-2, 0.9, 1e-7, 32)
    # the same float64 arithmetic summed in another order: round-off, amplified by at most
    # the 12 steps' normalisation by sqrt(ms)
    np.testing.assert_allclose(m.coef_, a, rtol=1e-9, atol=1e-12)
    assert m.intercept_ == pytest.approx(c, rel=1e-9, abs=1e-12)
    assert m.n_iter_ == 3 * 4


def test_dsm_half_sparsity_is_the_dense_model_of_its_width():
    # P1-EXPERIMENTS.md K15: zero-bias symmetric features are positive for about half the
    # units, so the top half removes almost nothing; same bottom layer (same rng), T = 1024
    f = targets.RandomHypercubeFunction(8, rng=0)
    X, y = _data(n=2 ** 13, d=8, target=f)
    Xt, yt = _data(n=2 ** 12, d=8, seed=1, target=f)
    dense = DenseRandomFeatures(1024, rng=7).fit(X, y)
    dsm = TopKDSM(1024, 512, rng=7).fit(X, y)
    np.testing.assert_array_equal(dense.weights_, dsm.weights_)
    mse = [np.mean((m.predict(Xt) - yt) ** 2) for m in (dense, dsm)]
    assert abs(mse[1] - mse[0]) <= 0.01 * mse[0]


def test_zero_bias_models_never_beat_the_floor_on_a_symmetrised_sample():
    # exact on a sample closed under x -> -x: the model's odd part is linear, so its MSE is at
    # least the best linear fit of the target's odd part on the sample (DERIVED, §2.2)
    f = targets.RandomHypercubeFunction(6, rng=1)
    X, y = _data(n=2000, d=6, target=f)
    Xs = np.vstack([X, -X])[:400]
    Xs = np.vstack([Xs, -Xs])
    ys = f(Xs)
    odd = (f(Xs[:400]) - f(-Xs[:400])) / 2
    w = np.linalg.lstsq(Xs[:400], odd, rcond=None)[0]
    floor = np.mean((odd - Xs[:400] @ w) ** 2)
    for m in (DenseRandomFeatures(64, rng=2), DenseRandomFeatures(256, rng=3),
              DenseRandomFeatures(64, solver="rmsprop", learning_rate=1e-3, epochs=3, rng=4)):
        assert np.mean((m.fit(X, y).predict(Xs) - ys) ** 2) >= floor * (1 - 1e-9)
    biased = DenseRandomFeatures(256, bias="uniform", rng=3).fit(X, y)
    assert np.mean((biased.predict(Xs) - ys) ** 2) < floor          # the floor is zero-bias only


def test_lsh_single_table_is_the_bucket_mean():
    X, y = _data(n=2000, d=3)
    m = LSHModel(4, 1, rng=6).fit(X, y)
    codes = m._codes(X)[:, 0]
    for b in np.unique(codes):
        assert m.predict(X[codes == b][:1])[0] == pytest.approx(y[codes == b].mean(), rel=1e-12)
    assert m.n_buckets_ == 16 and m.n_active_ == 1 and m.flops_ == 2 * 4 * 4


def test_lsh_tables_solve_least_squares_on_the_one_hot_design():
    X, y = _data(n=1500, d=3)
    for kind, extra in (("central", {}), ("offset", {}), ("euclidean", {"bucket_width": 0.7})):
        m = LSHModel(3, 4, hyperplanes=kind, rng=8, **extra).fit(X, y)
        codes = m._codes(X)
        A = np.hstack([(codes[:, [t]] == np.unique(codes[:, t])[None]).astype(float)
                       for t in range(4)] + [np.ones((len(X), 1))])
        ref = A @ np.linalg.lstsq(A, y, rcond=None)[0]
        np.testing.assert_allclose(m.predict(X), ref, rtol=1e-6, atol=1e-8)


def test_lsh_unseen_buckets_predict_the_training_mean():
    X, y = _data(n=50, d=3)
    m = LSHModel(10, 1, rng=9).fit(X, y)
    far = np.random.default_rng(10).uniform(-1, 1, size=(2000, 3))
    p, hit = m.predict(far, return_hit=True)
    assert not hit.all() and np.all(p[~hit] == pytest.approx(y.mean()))


def test_targets_report_exact_variance_and_floor():
    # exact moments against Monte Carlo: 4e5 samples, the 99.9% t-interval (SE-based)
    rng = np.random.default_rng(11)
    X = rng.uniform(-1, 1, size=(400000, 8))
    for f in (targets.RandomHypercubeFunction(8, rng=0), targets.RandomPolynomial(8, 4, rng=0),
              targets.RandomPolynomial(8, 4, monomials="multilinear_le_D", rng=0)):
        y = f(X)
        se = np.std((y - y.mean()) ** 2) / np.sqrt(len(y))
        assert abs(y.var() - f.variance) <= 3.3 * se
        est = bounds.zero_bias_floor_mc(f, 8, 400000, confidence_level=0.999, rng=12)
        ci = est.confidence_interval
        assert ci.low <= f.dense_floor <= ci.high
    assert targets.RandomPolynomial(8, 4, monomials="exact_D", rng=0).dense_floor == 0.0
    # the hypercube floor averages (C(8,3)/27 + C(8,5)/243 + C(8,7)/2187) / 256 over targets
    mean = np.mean([targets.RandomHypercubeFunction(8, rng=s).dense_floor for s in range(200)])
    assert mean == pytest.approx((56 / 27 + 56 / 243 + 8 / 2187) / 256, rel=0.05)


def test_floor_quadrature_is_exact_and_independent_of_the_formulas():
    # the quadrature only calls the target; it equals the Fourier and moment formulas
    for seed in range(3):
        for f, degree in ((targets.RandomHypercubeFunction(6, rng=seed), 1),
                          (targets.RandomPolynomial(6, 4, rng=seed), 4),
                          (targets.RandomPolynomial(5, 3, monomials="multilinear_le_D",
                                                    rng=seed), 1)):
            q = bounds.zero_bias_floor_quadrature(f, f.dim, degree)
            assert q == pytest.approx(f.dense_floor, rel=1e-10, abs=1e-15)
    # by hand: x1^3 x2 is even (ignored); x1^3 + x1 x2 x3 is odd, its projection 3/5 x1,
    # E[(x1^3 - 3/5 x1)^2] = 1/7 - 6/25 + 3/25 = 4/175, E[(x1 x2 x3)^2] = 1/27, cross term 0
    f = lambda X: X[:, 0] ** 3 * X[:, 1] + X[:, 0] ** 3 + X[:, 0] * X[:, 1] * X[:, 2]
    assert bounds.zero_bias_floor_quadrature(f, 3, 3) == pytest.approx(4 / 175 + 1 / 27,
                                                                        rel=1e-12)
    # too few nodes for the target's degree is no longer exact (what the rule depends on)
    g = targets.RandomPolynomial(4, 4, rng=1)
    assert abs(bounds.zero_bias_floor_quadrature(g, 4, 2) - g.dense_floor) > 1e-3 * g.dense_floor
    with pytest.raises(ValueError, match="degree"):
        bounds.zero_bias_floor_quadrature(g, 4, -1)
    with pytest.raises(ValueError, match="dim"):
        bounds.zero_bias_floor_quadrature(g, 0, 2)
    with pytest.raises(TypeError, match="target"):
        bounds.zero_bias_floor_quadrature(3.0, 4, 2)
    with pytest.raises(ValueError, match="finite"):
        bounds.zero_bias_floor_quadrature(lambda X: np.full(len(X), np.nan), 2, 1)
    with pytest.raises(MemoryBudgetError, match="max_bytes"):
        bounds.zero_bias_floor_quadrature(g, 40, 4)


def test_polynomial_monomials_and_normalisations():
    for mon, n in (("all_le_D", 495), ("multilinear_le_D", 163), ("exact_D", 330)):
        p = targets.RandomPolynomial(8, 4, monomials=mon, rng=0)
        assert p.exponents.shape == (n, 8)
        X = np.random.default_rng(1).uniform(-1, 1, size=(50, 8))
        naive = np.prod(X[:, None, :] ** p.exponents[None], axis=2) @ p.coefs
        np.testing.assert_allclose(p(X), naive, rtol=1e-12, atol=1e-15)
    assert np.abs(targets.RandomPolynomial(8, 4, normalization="sum1overD",
                                           rng=0).coefs).sum() == pytest.approx(0.25)
    with pytest.warns(DeprecationWarning):
        old = targets.RandomPolynomial(8, 4, convention="section5", rng=0)
    assert old.normalization == "sum1overD"


def test_subspace_polynomial_is_constant_across_the_subspace():
    f = targets.SubspacePolynomial(16, 3, rng=0)
    X = np.random.default_rng(1).uniform(-1, 1, size=(100, 16))
    normal = np.random.default_rng(2).normal(size=(100, 16))
    normal -= normal @ f.projection.T @ f.projection       # orthogonal to the row space
    np.testing.assert_allclose(f(X + normal), f(X), rtol=1e-10, atol=1e-14)
    assert f.projected_range(X) > 0


@pytest.mark.parametrize("make, fragment", [
    (lambda: TopKDSM(8, 9), "n_active must be an integer in [1, 8]; got 9"),
    (lambda: TopKDSM(8, sparsity=1.5), "sparsity must be a real number in (0.0, 1.0]; got 1.5"),
    (lambda: TopKDSM(8, sparsity=0.0), "sparsity must be a real number in (0.0, 1.0]; got 0.0"),
    (lambda: TopKDSM(8, sparsity=0.3), "sparsity * n_hidden must be a positive integer"),
    (lambda: TopKDSM(8), "give exactly one of n_active"),
    (lambda: TopKDSM(8, 2, solver="adam"), "solver must be one of 'lstsq', 'rmsprop'; got 'adam'"),
    (lambda: DenseRandomFeatures(8, bias="random"), "bias must be one of"),
    (lambda: DenseRandomFeatures(0), "n_hidden must be an integer >= 1; got 0"),
    (lambda: LSHModel(64), "n_bits must be an integer in [1, 62]"),
    (lambda: LSHModel(4, hyperplanes="euclidean"), "bucket_width must be a real number"),
    (lambda: LSHModel(4, bucket_width=0.5), "bucket_width applies to"),
])
def test_bad_parameters_are_refused_by_name(make, fragment):
    X, y = _data(n=20, d=3)
    with pytest.raises((ValueError, TypeError)) as err:
        make().fit(X, y)
    assert fragment in str(err.value)


def test_bad_data_is_refused():
    X, y = _data(n=20, d=3)
    m = TopKDSM(8, 2, rng=0)
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="X must be finite; got 1 NaN"):
        m.fit(bad, y)
    with pytest.raises(ValueError, match="y must have shape"):
        m.fit(X, y[:-1])
    with pytest.raises(ValueError, match="not fitted"):
        m.predict(X)
    m.fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but TopKDSM is expecting 3"):
        m.predict(X[:, :2])
    with pytest.raises(ValueError, match="normalization must be one of"):
        targets.RandomPolynomial(8, 4, normalization="l1")


def test_memory_is_estimated_before_allocating():
    from pactools import MemoryBudgetError
    X, y = _data(n=64, d=3)
    with pytest.raises(MemoryBudgetError, match="Gram matrix"):
        DenseRandomFeatures(4096, max_bytes=10 ** 6, rng=0).fit(X, y)
    with pytest.raises(MemoryBudgetError, match="float32 features"):
        DenseRandomFeatures(512, solver="rmsprop", max_bytes=10 ** 5, rng=0).fit(X, y)


def test_flops_follow_table_1():
    # P1 Table 1: 2 t (d + 1) with t active units reproduces 18432, 36864, 73728 at d = 8
    X, y = _data(n=64, d=8)
    assert [DenseRandomFeatures(t, rng=0).fit(X, y).flops_ for t in (1024, 2048)] == [18432, 36864]
    dense = DenseRandomFeatures(16, rng=0).fit(X, y)
    assert dense.flops_ == dense.flops_total_ == 2 * 16 * 9
    dsm = TopKDSM(64, 16, rng=0).fit(X, y)
    assert dsm.flops_ == 2 * 16 * 9 and dsm.flops_total_ == 2 * 8 * 64 + 64 + 2 * 16
    assert dsm.n_params_ == 8 * 64 + 64 + 65 and dsm.n_trainable_ == 65
