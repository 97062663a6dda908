import numpy as np
import pytest

from pactools import MemoryBudgetError
from pactools.hypercube import chi, cube, popcounts, sample_noisy, sample_uniform, truth_table


def test_cube_convention_bit0_least_significant():
    X = cube(3)
    for i in range(8):
        for j in range(3):
            assert X[i, j] == 1 - 2 * ((i >> j) & 1)
    # flipping coordinate j is index ^ (1 << j)
    for j in range(3):
        assert np.array_equal(X[np.arange(8) ^ (1 << j)][:, j], -X[:, j])


def test_chi_is_parity_of_popcount():
    X = cube(4).astype(float)
    for T in range(16):
        expected = (-1.0) ** np.array([bin(i & T).count("1") for i in range(16)])
        assert np.array_equal(chi(T, X), expected)
    assert np.array_equal(chi([0, 2], X), chi(0b101, X))


def test_truth_table_chunks_match_direct_evaluation():
    w = np.arange(1, 18, dtype=float)
    t = truth_table(lambda X: X @ w, 17)          # 2**17 rows: several chunks
    idx = np.array([0, 1, 12345, 2**17 - 1])
    assert np.array_equal(t[idx], cube(17)[idx].astype(float) @ w)


def test_popcounts():
    assert popcounts(3).tolist() == [0, 1, 1, 2, 1, 2, 2, 3]


def test_noise_flip_rate_within_binomial_interval():
    # each entry flips with probability (1-rho)/2; with 10**6 entries the
    # frequency lies within 5 standard deviations (failure prob < 1e-6)
    rho, m = 0.6, 10**6
    X = sample_uniform(m, 1, rng=1)
    Y = sample_noisy(X, rho, rng=2)
    q = (1 - rho) / 2
    freq = np.mean(X != Y)
    assert abs(freq - q) <= 5 * np.sqrt(q * (1 - q) / m)
    assert set(np.unique(X)) == {-1.0, 1.0}


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="n_vars must be an integer in \\[1, 62\\]; got 0"):
        cube(0)
    with pytest.raises(TypeError, match="n_vars must be an integer"):
        truth_table(lambda X: X[:, 0], 3.0)
    with pytest.raises(ValueError, match="rho must be a real number in \\[-1.0, 1.0\\]; got 1.5"):
        sample_noisy(np.ones(3), 1.5)
    with pytest.raises(ValueError, match="func must return one value per row"):
        truth_table(lambda X: X, 3)


def test_memory_refused_with_estimate():
    with pytest.raises(MemoryBudgetError, match=r"needs about 8.0 TiB"):
        truth_table(lambda X: X[:, 0], 40)
    with pytest.raises(MemoryBudgetError, match="budget"):
        cube(30)
