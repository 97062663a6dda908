"""pactools.rademacher: exact oracles, the Monte Carlo estimator, witness validity."""
import numpy as np
import pytest

from pactools import rademacher as R


def test_linear_and_affine_oracles_match_brute_force():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 4))
    Z = (1 - 2 * rng.integers(0, 2, size=(7, 50))).astype(np.float32)
    lin = R.linear_oracle(X, W=2.0)(Z)
    aff = R.affine_oracle(X, W=2.0, B=0.5)(Z)
    for r in range(7):
        g = Z[r] @ X
        assert lin[r] == pytest.approx(2.0 * np.linalg.norm(g) / 50, rel=1e-5)
        assert aff[r] == pytest.approx((2.0 * np.linalg.norm(g) + 0.5 * abs(Z[r].sum())) / 50,
                                       rel=1e-5)


def test_finite_oracle_and_jensen_bound():
    rng = np.random.default_rng(1)
    H = rng.choice([-1.0, 1.0], size=(16, 40))
    Z = (1 - 2 * rng.integers(0, 2, size=(5, 40))).astype(np.float32)
    np.testing.assert_allclose(R.finite_oracle(H)(Z), np.max(Z @ H.T, axis=1) / 40)
    X = R.sample_sphere(400, 6, rng=2)
    est = R.rademacher_mc(R.linear_oracle(X), 400, n_signs=2000, rng=3)
    # Jensen: E||sum zeta x|| <= sqrt(sum ||x||^2) = sqrt(m) for unit vectors
    assert est.confidence_interval.high <= np.sqrt(400) / 400
    assert est.statistic > 0.5 * np.sqrt(400) / 400


@pytest.mark.parametrize("s, k", [(1, 1), (8, 1), (8, 2), (12, 3)])
def test_sparse_witness_is_a_valid_member(s, k):
    rng = np.random.default_rng(s + k)
    X = R.sample_sphere(300, 5, rng=rng)
    z = rng.choice([-1.0, 1.0], size=300)
    w = R.sparse_witness(X, z, s, k, W=1.5, B=0.8, rng=rng)
    net = w.network
    assert w.max_active <= k
    assert np.all(np.linalg.norm(net.weights, axis=1) <= 1.5 + 1e-12)
    assert np.all(np.abs(net.biases) <= 0.8 + 1e-12)
    assert np.all(np.abs(net.output_weights) == 1)
    assert w.value == pytest.approx(np.mean(z * net(X)))
    assert w.value >= 0


def test_refined_witness_keeps_pattern_and_does_not_decrease():
    rng = np.random.default_rng(4)
    X = R.sample_sphere(200, 3, rng=rng)
    z = rng.choice([-1.0, 1.0], size=200)
    w = R.sparse_witness(X, z, 4, 1, W=1.0, B=1.5, rng=rng)
    w2 = R.refine_witness(w, X, z, W=1.0, B=1.5)
    assert w2.value >= w.value - 1e-12 and w2.max_active <= 1


def test_refine_never_trusts_a_failed_or_inaccurate_solve(monkeypatch):
    import cvxpy as cp
    rng = np.random.default_rng(4)
    X = R.sample_sphere(200, 3, rng=rng)
    z = rng.choice([-1.0, 1.0], size=200)
    w = R.sparse_witness(X, z, 4, 1, W=1.0, B=1.5, rng=rng)

    def fail(self, *a, **k):
        raise cp.SolverError("numerical trouble")
    monkeypatch.setattr(cp.Problem, "solve", fail)
    assert R.refine_witness(w, X, z, W=1.0, B=1.5) is w

    def garbage(self, *a, **k):        # "optimal" with values that break the constraints
        for v in self.variables():
            v.value = np.full(v.shape, 5.0)
        return 0.0
    monkeypatch.setattr(cp.Problem, "solve", garbage)
    w3 = R.refine_witness(w, X, z, W=1.0, B=1.5)
    assert w3 is w or (w3.max_active <= 1 and w3.value > w.value)


def test_dense_witness_value():
    rng = np.random.default_rng(5)
    X = R.sample_sphere(100, 4, rng=rng)
    z = rng.choice([-1.0, 1.0], size=100)
    d = R.dense_witness(X, z, 6, W=1.0, B=1.5)
    expect = 6 / 100 * (np.linalg.norm(z @ X) + 1.5 * abs(z.sum()))
    assert d.value == pytest.approx(expect)
    assert d.max_active == 6
