"""pactools.lsh and pactools.targets: hashing, exact bucket ids, certificates, the LSH learner."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pactools import lsh, targets


def test_euclidean_hash_matches_definition():
    h = lsh.EuclideanLSH(5, 7, 0.3, rng=0)
    X = np.random.default_rng(1).normal(size=(100, 5))
    ref = np.floor((X @ h.projections.T + h.offsets) / 0.3).astype(np.int64)
    np.testing.assert_array_equal(h.hash(X), ref)
    assert np.all((h.offsets >= 0) & (h.offsets <= 0.3))


@given(st.integers(1, 400), st.integers(1, 6), st.integers(1, 5), st.integers(0, 10**6))
def test_compact_ids_are_exact(n, D, levels, seed):
    codes = np.random.default_rng(seed).integers(-levels, levels + 1, size=(n, D))
    ids, keys, first = lsh.compact_ids(codes)
    _, ref = np.unique(codes, axis=0, return_inverse=True)
    # same partition: equal ids iff equal rows
    assert len(set(zip(ids.tolist(), ref.ravel().tolist()))) == keys.size == ref.max() + 1
    np.testing.assert_array_equal(codes[first][ids], codes)


@given(st.integers(1, 200), st.integers(1, 12), st.integers(0, 10**6))
def test_max_bucket_distance_against_brute_force(n, n_buckets, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    _, ids = np.unique(rng.integers(0, n_buckets, size=n), return_inverse=True)
    got = lsh.max_bucket_distance(X, ids, max_pairs=int(rng.integers(1, 64)))
    for b in range(ids.max() + 1):
        P = X[ids == b]
        ref = np.max(np.linalg.norm(P[:, None] - P[None], axis=2)) if len(P) > 1 else 0.0
        assert got[b] == pytest.approx(ref)


def test_certified_diameter_holds_and_polytope_is_between():
    U = targets.random_subspace(6, 2, rng=2)
    h = lsh.EuclideanLSH(6, 8, 0.4, rng=3)
    X = targets.sample_subspace(U, 3000, rng=4)
    codes = h.hash(X)
    ids, _, first = lsh.compact_ids(codes)
    diam = lsh.max_bucket_distance(X, ids)
    cert, smin = lsh.certified_diameter(h, U)
    assert smin > 0 and diam.max() <= cert
    b = int(np.argmax(diam))
    cell = lsh.bucket_polytope_diameter(h, U, codes[first[b]])
    assert diam[b] <= cell * (1 + 1e-9) and cell <= cert * (1 + 1e-9)


def test_certified_lsh_sets_the_diameter():
    U = targets.random_subspace(10, 1, rng=0)
    h = lsh.certified_lsh(10, 4, 0.05, U, rng=1)
    assert lsh.certified_diameter(h, U)[0] == pytest.approx(0.05)


def test_subspace_sampling_is_in_gamma_and_spreads():
    U = targets.random_subspace(8, 2, kind="diagonals", rng=0)
    X, Z = targets.sample_subspace(U, 5000, rng=1, return_coords=True)
    assert np.all(np.abs(X) <= 1 + 1e-12)
    np.testing.assert_allclose(X, Z @ U.T)
    np.testing.assert_allclose(U.T @ U, np.eye(2), atol=1e-12)
    # the sample reaches the boundary of Gamma in every direction of the box
    box = targets.subspace_box(U)
    assert np.all(np.max(np.abs(Z), axis=0) > 0.8 * box)


def test_lsh_regressor_error_on_seen_buckets_and_fallback():
    U = targets.random_subspace(8, 1, kind="diagonals", rng=0)
    f = targets.DistanceTarget(np.zeros(8), 1.0)
    X = targets.sample_subspace(U, 2000, rng=1)
    Xt = targets.sample_subspace(U, 2000, rng=2)
    m = lsh.LSHRegressor(4, diameter=0.1, basis=U, rng=3).fit(X, f(X))
    p, hit = m.predict(Xt, return_hit=True)
    assert np.all(np.abs(p - f(Xt))[hit] <= 0.1)
    assert not np.any(np.isnan(p)) and m.forward_flops_ == 4 * 8
    assert m.n_buckets_ == lsh.compact_ids(m.tables_[0][0].hash(X))[1].size
    # first sample of each bucket is what is stored
    h, keys, codes, vals = m.tables_[0]
    ids, _, first = lsh.compact_ids(h.hash(X))
    np.testing.assert_array_equal(np.sort(vals), np.sort(f(X)[first]))


def test_random_hash_control_breaks_locality():
    U = targets.random_subspace(8, 1, kind="diagonals", rng=0)
    f = targets.DistanceTarget(np.zeros(8), 1.0)
    X = targets.sample_subspace(U, 2000, rng=1)
    Xt = targets.sample_subspace(U, 2000, rng=2)
    m = lsh.LSHRegressor(router=lsh.RandomHashRouter(200)).fit(X, f(X))
    p, hit = m.predict(Xt, return_hit=True)
    assert np.max(np.abs(p - f(Xt))[hit]) > 0.5


def test_targets_lipschitz_constants():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(2000, 4))
    s = targets.SineSumTarget(4, 6, 2.0, rng=1)
    assert np.max(np.linalg.norm(s.gradient(X), axis=1)) <= 2.0
    p = targets.RandomPolynomial(4, 3, rng=2)
    assert p.measured_lipschitz(X) <= p.lipschitz + 1e-12
    assert p.exponents.shape[0] == 35                       # C(4 + 3, 3)
    eps = 1e-6
    e0 = np.eye(4)[0] * eps
    fd = (p(X + e0) - p(X - e0)) / (2 * eps)
    np.testing.assert_allclose(fd, p.gradient(X)[:, 0], atol=1e-6)
    hc = targets.RandomHypercubeFunction(4, rng=3)
    corners = 1 - 2 * ((np.arange(16)[:, None] >> np.arange(4)) & 1).astype(float)
    np.testing.assert_allclose(hc(corners), hc.values, atol=1e-12)
    assert hc.measured_lipschitz(X) <= hc.lipschitz + 1e-12


@pytest.mark.parametrize("call, err, msg", [
    (lambda: lsh.EuclideanLSH(3, 2, 0.0), ValueError, "bucket_width"),
    (lambda: lsh.EuclideanLSH(3, 0, 1.0), ValueError, "n_projections"),
    (lambda: lsh.EuclideanLSH(3, 2, 1.0).hash(np.ones((2, 4))), ValueError, "X must have"),
    (lambda: lsh.SignLSH(3, 63), ValueError, "n_bits"),
    (lambda: lsh.LSHRegressor(4).fit(np.ones((3, 2)), np.ones(3)), ValueError, "exactly one"),
    (lambda: targets.random_subspace(3, 4), ValueError, "intrinsic_dim"),
    (lambda: targets.sample_subspace(np.ones((3, 1)), 5), ValueError, "orthonormal"),
])
def test_bad_input(call, err, msg):
    with pytest.raises(err, match=msg):
        call()


def test_sign_lsh_packs_bits():
    h = lsh.SignLSH(3, 4, n_tables=2, rng=0)
    X = np.random.default_rng(1).normal(size=(50, 3))
    codes = h.hash(X)
    for t in range(2):
        bits = (X @ h.hyperplanes[t].T > 0).astype(int)
        np.testing.assert_array_equal(codes[:, t], bits @ (1 << np.arange(4)))


def test_a_rank_deficient_map_certifies_nothing():
    # D = 1 projection of a 2-dim subspace: one direction moves no hash, so buckets are
    # unbounded inside the subspace; sigma_k of the 1 x 2 map is 0 and the bound infinite
    U = targets.random_subspace(8, 2, rng=0)
    h = lsh.EuclideanLSH(8, 1, 0.5, rng=0)
    assert lsh.certified_diameter(h, U) == (np.inf, 0.0)
    assert lsh.sigma_k(np.ones((3, 2))) == 0.0            # rank 1 < k = 2
    assert lsh.sigma_k(np.eye(2)) == 1.0
    with pytest.raises(ValueError, match="n_projections must be >= the subspace dimension"):
        lsh.LSHRegressor(1, diameter=0.15, basis=U).fit(np.zeros((3, 8)), np.zeros(3))
    with pytest.raises(ValueError, match="n_projections must be >= the subspace dimension"):
        lsh.LSHRegressor(4, diameter=0.15).fit(np.zeros((3, 8)), np.zeros(3))   # basis I_8


@settings(max_examples=25, deadline=None)
@given(n_projections=st.integers(1, 6), intrinsic_dim=st.integers(1, 3),
       seed=st.integers(0, 2 ** 16))
def test_certified_regressor_keeps_its_seen_bucket_promise(n_projections, intrinsic_dim, seed):
    """Over random D and k (D < k included): refused, or error <= eps on every seen bucket."""
    rng = np.random.default_rng(seed)
    U = targets.random_subspace(6, intrinsic_dim, rng=rng)
    f = targets.DistanceTarget(targets.sample_subspace(U, 1, rng=rng)[0], 1.0)
    X, Xt = targets.sample_subspace(U, 400, rng=rng), targets.sample_subspace(U, 400, rng=rng)
    eps = 0.3
    model = lsh.LSHRegressor(n_projections, diameter=eps, basis=U, rng=rng)
    if n_projections < intrinsic_dim:
        with pytest.raises(ValueError, match="n_projections must be >= the subspace"):
            model.fit(X, f(X))
        return
    pred, hit = model.fit(X, f(X)).predict(Xt, return_hit=True)
    assert np.all(np.abs(pred - f(Xt))[hit] <= eps * (1 + 1e-9))


def test_rng_is_the_generator_name_and_random_state_a_deprecated_alias():
    rng = np.random.default_rng(0)
    U = targets.random_subspace(6, 2, rng=rng)
    X = targets.sample_subspace(U, 300, rng=rng)
    y = X[:, 0]
    a = lsh.LSHRegressor(4, diameter=0.2, basis=U, rng=5).fit(X, y)
    with pytest.warns(DeprecationWarning, match="use rng="):
        b = lsh.LSHRegressor(4, diameter=0.2, basis=U, random_state=5).fit(X, y)
    assert np.array_equal(a.predict(X), b.predict(X))
    with pytest.raises(ValueError, match="give rng only"):
        lsh.LSHRegressor(4, diameter=0.2, basis=U, rng=1, random_state=1).fit(X, y)
    # the router takes an integer salt or a generator
    assert lsh.RandomHashRouter(50, rng=7).seed == 7
    r1 = lsh.RandomHashRouter(50, rng=np.random.default_rng(3))
    r2 = lsh.RandomHashRouter(50, rng=np.random.default_rng(3))
    assert np.array_equal(r1.hash(X), r2.hash(X))
