"""pactools.lowdegree: monomial features, both estimators, exact population error."""
from math import comb

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pactools import fourier, hypercube, lowdegree, networks


@given(st.integers(1, 9), st.integers(0, 4))
def test_features_are_the_characters(n, d):
    d = min(d, n)
    X = hypercube.sample_uniform(7, n, rng=n + d)
    Phi = lowdegree.monomial_features(X, d)
    S = lowdegree.monomial_subsets(n, d)
    assert Phi.shape == (7, sum(comb(n, j) for j in range(d + 1))) == (7, S.size)
    assert len(set(S.tolist())) == S.size                        # every monomial once
    assert np.all(np.bitwise_count(S.astype(np.uint64)) <= d)
    for i, T in enumerate(S):
        np.testing.assert_array_equal(Phi[:, i], hypercube.chi(int(T), X))


def test_least_squares_recovers_exact_low_degree_polynomial():
    n, d = 8, 2
    X = hypercube.sample_uniform(3000, n, rng=1)
    y = 0.3 + X[:, 0] * X[:, 5] - 2 * X[:, 3]
    est = lowdegree.LowDegreeRegressor(d).fit(X, y)
    assert est.coefficient([0, 5]) == pytest.approx(1.0, abs=1e-10)
    assert est.coefficient([3]) == pytest.approx(-2.0, abs=1e-10)
    assert est.coefficient([]) == pytest.approx(0.3, abs=1e-10)
    np.testing.assert_allclose(est.predict(X), y, atol=1e-9)
    assert est.score(X, y) == pytest.approx(1.0)


def test_population_error_is_exact():
    net = networks.random_sparse_network(9, 8, 2, rng=4)
    table = networks.enumerate_network(net).table
    coeffs = fourier.fourier_coefficients(table)
    X = hypercube.sample_uniform(4000, 9, rng=5)
    est = lowdegree.LowDegreeRegressor(2, "correlation").fit(X, net(X))
    full = hypercube.cube(9).astype(float)
    brute = float(np.mean((est.predict(full) - table) ** 2))
    assert est.population_error(coeffs) == pytest.approx(brute, rel=1e-10)


def test_correlation_estimator_is_the_empirical_correlation():
    X = hypercube.sample_uniform(500, 5, rng=2)
    y = np.random.default_rng(3).normal(size=500)
    est = lowdegree.LowDegreeRegressor(3, "correlation").fit(X, y)
    for i, T in enumerate(est.subsets_):
        assert est.coef_[i] == pytest.approx(np.mean(y * hypercube.chi(int(T), X)))


def test_sklearn_contract():
    est = lowdegree.LowDegreeRegressor(degree=1)
    assert est.get_params()["degree"] == 1
    assert est.set_params(degree=2) is est and est.degree == 2
    X = hypercube.sample_uniform(100, 4, rng=0)
    assert est.fit(X, X[:, 0]) is est
    with pytest.raises(ValueError, match="invalid parameter"):
        est.set_params(foo=1)
    from pactools import NotFittedError
    with pytest.raises(NotFittedError, match="not fitted"):
        lowdegree.LowDegreeRegressor().predict(X)


@pytest.mark.parametrize("kwargs, X, y, err, msg", [
    ({"degree": 5}, np.ones((10, 3)), np.ones(10), ValueError, "degree"),
    ({"method": "lstsq"}, np.ones((10, 3)), np.ones(10), ValueError, "method"),
    ({}, np.full((10, 3), 0.5), np.ones(10), ValueError, r"only -1 and \+1"),
    ({}, np.ones((10, 3)), np.ones(9), ValueError, "y must have shape"),
    ({"degree": 1.0}, np.ones((10, 3)), np.ones(10), TypeError, "degree"),
    ({"degree": 3}, np.ones((5, 6)), np.ones(5), ValueError, "n_samples >= n_monomials"),
])
def test_bad_input(kwargs, X, y, err, msg):
    with pytest.raises(err, match=msg):
        lowdegree.LowDegreeRegressor(**kwargs).fit(X, y)


def test_memory_is_estimated_before_allocating():
    from pactools import MemoryBudgetError
    X = hypercube.sample_uniform(1000, 20, rng=0)
    with pytest.raises(MemoryBudgetError):
        lowdegree.monomial_features(X, 3, max_bytes=1 << 20)


@pytest.mark.parametrize("n, degree, N, seed", [(6, 2, 60, 4), (10, 2, 60, 2), (10, 2, 60, 3),
                                                (6, 2, 200, 0)])
def test_rank_deficient_least_squares_is_the_minimum_norm_solution(n, degree, N, seed):
    # x_n = x_1 x_2 on the sample: chi_{n} = chi_{1,2}, the monomials are dependent.  On the
    # first three samples Cholesky of the Gram matrix passes on rounding noise; the rank
    # test must still see it
    rng = np.random.default_rng(seed)
    X = rng.choice([-1.0, 1.0], size=(N, n))
    X[:, -1] = X[:, 0] * X[:, 1]
    y = rng.standard_normal(N)
    with pytest.warns(lowdegree.RankDeficientWarning, match="minimum-norm"):
        m = lowdegree.LowDegreeRegressor(degree, "least_squares").fit(X, y)
    Phi = lowdegree.monomial_features(X, degree)
    np.testing.assert_allclose(m.coef_, np.linalg.lstsq(Phi, y, rcond=None)[0], atol=1e-10)


def test_full_rank_least_squares_does_not_warn():
    rng = np.random.default_rng(0)
    X = rng.choice([-1.0, 1.0], size=(400, 8))
    y = X[:, 0] * X[:, 1] + 0.1 * rng.standard_normal(400)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = lowdegree.LowDegreeRegressor(2, "least_squares").fit(X, y)
    Phi = lowdegree.monomial_features(X, 2)
    np.testing.assert_allclose(m.coef_, np.linalg.lstsq(Phi, y, rcond=None)[0], atol=1e-9)


@given(st.integers(1, 7), st.integers(0, 3), st.integers(1, 40), st.integers(0, 2**32 - 1),
       st.sampled_from(["least_squares", "correlation"]), st.sampled_from([np.float64, np.float32]))
def test_fit_on_repeated_points_is_the_fit_on_every_sample(n, d, repeat, seed, method, dtype):
    # n_samples >= 2**n: the fit runs on the distinct points weighted by their counts; it must
    # be the fit of the design on every sample (lstsq's minimum-norm solution, or the mean)
    d = min(d, n)
    rng = np.random.default_rng(seed)
    N = max((1 << n) * repeat // 4, 1 << n, lowdegree.n_monomials(n, d))
    X = rng.choice([-1.0, 1.0], size=(N, n))
    y = rng.standard_normal(N) + X[:, 0]
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lowdegree.RankDeficientWarning)
        m = lowdegree.LowDegreeRegressor(d, method, dtype=dtype).fit(X, y)
    Phi = lowdegree.monomial_features(X, d)
    want = (y @ Phi) / N if method == "correlation" else np.linalg.lstsq(Phi, y, rcond=None)[0]
    np.testing.assert_allclose(m.coef_, want, rtol=1e-9, atol=1e-9)


def test_fit_on_repeated_points_refuses_a_bad_dtype():
    X = hypercube.sample_uniform(64, 3, rng=0)
    with pytest.raises(ValueError, match="dtype must be float64 or float32; got"):
        lowdegree.LowDegreeRegressor(1, dtype=np.int32).fit(X, X[:, 0])
