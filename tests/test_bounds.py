import numpy as np
import pytest
import sympy as sp

from pactools import bounds


def test_values_match_formulas():
    # Claim 1 at a dictator: NS = (1-rho)/2, tail above degree 1 = 0 <= bound
    assert bounds.claim_1_tail_bound(0.25, 0.5, 1) == pytest.approx(1.0)
    assert bounds.claim_1_tail_bound(0.1, 0.9, 2) == pytest.approx(0.2 / (1 - 0.81))
    assert bounds.tail_bound_from_average_sensitivity(3.0, 2) == pytest.approx(1.0)
    assert bounds.noise_sensitivity_bound_from_average_sensitivity(2.0, 0.5) == 0.5
    assert bounds.kos_tail_bound(1.0) == pytest.approx(2 / (1 - np.exp(-2)))
    p, n = 1e-3, 400
    assert bounds.lemma_2_1_rate(p, n) == pytest.approx(p * np.sqrt(n * np.log(1e3)))
    assert bounds.lemma_2_1_explicit(p, n) == pytest.approx(
        bounds.lemma_2_1_rate(p, n) / np.sqrt(2))


def test_vectorised():
    out = bounds.lemma_2_1_explicit(np.array([0.5, 0.1]), np.array([10, 1000]))
    assert out.shape == (2,)
    assert np.all(np.diff(bounds.claim_1_tail_bound(0.2, 0.9, np.arange(1, 6))) < 0)


def test_sympy_forms_agree_with_numeric():
    expr = bounds.lemma_2_1_explicit.formula.rhs
    sym = {s.name: s for s in expr.free_symbols}
    val = float(expr.subs({sym["p"]: 0.01, sym["n"]: 50}))
    assert val == pytest.approx(bounds.lemma_2_1_explicit(0.01, 50))
    assert "Lemma 2.1" in bounds.lemma_2_1_rate.reference
    assert isinstance(bounds.formula_latex(bounds.claim_1_tail_bound), str)
    assert isinstance(bounds.claim_1_tail_bound.formula, sp.Basic)


def test_domains_refused_with_names():
    with pytest.raises(ValueError, match=r"rho must be real numbers in \[0.0, 1.0\); got 1.0"):
        bounds.claim_1_tail_bound(0.1, 1.0, 2)
    with pytest.raises(ValueError, match="degree must be integers >= 1"):
        bounds.claim_1_tail_bound(0.1, 0.5, 0)
    with pytest.raises(ValueError, match=r"p must be real numbers in \(0.0, 1.0\]; got 0.0"):
        bounds.lemma_2_1_explicit(0.0, 10)
    with pytest.raises(ValueError, match="n_vars must be integers >= 1"):
        bounds.lemma_2_1_rate(0.5, 2.5)
    with pytest.raises(ValueError, match="noise_sensitivity must be real numbers"):
        bounds.kos_tail_bound(-1.0)


# ---------------------------------------------------------------- P2 §3 bounds
def test_section_3_bounds_values():
    from pactools import bounds as b
    assert b.lemma_3_2_derived(3, 2.0) == pytest.approx(4 * 9 * 4)
    assert b.lemma_3_2_derived(3, 2.0, k_exponent=1) == pytest.approx(4 * 3 * 4)
    assert b.lemma_3_4_derived(2, 1.0, 0.9) == pytest.approx(2 * 0.1 * 4)
    assert b.peres_rho(4) == pytest.approx(0.5)
    assert b.sup_norm_bound(16, 2, 1.0, 3.0) == pytest.approx(2 * (4 + 3))
    assert b.lemma_3_2_rate(16, 8, 2, 1.0, 0.0) == pytest.approx(16 * 4 * np.log(128))
    assert b.theorem_3_1_degree_derived(1, 1.0, 0.5) == 8
    n, d, C, eps, delta = 10, 2, 3.0, 0.1, 0.05
    assert b.lemma_2_3_sample_size(n, d, C, eps, delta) == pytest.approx(
        100 * 9 * np.log(20) / 0.1)
    assert b.theorem_3_1_sample_size(n, 1, 1.0, 0.0, d, eps, delta) == pytest.approx(
        b.lemma_2_3_sample_size(n, d, np.sqrt(10), eps, delta))
    assert b.lemma_3_2_weighted(2, [0.5, 0.25], [1.0, -2.0], [1.0, 1.0]) == pytest.approx(
        4 * 2 * (0.5 + 0.25 * 4))


@pytest.mark.parametrize("call, msg", [
    (lambda b: b.lemma_3_2_rate(0, 4, 1, 1.0, 1.0), "n_vars"),
    (lambda b: b.lemma_3_2_rate(4, 2, 3, 1.0, 1.0), "n_active must be <= n_hidden"),
    (lambda b: b.lemma_3_4_rate(4, 2, 1, 1.0, 1.0, 1.0), "rho"),
    (lambda b: b.theorem_3_1_degree_derived(1, 1.0, 0.0), "eps"),
    (lambda b: b.lemma_2_3_sample_size(4, 1, 1.0, 0.1, 1.0), "delta"),
    (lambda b: b.peres_rho(1), "n_buckets"),
])
def test_section_3_bounds_refuse_bad_input(call, msg):
    from pactools import bounds as b
    with pytest.raises(ValueError, match=msg):
        call(b)


def test_section_5_bounds():
    from math import comb, log, sqrt
    from pactools import bounds as b
    W, R, B, n, m, s, k = 1.0, 2.0, 0.5, 3, 100, 16, 2
    G = sum(comb(m, i) for i in range(n + 2))
    t = sqrt(2 * log(2 * (n + 1) * k * G * sqrt(m)))
    assert b.rademacher_explicit_bound(n, s, k, W, B, R, m) == pytest.approx(
        (W * R + B) * (t * sqrt(s * k) + 1) / sqrt(m))
    assert b.eq_15_rate(n, s, k, W, B, R, m) == pytest.approx(
        2.5 * sqrt(s * n * k * log(k * m * 2.5)) / 10)
    assert b.conj_5_5_rate(s, k, W, B, R, m) == pytest.approx(2.5 * sqrt(32) / 10)
    assert b.dense_rademacher_bound(s, W, B, R, m) == pytest.approx(2.5 * 16 / 10)
    assert b.lemma_5_2_explicit(2.0, 0.1, 200, 0.05) == pytest.approx(
        0.8 + 40 * sqrt(2 * log(160) / 200))
    with pytest.raises(ValueError, match="n_active"):
        b.eq_15_rate(n, 2, 3, W, B, R, m)


# ---------------------------------------------------------------- P1 bounds
def test_p1_bounds_values_computed_by_hand():
    # k = 2, d = 9, eps = 0.5, L = 2: L sqrt(d) / eps = 12
    assert bounds.theorem_4_1_sample_size(2, 9, 0.5, 2.0) == pytest.approx(2 * 144 * np.log(12))
    assert bounds.theorem_4_1_table_size(2, 9, 0.5, 2.0) == pytest.approx(144.0)
    assert bounds.theorem_4_1_forward_cost(2, 9, 0.5, 2.0) == pytest.approx(18 * np.log(12))
    assert bounds.lemma_4_2_diameter(0.5, 9, 1.5) == pytest.approx(1.0)        # 0.5 * 3 / 1.5
    assert bounds.lemma_4_2_buckets(1, 4, 0.5, 2.0) == pytest.approx(64.0)      # (2*2/0.5)^2
    assert bounds.theorem_4_3_width(2, 16, 0.1, 1.0, 2.0) == pytest.approx(400.0)  # (4/0.2)^2
    assert bounds.theorem_4_3_counting_width(96, bits=32) == 3.0
    assert bounds.eq_1_dense_cost(1, 4, 0.25) == pytest.approx(4 * 16.0)        # 4 * (4/0.25)
    # k = 2, d = 8: sqrt(dk) = 4, eps = 0.5: ratio 8
    assert bounds.theorem_b_1_sample_size(2, 8, 0.5) == pytest.approx(2 * 64 * np.log(8))
    assert bounds.theorem_b_1_table_size(2, 8, 0.5) == pytest.approx(64.0)
    for fn in (bounds.theorem_4_1_sample_size, bounds.lemma_4_2_diameter,
               bounds.theorem_4_3_width, bounds.eq_1_dense_cost, bounds.theorem_b_1_table_size):
        assert fn.reference.startswith("P1 ") and isinstance(fn.formula, sp.Basic)


@pytest.mark.parametrize("call, msg", [
    (lambda: bounds.theorem_4_1_sample_size(3, 2, 0.1), "intrinsic_dim must be <= dim"),
    (lambda: bounds.theorem_4_1_sample_size(1, 4, 2.5), "eps must be < lipschitz"),
    (lambda: bounds.theorem_4_1_table_size(1, 4, 0.0), r"eps must be real numbers in \(0.0"),
    (lambda: bounds.lemma_4_2_diameter(0.5, 4, 0.0), r"sigma_min must be real numbers in \(0.0"),
    (lambda: bounds.theorem_4_3_counting_width(10, bits=0), "bits must be an integer >= 1"),
    (lambda: bounds.theorem_b_1_sample_size(1, 1, 1.5), "eps must be < sqrt"),
])
def test_p1_bounds_refuse_bad_input(call, msg):
    with pytest.raises(ValueError, match=msg):
        call()


@pytest.mark.parametrize("call", [
    lambda b: b.rademacher_explicit_bound(1.0, 2.0, 0.5, 3, 100, 16, 2),
    lambda b: b.eq_15_rate(1.0, 2.0, 0.5, 3, 100, 16, 2),
    lambda b: b.conj_5_5_rate(1.0, 2.0, 0.5, 100, 16, 2),
    lambda b: b.dense_rademacher_bound(1.0, 2.0, 0.5, 100, 16),
    lambda b: b.lemma_3_4_rate(0.9, 16, 8, 2, 1.0, 0.5),
    lambda b: b.lemma_3_4_derived(0.9, 2, 1.0),
    lambda b: b.theorem_3_1_degree(0.1, 16, 8, 2, 1.0, 0.5),
    lambda b: b.theorem_3_1_degree_derived(0.5, 1, 1.0),
    lambda b: b.theorem_3_1_sample_size(0.1, 0.05, 16, 2, 2, 1.0, 0.5),
])
def test_the_previous_argument_orders_are_refused_not_misread(call):
    # the bounds take the class first (n_vars, n_hidden, n_active, W, B), then the data, then
    # the accuracy; a call in the order of pactools <= 0.1 must fail by name, never compute
    from pactools import bounds as b
    with pytest.raises(ValueError, match="must be"):
        call(b)


# Edge values of each argument's domain: the bounds must return a number, 0 or inf there
# (overflow), or refuse by name, but never NaN (a 0 * inf or the log of a number below 1).
_EDGES = {
    "n_vars": [1, 2, 10, 10 ** 4], "n_hidden": [1, 2, 10 ** 6], "n_active": [1, 3, 10 ** 6],
    "n_samples": [1, 100, 10 ** 6], "degree": [0, 1, 20],
    "W": [0.0, 1e-300, 1.0, 1e300], "B": [0.0, 1e-300, 1.0, 1e300], "R": [0.0, 1e-300, 1.0, 1e300],
    "eps": [1e-300, 0.5, 1e300], "delta": [1e-300, 0.5, 1 - 1e-16], "rho": [0.0, 0.5, 1 - 1e-16],
    "sup_norm": [0.0, 1.0, 1e300], "rademacher": [0.0, 1e300], "constant": [1e-300, 1e300],
    "intrinsic_dim": [1, 2, 100], "dim": [1, 3, 10 ** 6], "lipschitz": [1e-300, 1.0, 1e300],
    "bucket_width": [1e-300, 1.0, 1e300], "n_projections": [1, 3, 10 ** 6],
    "sigma_min": [1e-300, 1.0, 1e300], "n_cells": [1, 10 ** 9], "bits": [1, 64],
    "p": [1e-300, 0.5, 1.0], "noise_sensitivity": [0.0, 1e-300, 1.0],
    "average_sensitivity": [0.0, 1e-300, 1e6],
}


@pytest.mark.parametrize("name", ["sup_norm_bound", "lemma_2_3_sample_size", "lemma_3_2_rate",
                                  "lemma_3_2_derived", "lemma_3_4_rate", "lemma_3_4_derived",
                                  "theorem_3_1_degree", "theorem_3_1_sample_size",
                                  "rademacher_explicit_bound", "eq_15_rate", "conj_5_5_rate",
                                  "dense_rademacher_bound", "lemma_5_2_explicit",
                                  "claim_1_tail_bound", "tail_bound_from_average_sensitivity",
                                  "noise_sensitivity_bound_from_average_sensitivity",
                                  "kos_tail_bound", "lemma_2_1_rate", "lemma_2_1_explicit",
                                  "theorem_4_1_sample_size", "theorem_4_1_table_size",
                                  "theorem_4_1_forward_cost", "lemma_4_2_diameter",
                                  "lemma_4_2_buckets", "theorem_4_3_width",
                                  "theorem_4_3_counting_width", "eq_1_dense_cost",
                                  "theorem_b_1_sample_size", "theorem_b_1_table_size"])
def test_no_bound_returns_nan_inside_its_domain(name):
    import inspect
    import itertools
    import warnings
    from pactools import bounds as b
    fn = getattr(b, name)
    names = [p.name for p in inspect.signature(fn).parameters.values() if p.name in _EDGES]
    combos = list(itertools.product(*(_EDGES[p] for p in names)))
    picks = np.random.default_rng(0).permutation(len(combos))[:400]   # a fixed sample of them
    n_values = 0
    for values in (combos[i] for i in picks):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)   # overflow to inf is allowed
                out = fn(**dict(zip(names, values)))
        except ValueError as e:          # refused: by a parameter's name
            assert any(p in str(e) for p in names), str(e)
            continue
        n_values += 1
        assert not np.isnan(out), f"{name}{dict(zip(names, values))} = nan"
    assert n_values > 0


def test_overflow_and_zero_give_zero_or_inf_not_nan():
    from pactools import bounds as b
    # s = 1: the B-term is 0 * log(1) even when B**2 overflows
    assert b.lemma_3_2_rate(4, 1, 1, 0.0, 1e300) == 0.0
    assert b.theorem_3_1_degree(3, 1, 1, 0.0, 1e300, 0.5) == 0.0
    assert b.lemma_2_3_sample_size(10 ** 6, 20, 0.0, 1e-300, 0.5, 1e300) == 0.0
    assert b.lemma_3_2_rate(4, 2, 1, 1e300, 0.0) == np.inf
    # finite values are the direct product, unchanged
    assert b.lemma_3_2_rate(16, 8, 2, 1.0, 0.0) == 16 * np.sqrt(16) * np.log(128)
    with pytest.raises(ValueError, match="n_samples"):
        b.eq_15_rate(10, 1, 1, 1e-8, 0.0, 0.0, 10 ** 6)      # log(k m (R + B)) of 0
