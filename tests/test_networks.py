"""pactools.networks: evaluation, certificates (exact against brute force), constructions."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pactools import fourier, networks
from pactools.hypercube import cube


def _brute(net):
    X = cube(net.n_vars).astype(float)
    Z = X @ net.weights.T - net.biases
    return X, Z


def test_evaluation_matches_definition():
    rng = np.random.default_rng(0)
    net = networks.SparseReLUNetwork(rng.normal(size=(5, 4)), rng.normal(size=5),
                                     rng.normal(size=5))
    X, Z = _brute(net)
    np.testing.assert_allclose(net(X), np.maximum(Z, 0) @ net.output_weights, rtol=1e-13)
    np.testing.assert_array_equal(net.active_counts(X), (Z > 0).sum(axis=1))
    assert net.max_active(X) == int((Z > 0).sum(axis=1).max())


@given(st.integers(1, 12), st.integers(1, 40), st.integers(0, 10**6))
def test_enumeration_agrees_with_brute_force(n, s, seed):
    rng = np.random.default_rng(seed)
    w = rng.integers(-3, 4, size=(s, n)) / 4.0
    b = rng.integers(-8, 9, size=s) / 4.0 + 1 / 8
    net = networks.SparseReLUNetwork(w, b, rng.normal(size=s))
    _, Z = _brute(net)
    e = networks.enumerate_network(net)
    np.testing.assert_allclose(e.table, np.maximum(Z, 0) @ net.output_weights, atol=1e-12)
    np.testing.assert_allclose(e.active_probability, (Z > 0).mean(axis=0))
    assert e.max_active == int((Z > 0).sum(axis=1).max())
    assert e.min_margin == pytest.approx(float(np.abs(Z).min()), abs=1e-12)


def test_enumeration_splits_large_hidden_layers():
    # n_hidden large enough that the cube is split into low/high blocks
    net = networks.random_sparse_network(12, 512, 2, rng=3)
    _, Z = _brute(net)
    e = networks.enumerate_network(net)
    np.testing.assert_allclose(e.table, np.maximum(Z, 0) @ net.output_weights, atol=1e-9)
    assert e.max_active == int((Z > 0).sum(axis=1).max()) <= 2


@given(st.integers(3, 10), st.integers(2, 12), st.integers(0, 10**6))
def test_pairwise_certificate_is_sound(n, s, seed):
    """Whenever the pairwise certificate claims k-sparsity, enumeration confirms it."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(s, n))
    b = rng.uniform(0.3, 1.2, size=s) * np.abs(w).sum(axis=1)
    net = networks.SparseReLUNetwork(w, b, np.ones(s))
    cert = networks.certify_pairwise(net, 1)
    exact = networks.enumerate_network(net).max_active
    assert exact <= cert.max_active
    if cert.holds:
        assert exact <= 1


def test_certificates_refuse_dense_network():
    par = networks.parity_network(8)
    X = cube(8).astype(float)
    np.testing.assert_allclose(par(X), np.prod(X, axis=1), atol=1e-9)
    ex = networks.certify_exhaustive(par, 1)
    assert not ex.holds and ex.max_active == par.n_hidden
    assert not networks.certify_pairwise(par, 1).holds


def test_certificate_refuses_ties():
    # two units, each with pre-activation exactly 0 on half the cube: 1-sparse only by a tie
    net = networks.SparseReLUNetwork([[1.0, 1.0], [1.0, -1.0]], [0.0, 0.0], [1.0, 1.0])
    cert = networks.certify_exhaustive(net, 1)
    assert cert.max_active == 1 and cert.min_margin == 0 and not cert.holds
    assert not networks.certify_on_points(net, cube(2), 1).holds
    # with no more units than k the claim is trivial, ties or not
    assert networks.certify_exhaustive(networks.aligned_network(3, 2), 2).holds


@pytest.mark.parametrize("family", ["gated", "caps"])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_random_sparse_networks_are_sparse_everywhere(family, k):
    net = networks.random_sparse_network(11, 6 * k, k, family=family, rng=k, W=2.0)
    assert net.certificate.holds
    e = networks.enumerate_network(net)
    assert e.max_active <= k and e.min_margin >= networks.TIE_MARGIN
    assert net.W_star == pytest.approx(2.0)
    assert e.active_probability.max() > 0       # not an identically-zero network


def test_canonical_rescaling_keeps_function_and_scale():
    rng = np.random.default_rng(5)
    net = networks.gated_network(8, 2, 2, rng=rng, output="uniform")
    can = net.canonical()
    X = cube(8).astype(float)
    np.testing.assert_allclose(can(X), net(X), atol=1e-12)
    np.testing.assert_array_equal(can.activations(X), net.activations(X))
    assert can.W_star == pytest.approx(net.W_star) and can.B_star == pytest.approx(net.B_star)
    assert np.allclose(np.abs(can.output_weights), 1.0)


def test_junta_and_indexing():
    vals = np.array([1.0, -1, -1, 1, 1, 1, -1, 1])
    net = networks.junta_network(vals, 6, [1, 3, 4])
    X = cube(6).astype(float)
    idx = ((1 - X[:, [1, 3, 4]]) // 2).astype(int) @ np.array([1, 2, 4])
    np.testing.assert_array_equal(net(X), vals[idx])
    assert net.W_star == pytest.approx(np.sqrt(3)) and net.B_star == 2
    ind = networks.indexing_network(2)
    Z = cube(6).astype(float)
    a = ((1 - Z[:, :2]) // 2).astype(int) @ np.array([1, 2])
    np.testing.assert_array_equal(ind(Z), 0.5 * Z[np.arange(64), 2 + a] + 0.5)


def test_lifted_parity_corrected_and_literal():
    m = 4
    Y = cube(m).astype(float)
    Xl = networks.lift_parity_inputs(Y)
    for S in ([0], [0, 2], [1, 2, 3], [0, 1, 2, 3]):
        net = networks.lifted_parity_network(m, S)
        np.testing.assert_allclose(net(Xl), networks.parity_indicator(Y, S), atol=1e-12)
        assert net.max_active(Xl) <= 1
        assert np.ptp(networks.paper_parity_literal(Y, S)) == 0
    bad = networks.lifted_parity_network(m, [0, 2], paper_support=True)
    assert np.abs(bad(Xl) - networks.parity_indicator(Y, [0, 2])).max() > 0.5


def test_aligned_network_attains_k2():
    for k in (1, 3, 5):
        net = networks.aligned_network(4, k)
        table = networks.enumerate_network(net).table
        assert fourier.average_sensitivity(table) == pytest.approx(k ** 2 * net.W_star ** 2)


def test_peres_identity_small():
    net = networks.gated_network(8, 2, 1, support=3, rng=2)
    table = networks.enumerate_network(net).table
    out = networks.peres_samples(net, 4, 3000, rng=0)
    from pactools.stats import mean_estimate
    est = mean_estimate(out["as_over_r"], 0.999)
    assert est.confidence_interval.contains(fourier.noise_sensitivity(table, 0.5))
    assert out["max_active"] <= 1


@pytest.mark.parametrize("bad, msg", [
    ({"weights": np.ones((2, 3)), "biases": np.ones(3), "output_weights": np.ones(2)},
     "biases"),
    ({"weights": np.ones((2, 3)), "biases": np.ones(2), "output_weights": np.ones(3)},
     "output_weights"),
    ({"weights": [[np.nan, 1.0]], "biases": [0.0], "output_weights": [1.0]}, "finite"),
])
def test_bad_network_input(bad, msg):
    with pytest.raises(ValueError, match=msg):
        networks.SparseReLUNetwork(**bad)


def test_bad_constructor_input():
    with pytest.raises(ValueError, match="n_gate"):
        networks.gated_network(4, 4, 1)
    with pytest.raises(ValueError, match="multiple of n_active"):
        networks.random_sparse_network(10, 7, 2)
    with pytest.raises(ValueError, match="X must have shape"):
        networks.aligned_network(3, 1)(np.ones((2, 4)))
    with pytest.raises(ValueError, match="n_vars"):
        networks.enumerate_network(networks.aligned_network(30, 1))
