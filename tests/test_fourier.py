"""Tests of pactools.fourier against a naive O(4^n) transform, closed forms and identities."""
from math import comb

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pactools import fourier as F
from pactools.hypercube import popcounts, truth_table


def naive_wht(x):
    """Definition: y[T] = sum_i x[i] (-1)^popcount(i & T), O(4^n)."""
    x = np.asarray(x, dtype=float)
    N = x.shape[-1]
    i = np.arange(N)
    H = (-1.0) ** (np.bitwise_count(i[:, None] & i[None, :]) & 1).astype(int)
    return x @ H


def naive_as(table, n):
    """Definition: AS = E_x 1/4 sum_i (f(x) - f(x^i))^2, point by point."""
    idx = np.arange(1 << n)
    return sum(np.mean((table - table[idx ^ (1 << i)]) ** 2) / 4 for i in range(n))


tables = st.integers(1, 9).flatmap(
    lambda n: st.lists(st.floats(-10, 10, allow_nan=False, width=64),
                       min_size=1 << n, max_size=1 << n).map(np.array))


# --- the transform -------------------------------------------------------------------
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 8, 11])
def test_wht_matches_naive(n):
    x = np.random.default_rng(n).standard_normal((3, 1 << n))
    ref = naive_wht(x)
    # round-off of the naive sum over 2^n terms: ~1e-15 * 2^(n/2) relative to |x|
    assert np.max(np.abs(F.wht(x) - ref)) <= 1e-12 * np.max(np.abs(ref))


@pytest.mark.parametrize("n", [16, 17, 18, 20, 21])
def test_wht_blocked_paths_match_recursive_definition(n):
    # the two-level (row + panel) path, with one Hadamard factor across rows (n <= 20) and
    # two (n = 21): H_N = H_2 (x) H_{N/2}, checked through the
    # recursion y = [wht(a) + wht(b), wht(a) - wht(b)] on the two halves
    x = np.random.default_rng(n).standard_normal(1 << n)
    a, b = F.wht(x[: 1 << (n - 1)]), F.wht(x[1 << (n - 1):])
    y = F.wht(x)
    scale = np.max(np.abs(y))
    assert np.max(np.abs(y - np.r_[a + b, a - b])) <= 1e-12 * scale


def test_wht_norm_modes_follow_numpy_fft():
    x = np.random.default_rng(0).standard_normal(64)
    y = naive_wht(x)
    assert np.allclose(F.wht(x), y, rtol=1e-13, atol=0)
    assert np.allclose(F.wht(x, norm="ortho"), y / 8, rtol=1e-13, atol=0)
    assert np.allclose(F.wht(x, norm="forward"), y / 64, rtol=1e-13, atol=0)
    assert np.allclose(F.wht(x, norm=None), y, rtol=1e-13, atol=0)
    for norm in ("backward", "ortho", "forward"):
        assert np.allclose(F.iwht(F.wht(x, norm=norm), norm=norm), x, rtol=0, atol=1e-13)


def test_wht_axis_dtype_out_complex():
    x = np.random.default_rng(1).standard_normal((8, 5))
    assert np.allclose(F.wht(x, axis=0), naive_wht(x.T).T, atol=1e-12)
    f32 = F.wht(x.T.astype(np.float32))
    assert f32.dtype == np.float32
    assert np.allclose(f32, naive_wht(x.T), atol=1e-4)
    out = np.empty((5, 8))
    assert F.wht(x.T, out=out) is out and np.allclose(out, naive_wht(x.T), atol=1e-12)
    z = x.T + 1j * x.T[::-1]
    assert np.allclose(F.wht(z), naive_wht(x.T) + 1j * naive_wht(x.T[::-1]), atol=1e-12)
    assert F.wht(np.arange(4)).dtype == np.float64


def test_wht_bad_input():
    with pytest.raises(ValueError, match="power of two .* got 6"):
        F.wht(np.ones(6))
    with pytest.raises(ValueError, match='norm must be one of "backward", "ortho", "forward"'):
        F.wht(np.ones(4), norm="unitary")
    with pytest.raises(ValueError, match="axis must be an integer in \\[-1, 0\\]; got 1"):
        F.wht(np.ones(4), axis=1)
    with pytest.raises(TypeError, match="dtype"):
        F.wht(np.array(["a", "b"]))


# --- closed forms (O'Donnell, Analysis of Boolean Functions, ch. 2) ---------------------
def test_parity_dictator_majority_closed_forms():
    n = 7
    parity = truth_table(lambda X: X.prod(axis=1), n)
    dictator = truth_table(lambda X: X[:, 2], n)
    maj = truth_table(lambda X: np.sign(X.sum(axis=1)), n)
    c = F.fourier_coefficients(parity)
    assert c[-1] == pytest.approx(1.0) and np.allclose(c[:-1], 0, atol=1e-15)
    assert F.degree(c) == n
    assert F.average_sensitivity(parity) == pytest.approx(n, rel=1e-12)
    rho = 0.3
    # NS of a +-1 function is Pr[f(x) != f(y)] = (1 - Stab)/2 with Stab = rho^n for parity
    assert F.noise_sensitivity(parity, rho) == pytest.approx((1 - rho ** n) / 2, rel=1e-12)
    assert F.noise_stability(parity, rho) == pytest.approx(rho ** n, rel=1e-12)
    assert F.average_sensitivity(dictator) == pytest.approx(1.0)
    assert F.noise_sensitivity(dictator, rho) == pytest.approx((1 - rho) / 2)
    assert F.degree(F.fourier_coefficients(dictator)) == 1
    # Inf_i(Maj_n) = C(n-1, (n-1)/2) / 2^(n-1) for every i
    inf = comb(n - 1, (n - 1) // 2) / 2 ** (n - 1)
    assert np.allclose(F.influences(maj), inf, rtol=1e-12)
    # level-1 weight of Maj_n: n * (C(n-1,(n-1)/2)/2^(n-1))^2
    assert F.level_weights(F.fourier_coefficients(maj))[1] == pytest.approx(n * inf ** 2)


def test_spectral_tail_and_degree():
    t = truth_table(lambda X: X[:, 0] + 0.5 * X[:, 1] * X[:, 2] + 0.25 * X[:, :4].prod(1), 5)
    c = F.fourier_coefficients(t)
    assert F.degree(c) == 4
    assert np.allclose(F.spectral_tail(c, [0, 1, 2, 3, 4, 5]),
                       [1 + 0.25 + 0.0625, 0.3125, 0.0625, 0.0625, 0, 0])
    with pytest.raises(ValueError, match="degree must be integers >= 0"):
        F.spectral_tail(c, -1)


def test_analysis_bad_input():
    with pytest.raises(ValueError, match="length 2\\*\\*n_vars .* got length 12"):
        F.average_sensitivity(np.ones(12))
    t = np.ones(8)
    t[3] = np.nan
    with pytest.raises(ValueError, match="table must be finite; got nan at index 3"):
        F.fourier_coefficients(t)
    with pytest.raises(ValueError, match="rho must be real numbers in \\[-1.0, 1.0\\]; got 1.2"):
        F.noise_sensitivity(np.ones(8), 1.2)
    with pytest.raises(ValueError, match="rho"):
        F.noise_sensitivity(np.ones(8), [0.5, -1.5])


# --- identities, property-based --------------------------------------------------------
@given(tables)
def test_parseval_and_inverse(t):
    c = F.fourier_coefficients(t)
    scale = max(1.0, float(np.mean(t * t)))
    assert abs(np.sum(c * c) - np.mean(t * t)) <= 1e-12 * scale
    assert np.max(np.abs(F.iwht(c, norm="forward") - t)) <= 1e-12 * max(1.0, np.abs(t).max())


@given(tables)
def test_average_sensitivity_identity(t):
    n = t.size.bit_length() - 1
    c = F.fourier_coefficients(t)
    spec = float(popcounts(n) @ (c * c))
    direct = F.average_sensitivity(t)
    assert abs(direct - naive_as(t, n)) <= 1e-12 * max(1.0, direct)
    assert abs(direct - spec) <= 1e-11 * max(1.0, direct)


@given(tables, st.floats(-1, 1))
def test_noise_formula_matches_primal_noise_operator(t, rho):
    # NS = 1/2 (E f^2 - E[f T_rho f]), with T_rho applied coordinate by coordinate
    ns_def = 0.5 * (np.mean(t * t) - np.mean(t * F.noise_operator(t, rho)))
    assert abs(F.noise_sensitivity(t, rho) - ns_def) <= 1e-11 * max(1.0, np.mean(t * t))


@given(st.integers(2, 8), st.floats(-1, 1), st.integers(0, 2**32 - 1))
def test_noise_formula_vs_monte_carlo_definition(n, rho, seed):
    # f takes values in [-1, 1], so each sample (f(x)-f(y))^2/4 lies in [0, 1].
    # Hoeffding: P(|mean - NS| > t) <= 2 exp(-2 m t^2); t below gives failure prob 1e-9.
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(n)
    f = lambda X: np.tanh(X @ w)  # noqa: E731
    m = 40_000
    t_hoeff = np.sqrt(np.log(2 / 1e-9) / (2 * m))
    mc = F.noise_sensitivity_mc(f, n, rho, n_samples=m, rng=seed)
    assert abs(mc.statistic - F.noise_sensitivity(truth_table(f, n), rho)) <= t_hoeff


# --- Monte Carlo for large n -----------------------------------------------------------
def test_monte_carlo_large_n_against_known_spectrum():
    n = 2000
    f = lambda X: X[:, 0] + 0.5 * X[:, 10] * X[:, 1999] + 0.25 * X[:, 5:12].prod(axis=1)  # noqa
    exact_as = 1 + 2 * 0.25 + 7 * 0.0625
    r = F.average_sensitivity_mc(f, n, n_samples=20_000, rng=3)
    assert r.method == "student-t" and r.confidence_level == 0.99
    assert r.confidence_interval.low <= exact_as <= r.confidence_interval.high
    c = F.fourier_coefficient_mc(f, n, [10, 1999], n_samples=20_000, rng=4)
    assert c.confidence_interval.contains(0.5)
    inf = F.influences_mc(f, n, coordinates=[0, 10, 2], n_samples=5000, rng=5)
    # Inf_0 = 1 and Inf_2 = 0 exactly (zero variance); Inf_10 = 0.5^2 + 0.25^2 = 0.3125
    assert inf.confidence_interval.contains(np.array([1.0, 0.3125, 0.0]))
    assert inf.statistic[0] == 1.0 and inf.statistic[2] == 0.0
    ns = F.noise_sensitivity_mc(f, n, 0.8, n_samples=20_000, rng=6)
    exact_ns = 0.5 * ((1 - 0.8) + (1 - 0.8 ** 2) * 0.25 + (1 - 0.8 ** 7) * 0.0625)
    assert ns.confidence_interval.contains(exact_ns)


def test_monte_carlo_boolean_uses_exact_interval_and_bad_input():
    r = F.average_sensitivity_mc(lambda X: np.sign(X[:, :3].sum(axis=1)), 50,
                                 n_samples=5000, rng=0)
    assert r.method == "clopper-pearson"
    assert r.confidence_interval.contains(3 * 0.5)  # Maj_3: each of 3 influences is 1/2
    with pytest.raises(ValueError, match="n_samples must be an integer >= 2; got 1"):
        F.average_sensitivity_mc(lambda X: X[:, 0], 5, n_samples=1)
    with pytest.raises(ValueError, match="subset element must be an integer in \\[0, 4\\]"):
        F.fourier_coefficient_mc(lambda X: X[:, 0], 5, [7])
    with pytest.raises(TypeError, match="func must be callable"):
        F.noise_sensitivity_mc(3, 5, 0.5)


def test_from_weights_helpers_and_bad_input():
    t = truth_table(lambda X: X[:, 0] + 0.5 * X[:, 1] * X[:, 2], 4)
    w = F.level_weights(F.fourier_coefficients(t))
    assert F.noise_sensitivity_from_weights(w, 0.5) == pytest.approx(F.noise_sensitivity(t, 0.5))
    assert F.spectral_tail_from_weights(w, 1) == pytest.approx(0.25)
    with pytest.raises(ValueError, match="weights must be real numbers in \\[0.0, inf\\)"):
        F.spectral_tail_from_weights([1.0, -0.5], 0)


@given(st.integers(1, 11), st.floats(-3, 3), st.floats(-3, 3), st.integers(0, 10**6))
def test_influences_of_two_valued_tables_match_the_definition(n, a, b, seed):
    # the bit-packed path (n >= 6, exactly two values) and the float path (otherwise)
    # against Inf_i = E[(f(x) - f(x^i))^2] / 4 written out; counts are exact integers, so
    # only the final scaling rounds
    t = np.where(np.random.default_rng(seed).random(1 << n) < 0.5, a, b)
    idx = np.arange(1 << n)
    ref = [0.25 * np.mean((t - t[idx ^ (1 << i)]) ** 2) for i in range(n)]
    np.testing.assert_allclose(F.influences(t), ref, rtol=1e-12, atol=1e-15)


def test_batch_axis_matches_one_table_at_a_time():
    rng = np.random.default_rng(3)
    T = rng.standard_normal((5, 2, 1 << 7))
    got = F.average_sensitivity(T, axis=-1)
    assert got.shape == (5, 2)
    ref = np.array([[F.average_sensitivity(T[i, j]) for j in range(2)] for i in range(5)])
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    np.testing.assert_allclose(F.influences(np.moveaxis(T, -1, 0), axis=0),
                               F.influences(T), rtol=1e-12)


@pytest.mark.parametrize("shape, axis, dtype", [
    ((2,), -1, np.float64), ((1 << 10,), -1, np.float64),
    ((1 << 18,), -1, np.float64), ((1 << 17,), -1, np.float32),     # two levels
    ((1 << 21,), -1, np.float64),                                   # two factors across rows
    ((6, 64), -1, np.float64), ((64, 6), 0, np.float64)])
def test_wht_in_place_equals_out_of_place(shape, axis, dtype):
    # out=x transforms x in place (no second array of its size when x is contiguous along
    # axis); bit for bit the out-of-place result
    x = np.random.default_rng(len(shape)).standard_normal(shape).astype(dtype)
    want = F.wht(x, axis=axis, norm="ortho")
    assert F.wht(x, axis=axis, norm="ortho", out=x) is x
    np.testing.assert_array_equal(x, want)


@pytest.mark.parametrize("n", [1, 5, 6, 16, 17, 20])
@pytest.mark.parametrize("values", [(-1.0, 1.0), (1.0, -1.0), (0.0, 1.0), (3.0, -5.0)])
def test_two_valued_spectrum_by_float32_is_the_float64_transform_bitwise(n, values):
    # the 0/1 indicator's transform is integer at every step, so float32 holds it exactly
    rng = np.random.default_rng(n)
    t = np.where(rng.random(1 << n) < 0.3, values[1], values[0])
    t[0], t[-1] = values          # both values present
    got, want = F.fourier_coefficients(t), F.wht(t, norm="forward")
    np.testing.assert_array_equal(got.view(np.int64), want.view(np.int64))    # -0.0 too


def test_two_valued_spectrum_of_other_values_and_refusals():
    t = np.where(np.random.default_rng(0).random(1 << 12) < 0.5, 0.7, 0.1)
    np.testing.assert_allclose(F.fourier_coefficients(t), naive_wht(t) / t.size, atol=1e-15)
    for bad in (np.nan, np.inf, -np.inf):
        t = np.ones(64)
        t[3] = bad
        with pytest.raises(ValueError, match="table must be finite; got"):
            F.fourier_coefficients(t)
