"""Every public callable refuses bad input with an error that names the parameter.

``CASES`` maps each public name (``module.name``) to bad calls: the call, the exception
class, and the parameter name its message must contain (as a word).  ``EXEMPT`` lists the
callables that take no user input worth refusing (result records, exception and warning
classes, zero-argument constructors), each with its reason.  The enumeration test walks
``pactools.__all__`` and every module's ``__all__`` and fails on a callable in neither
table, so a new public function cannot land without its bad-input case.
"""
import importlib
import re

import numpy as np
import pytest

import pactools
from pactools import MemoryBudgetError, NotFittedError

MODULES = ("bounds", "fourier", "hypercube", "stats", "dense", "hardfamily", "lowdegree", "lsh",
           "networks", "rademacher", "regression", "sparse_models", "targets", "statement",
           "calibration", "executors", "cache", "report")

nan = float("nan")
X4 = np.array([[1, -1, 1, -1], [-1, -1, 1, 1], [1, 1, 1, 1], [-1, 1, -1, 1],
               [1, 1, -1, -1], [-1, 1, 1, -1]], dtype=np.float64)
HALF = np.full((2, 4), 0.5)
U2 = np.eye(4)[:, :2]                    # orthonormal 4 x 2 basis
SKEW = np.array([[1.0, 1.0], [0.0, 1.0], [0.0, 0.0], [0.0, 0.0]])  # not orthonormal
XR = np.random.default_rng(0).uniform(-1, 1, size=(40, 3))
YR = XR[:, 0] ** 2


def _net():
    from pactools.networks import aligned_network
    return aligned_network(4, 1)


def _lsh():
    from pactools.lsh import EuclideanLSH
    return EuclideanLSH(4, 2, 0.5, rng=0)


def _mc():
    from pactools.stats import mean_estimate
    return mean_estimate(np.arange(1.0, 11.0))


def _fit(est, X=XR, y=YR):
    return lambda: est().fit(X, y)


def _witness():
    from pactools.rademacher import sparse_witness
    return sparse_witness(XR, np.where(np.arange(40) % 3, 1.0, -1.0), 2, rng=0)


def _statement(**kw):
    from pactools.statement import Statement, Sweep, claim, control, rules
    base = dict(id="user:x", paper="p", item="i", title="t", text="t",
                sweeps=[Sweep("s", lambda rng, a: {"v": a}, grid=lambda r: [{"a": 1}])],
                checks=[claim("c", rules.inequality("v", 2)),
                        control("k", rules.inequality("v", 0))])
    base.update(kw)
    return Statement(**base)


def B(mod, name):
    return getattr(importlib.import_module(f"pactools.{mod}"), name)


def bounds(name, *a, **k):
    return lambda: B("bounds", name)(*a, **k)


def fourier(name, *a, **k):
    return lambda: B("fourier", name)(*a, **k)


f3 = lambda X: X[:, 0] * X[:, 1]          # noqa: E731

V = ValueError
T = TypeError

CASES = {
    # ------------------------------------------------------------------ bounds
    "bounds.claim_1_tail_bound": [(bounds("claim_1_tail_bound", 0.1, 1.5, 2), V, "rho"),
                                  (bounds("claim_1_tail_bound", nan, 0.1, 2), V,
                                   "noise_sensitivity")],
    "bounds.tail_bound_from_average_sensitivity": [
        (bounds("tail_bound_from_average_sensitivity", -1.0, 2), V, "average_sensitivity"),
        (bounds("tail_bound_from_average_sensitivity", 1.0, -1), V, "degree")],
    "bounds.noise_sensitivity_bound_from_average_sensitivity": [
        (bounds("noise_sensitivity_bound_from_average_sensitivity", 1.0, -0.1), V, "rho")],
    "bounds.kos_tail_bound": [(bounds("kos_tail_bound", nan), V, "noise_sensitivity")],
    "bounds.lemma_2_1_rate": [(bounds("lemma_2_1_rate", 1.5, 10), V, "p")],
    "bounds.lemma_2_1_explicit": [(bounds("lemma_2_1_explicit", 0.1, 0), V, "n_vars")],
    "bounds.formula_latex": [(bounds("formula_latex", 3), T, "fn")],
    "bounds.sup_norm_bound": [(bounds("sup_norm_bound", 10, -1, 1.0, 1.0), V, "n_active"),
                              (bounds("sup_norm_bound", 10, 2, nan, 1.0), V, "W")],
    "bounds.lemma_2_3_sample_size": [
        (bounds("lemma_2_3_sample_size", 10, 2, 1.0, 0.0, 0.1), V, "eps"),
        (bounds("lemma_2_3_sample_size", 10, 2, 1.0, 0.1, 1.5), V, "delta")],
    "bounds.lemma_3_2_rate": [(bounds("lemma_3_2_rate", 10, 5, 2, -1.0, 1.0), V, "W")],
    "bounds.lemma_3_2_derived": [(bounds("lemma_3_2_derived", 2, nan), V, "W")],
    "bounds.lemma_3_2_weighted": [
        (bounds("lemma_3_2_weighted", 2, [0.5, 1.5], [1, 1], [1, 1]), V, "active_probability"),
        (bounds("lemma_3_2_weighted", 2, [0.5, 0.5], [1, 1, 1], [1, 1]), V, "output_weights")],
    "bounds.lemma_3_4_rate": [(bounds("lemma_3_4_rate", 10, 5, 2, 1.0, 1.0, 1.0), V, "rho")],
    "bounds.lemma_3_4_derived": [(bounds("lemma_3_4_derived", 2, 1.0, 2.0), V, "rho")],
    "bounds.peres_rho": [(bounds("peres_rho", 0), V, "n_buckets")],
    "bounds.theorem_3_1_degree": [(bounds("theorem_3_1_degree", 10, 5, 2, 1.0, 1.0, 0.0), V,
                                   "eps")],
    "bounds.theorem_3_1_degree_derived": [(bounds("theorem_3_1_degree_derived", 2, 1.0, -1.0),
                                           V, "eps")],
    "bounds.theorem_3_1_sample_size": [
        (bounds("theorem_3_1_sample_size", 10, 2, 1.0, 1.0, 2, 0.1, 0.0), V, "delta")],
    "bounds.rademacher_explicit_bound": [
        (bounds("rademacher_explicit_bound", 10, 5, 2, 1.0, 1.0, 1.0, 0), V, "n_samples")],
    "bounds.eq_15_rate": [(bounds("eq_15_rate", 10, 5, 1, 1.0, 1.0, -1.0, 100), V, "R")],
    "bounds.conj_5_5_rate": [(bounds("conj_5_5_rate", 0, 1, 1.0, 1.0, 1.0, 100), V, "n_hidden")],
    "bounds.dense_rademacher_bound": [(bounds("dense_rademacher_bound", 5, 1.0, nan, 1.0, 100),
                                       V, "B")],
    "bounds.lemma_5_2_explicit": [(bounds("lemma_5_2_explicit", 1.0, 0.1, 100, 1.0), V,
                                   "delta")],
    "bounds.theorem_4_1_sample_size": [(bounds("theorem_4_1_sample_size", 0, 10, 0.1), V,
                                        "intrinsic_dim")],
    "bounds.theorem_4_1_table_size": [(bounds("theorem_4_1_table_size", 2, 10, 0.0), V, "eps")],
    "bounds.theorem_4_1_forward_cost": [
        (bounds("theorem_4_1_forward_cost", 2, 10, 0.1, lipschitz=0.0), V, "lipschitz")],
    "bounds.lemma_4_2_diameter": [(bounds("lemma_4_2_diameter", 0.0, 3, 0.5), V, "bucket_width"),
                                  (bounds("lemma_4_2_diameter", 0.1, 3, -1.0), V, "sigma_min")],
    "bounds.lemma_4_2_buckets": [(bounds("lemma_4_2_buckets", 2, 10, -1.0), V, "bucket_width")],
    "bounds.theorem_4_3_width": [(bounds("theorem_4_3_width", 2, 10, nan), V, "eps")],
    "bounds.theorem_4_3_counting_width": [(bounds("theorem_4_3_counting_width", 0), V,
                                           "n_cells")],
    "bounds.eq_1_dense_cost": [(bounds("eq_1_dense_cost", 2, 10, 0.0), V, "eps")],
    "bounds.theorem_b_1_sample_size": [(bounds("theorem_b_1_sample_size", 2, 10, 0.0), V, "eps")],
    "bounds.theorem_b_1_table_size": [(bounds("theorem_b_1_table_size", 0, 10, 0.1), V,
                                       "intrinsic_dim")],
    "bounds.zero_bias_floor_hypercube": [(bounds("zero_bias_floor_hypercube", [1.0, 2.0, 3.0]),
                                          V, "coeffs")],
    "bounds.zero_bias_floor_polynomial": [
        (bounds("zero_bias_floor_polynomial", [[1.5]], [1.0]), V, "exponents"),
        (bounds("zero_bias_floor_polynomial", [[1]], [1.0, 2.0]), V, "coefs")],
    "bounds.zero_bias_floor_quadrature": [(bounds("zero_bias_floor_quadrature", f3, 0, 1), V,
                                           "dim")],
    "bounds.zero_bias_floor_mc": [(bounds("zero_bias_floor_mc", f3, 2, 10), V, "n_samples"),
                                  (bounds("zero_bias_floor_mc", f3, 2, 1000, n_batches=1), V,
                                   "n_batches")],
    # ----------------------------------------------------------------- fourier
    "fourier.wht": [(fourier("wht", np.ones(3)), V, "x"),
                    (fourier("wht", np.ones(4), norm="bad"), V, "norm")],
    "fourier.iwht": [(fourier("iwht", np.ones(6)), V, "x")],
    "fourier.fourier_coefficients": [(fourier("fourier_coefficients", np.ones(5)), V, "table")],
    "fourier.degree": [(fourier("degree", np.ones(3)), V, "coeffs"),
                       (fourier("degree", np.ones(4), atol=-1.0), V, "atol")],
    "fourier.level_weights": [(fourier("level_weights", [nan, 1.0]), V, "coeffs")],
    "fourier.spectral_tail": [(fourier("spectral_tail", np.ones(4), -1), V, "degree")],
    "fourier.spectral_tail_from_weights": [(fourier("spectral_tail_from_weights", [1.0, -1.0], 0),
                                            V, "weights")],
    "fourier.noise_sensitivity_from_weights": [
        (fourier("noise_sensitivity_from_weights", [1.0, 1.0], 2.0), V, "rho")],
    "fourier.influences": [(fourier("influences", np.ones(3)), V, "table")],
    "fourier.average_sensitivity": [(fourier("average_sensitivity", [1.0, nan]), V, "table")],
    "fourier.noise_sensitivity": [(fourier("noise_sensitivity", np.ones(4), -1.5), V, "rho")],
    "fourier.noise_stability": [(fourier("noise_stability", np.ones(4), 1.5), V, "rho")],
    "fourier.noise_operator": [(fourier("noise_operator", np.ones(4), nan), V, "rho")],
    "fourier.average_sensitivity_mc": [
        (fourier("average_sensitivity_mc", f3, 3, n_samples=0), V, "n_samples"),
        (fourier("average_sensitivity_mc", f3, 3, batch_size=0), V, "batch_size"),
        (fourier("average_sensitivity_mc", lambda X: np.full(len(X), nan), 3), V, "func")],
    "fourier.influences_mc": [(fourier("influences_mc", f3, 3, coordinates=[5]), V,
                               "coordinates")],
    "fourier.noise_sensitivity_mc": [(fourier("noise_sensitivity_mc", f3, 3, 2.0), V, "rho")],
    "fourier.fourier_coefficient_mc": [(fourier("fourier_coefficient_mc", f3, 3, [7]), V,
                                        "subset")],
    # --------------------------------------------------------------- hypercube
    "hypercube.cube": [(lambda: B("hypercube", "cube")(-1), V, "n_vars"),
                       (lambda: B("hypercube", "cube")(40), MemoryBudgetError, "max_bytes")],
    "hypercube.truth_table": [(lambda: B("hypercube", "truth_table")(3, 2), T, "func"),
                              (lambda: B("hypercube", "truth_table")(f3, -1), V, "n_vars")],
    "hypercube.sample_uniform": [(lambda: B("hypercube", "sample_uniform")(-1, 3), V,
                                  "n_samples")],
    "hypercube.sample_noisy": [(lambda: B("hypercube", "sample_noisy")(HALF, 0.5), V, "X"),
                               (lambda: B("hypercube", "sample_noisy")(X4, 2.0), V, "rho")],
    "hypercube.chi": [(lambda: B("hypercube", "chi")([5], X4), V, "subset"),
                      (lambda: B("hypercube", "chi")([0], HALF), V, "X")],
    "hypercube.popcounts": [(lambda: B("hypercube", "popcounts")(-1), V, "n_vars")],
    # ------------------------------------------------------------------- stats
    "stats.clopper_pearson": [(lambda: B("stats", "clopper_pearson")(5, 3), V, "successes"),
                              (lambda: B("stats", "clopper_pearson")(1, 3, 1.5), V,
                               "confidence_level")],
    "stats.mean_estimate": [(lambda: B("stats", "mean_estimate")([1.0]), V, "samples"),
                            (lambda: B("stats", "mean_estimate")([nan, 1.0]), V, "samples")],
    "stats.fit_loglog_slope": [(lambda: B("stats", "fit_loglog_slope")([1, 2, 3], [1, -1, 2]), V,
                                "y")],
    "stats.check_inequality": [(lambda: B("stats", "check_inequality")([1.0, nan], [1.0, 1.0]), V,
                                "measured")],
    "stats.check_identity": [(lambda: B("stats", "check_identity")(nan, 1.0), V, "measured")],
    "stats.check_mc_upper": [(lambda: B("stats", "check_mc_upper")(_mc(), nan), V, "bound")],
    "stats.check_mc_contains": [(lambda: B("stats", "check_mc_contains")(3.0, 1.0), T, "result")],
    "stats.check_upper_rate": [
        (lambda: B("stats", "check_upper_rate")([1, 2, 4], [1, 2, 3], [1, 2, 3], c_max=-1.0), V,
         "c_max")],
    "stats.check_rate_exponent": [
        (lambda: B("stats", "check_rate_exponent")([1, 2, 4], [1, 2, 3], 1.0,
                                                   direction="sideways"), V, "direction")],
    "stats.check_probability": [(lambda: B("stats", "check_probability")(5, 3, 0.5), V,
                                 "successes"),
                                (lambda: B("stats", "check_probability")(1, 3, 2.0), V, "p0")],
    "stats.combine_outcomes": [(lambda: B("stats", "combine_outcomes")({}, worst="bad"), V,
                                "worst")],
    # ------------------------------------------------------------------- dense
    "dense.RandomReLUFeatures": [(lambda: B("dense", "RandomReLUFeatures")(0, 5), V, "dim")],
    "dense.linf_fit": [(lambda: B("dense", "linf_fit")(np.ones((3, 2)), np.ones(4)), V,
                        "targets"),
                       (lambda: B("dense", "linf_fit")(np.ones((3, 2)), np.ones(3),
                                                       solver="bad"), V, "solver")],
    "dense.min_width": [(lambda: B("dense", "min_width")(B("dense", "RandomReLUFeatures")(
        3, 8, rng=0), XR, YR, 0.0), V, "eps"),
                        (lambda: B("dense", "min_width")(B("dense", "RandomReLUFeatures")(
                            3, 8, rng=0), XR, YR, 0.1, guess=0), V, "guess"),
                        (lambda: B("dense", "min_width")(B("dense", "RandomReLUFeatures")(
                            3, 8, rng=0), XR, YR, 0.1, solver="bad"), V, "solver")],
    # -------------------------------------------------------------- hardfamily
    "hardfamily.BumpFamily": [(lambda: B("hardfamily", "BumpFamily")(10, 20, 0.1), V,
                               "intrinsic_dim"),
                              (lambda: B("hardfamily", "BumpFamily")(10, 2, 0.0), V, "eps")],
    "hardfamily.CosineFamily": [(lambda: B("hardfamily", "CosineFamily")(0, 4), V,
                                 "intrinsic_dim")],
    "hardfamily.coupon_all_hit_probability": [
        (lambda: B("hardfamily", "coupon_all_hit_probability")(10, 0, 0.5), V, "n_cells")],
    "hardfamily.polytope_volume": [(lambda: B("hardfamily", "polytope_volume")(np.ones((4, 2))), V,
                                    "basis")],
    # --------------------------------------------------------------- lowdegree
    "lowdegree.n_monomials": [(lambda: B("lowdegree", "n_monomials")(-1, 2), V, "n_vars")],
    "lowdegree.monomial_subsets": [(lambda: B("lowdegree", "monomial_subsets")(70, 2), V,
                                    "n_vars")],
    "lowdegree.monomial_features": [(lambda: B("lowdegree", "monomial_features")(X4, -1), V,
                                     "degree"),
                                    (lambda: B("lowdegree", "monomial_features")(
                                        np.array([[1.0, nan]]), 1), V, "X")],
    "lowdegree.LowDegreeRegressor": [
        (lambda: B("lowdegree", "LowDegreeRegressor")(degree=-1).fit(X4, np.ones(6)), V,
         "degree"),
        (lambda: B("lowdegree", "LowDegreeRegressor")(method="bad").fit(X4, np.ones(6)), V,
         "method"),
        (lambda: B("lowdegree", "LowDegreeRegressor")().predict(X4), NotFittedError,
         "LowDegreeRegressor"),
        (lambda: B("lowdegree", "LowDegreeRegressor")().fit(0.5 * X4, np.ones(6)), V, "X"),
        (lambda: B("lowdegree", "LowDegreeRegressor")().fit(X4, np.full(6, nan)), V, "y"),
        (lambda: B("lowdegree", "LowDegreeRegressor")(degree=5).fit(X4, np.ones(6)), V,
         "degree"),
        # int64 subset masks hold at most 62 variables: a wider X is refused, not overflowed
        (lambda: B("lowdegree", "LowDegreeRegressor")(degree=1).fit(
            np.ones((4, 70)), np.ones(4)), V, "X")],
    "lowdegree.population_error": [
        (lambda: B("lowdegree", "population_error")(np.ones(3), [0, 1], np.ones(4)), V, "coef")],
    # --------------------------------------------------------------------- lsh
    "lsh.EuclideanLSH": [(lambda: B("lsh", "EuclideanLSH")(3, 2, 0.0), V, "bucket_width")],
    "lsh.SignLSH": [(lambda: B("lsh", "SignLSH")(3, 0), V, "n_bits")],
    "lsh.LSHRegressor": [
        (lambda: B("lsh", "LSHRegressor")(n_projections=0).fit(XR, YR), V, "n_projections"),
        (lambda: B("lsh", "LSHRegressor")(bucket_width=0.5).fit(XR, np.r_[YR[:-1], nan]), V,
         "y"),
        (lambda: B("lsh", "LSHRegressor")().predict(XR), NotFittedError, "LSHRegressor")],
    "lsh.RandomHashRouter": [(lambda: B("lsh", "RandomHashRouter")(0), V, "n_buckets")],
    "lsh.certified_lsh": [(lambda: B("lsh", "certified_lsh")(4, 2, 0.1, SKEW), V, "basis")],
    "lsh.compact_ids": [(lambda: B("lsh", "compact_ids")(np.array([[0.5, 1.5]])), V, "codes")],
    "lsh.bucket_counts": [(lambda: B("lsh", "bucket_counts")([_lsh()], X4, [0.0]), V,
                           "bucket_widths")],
    "lsh.bucket_sizes": [(lambda: B("lsh", "bucket_sizes")(np.array([0.5])), V, "ids")],
    "lsh.max_bucket_distance": [(lambda: B("lsh", "max_bucket_distance")(X4, np.zeros(3, int)), V,
                                 "ids")],
    "lsh.certified_diameter": [(lambda: B("lsh", "certified_diameter")(_lsh(), np.eye(3)[:, :2]),
                                V, "basis")],
    "lsh.bucket_polytope_diameter": [
        (lambda: B("lsh", "bucket_polytope_diameter")(_lsh(), U2, [0, 0, 0]), V, "code")],
    "lsh.sigma_k": [(lambda: B("lsh", "sigma_k")(np.ones(3)), V, "M")],
    # ---------------------------------------------------------------- networks
    "networks.SparseReLUNetwork": [
        (lambda: B("networks", "SparseReLUNetwork")([np.full((2, 4), nan)], [np.zeros(2)],
                                                    np.ones(2)), V, "weights"),
        (lambda: _net()(HALF[:, :3]), V, "X")],
    "networks.enumerate_network": [(lambda: B("networks", "enumerate_network")(3), T, "network")],
    "networks.certify_exhaustive": [(lambda: B("networks", "certify_exhaustive")(_net(), -1), V,
                                     "n_active")],
    "networks.certify_pairwise": [(lambda: B("networks", "certify_pairwise")(_net(), -1), V,
                                   "n_active")],
    "networks.certify_on_points": [(lambda: B("networks", "certify_on_points")(_net(), HALF[:, :3], 1),
                                    V, "X")],
    "networks.junta_network": [(lambda: B("networks", "junta_network")(np.ones(3), 4), V,
                                "truth_values")],
    "networks.indexing_network": [(lambda: B("networks", "indexing_network")(0), V,
                                   "address_bits")],
    "networks.gated_network": [(lambda: B("networks", "gated_network")(4, 5, 1), V, "n_gate")],
    "networks.hamming_caps_network": [(lambda: B("networks", "hamming_caps_network")(4, 0, 1), V,
                                       "n_caps")],
    "networks.lift_parity_inputs": [(lambda: B("networks", "lift_parity_inputs")(HALF), V, "Y")],
    "networks.lifted_parity_network": [(lambda: B("networks", "lifted_parity_network")(0, [0]), V,
                                        "m")],
    "networks.parity_indicator": [(lambda: B("networks", "parity_indicator")(X4, [9]), V,
                                   "subset")],
    "networks.paper_parity_literal": [(lambda: B("networks", "paper_parity_literal")(HALF, [0]),
                                       V, "Y")],
    "networks.aligned_network": [(lambda: B("networks", "aligned_network")(0, 1), V, "n_vars")],
    "networks.parity_network": [(lambda: B("networks", "parity_network")(3, n_parity=5), V,
                                 "n_parity")],
    "networks.random_sparse_network": [
        (lambda: B("networks", "random_sparse_network")(8, 4, 1, family="bad"), V, "family"),
        (lambda: B("networks", "random_sparse_network")(30, 2 ** 20, 1), V, "n_hidden")],
    # -------------------------------------------------------------- rademacher
    "rademacher.rademacher_mc": [
        (lambda: B("rademacher", "rademacher_mc")(B("rademacher", "linear_oracle")(X4), 7), V,
         "n_samples"),
        (lambda: B("rademacher", "rademacher_mc")(B("rademacher", "linear_oracle")(X4), 6,
                                                  batch_size=0), V, "batch_size")],
    "rademacher.linear_oracle": [(lambda: B("rademacher", "linear_oracle")(X4 * nan), V, "X")],
    "rademacher.affine_oracle": [(lambda: B("rademacher", "affine_oracle")(X4, W=-1.0), V, "W")],
    "rademacher.finite_oracle": [(lambda: B("rademacher", "finite_oracle")(np.ones(3)), V,
                                  "values")],
    "rademacher.sparse_witness": [(lambda: B("rademacher", "sparse_witness")(X4, np.full(6, 0.5),
                                                                             2), V, "zeta")],
    "rademacher.gated_witness": [(lambda: B("rademacher", "gated_witness")(X4, np.ones(5), 2), V,
                                  "zeta")],
    "rademacher.refine_witness": [(lambda: B("rademacher", "refine_witness")(
        _witness(), XR, np.ones(40), margin=-1.0), V, "margin"),
                                  (lambda: B("rademacher", "refine_witness")(3, XR, np.ones(40)),
                                   T, "witness")],
    "rademacher.dense_witness": [(lambda: B("rademacher", "dense_witness")(X4, np.ones(6), 0), V,
                                  "n_hidden")],
    "rademacher.Witness": [(lambda: B("rademacher", "Witness")(np.ones((2, 4)), np.zeros(3),
                                                               np.ones(2), X4, np.ones(6)), V,
                            "biases")],
    "rademacher.sample_sphere": [(lambda: B("rademacher", "sample_sphere")(0, 3), V, "n_samples"),
                                 (lambda: B("rademacher", "sample_sphere")(5, 3, -1.0), V,
                                  "radius")],
    # -------------------------------------------------------------- regression
    "regression.compare_with_reference": [
        (lambda: B("regression", "compare_with_reference")(3, {}), T, "result")],
    "regression.read_result": [(lambda: B("regression", "read_result")("/nonexistent/r.json"),
                                B("regression", "NotAResultError"), "path")],
    # ----------------------------------------------------------- sparse_models
    "sparse_models.DenseRandomFeatures": [
        (_fit(lambda: B("sparse_models", "DenseRandomFeatures")(0)), V, "n_hidden"),
        (lambda: B("sparse_models", "DenseRandomFeatures")().predict(XR), NotFittedError,
         "DenseRandomFeatures")],
    "sparse_models.TopKDSM": [(_fit(lambda: B("sparse_models", "TopKDSM")(8, 16)), V, "n_active")],
    "sparse_models.RandomHashSparse": [
        (_fit(lambda: B("sparse_models", "RandomHashSparse")(8, sparsity=1.5)), V, "sparsity")],
    "sparse_models.LSHModel": [(_fit(lambda: B("sparse_models", "LSHModel")(n_bits=63)), V,
                                "n_bits")],
    "sparse_models.glorot_uniform": [(lambda: B("sparse_models", "glorot_uniform")(0, 3, 0), V,
                                      "fan_in")],
    "sparse_models.splitmix64": [(lambda: B("sparse_models", "splitmix64")(np.array([1.5])), V,
                                  "keys")],
    # ----------------------------------------------------------------- targets
    "targets.random_subspace": [(lambda: B("targets", "random_subspace")(3, 5), V,
                                 "intrinsic_dim")],
    "targets.subspace_box": [(lambda: B("targets", "subspace_box")(SKEW), V, "basis")],
    "targets.sample_subspace": [(lambda: B("targets", "sample_subspace")(U2, 0), V, "n_samples")],
    "targets.sample_manifold": [(lambda: B("targets", "sample_manifold")(U2, 10, amplitude=-1.0),
                                 V, "amplitude")],
    "targets.DistanceTarget": [(lambda: B("targets", "DistanceTarget")([nan, 0.0]), V, "center"),
                               (lambda: B("targets", "DistanceTarget")([0.0, 0.0])(X4), V, "X")],
    "targets.SineSumTarget": [(lambda: B("targets", "SineSumTarget")(0), V, "dim")],
    "targets.RandomPolynomial": [(lambda: B("targets", "RandomPolynomial")(3, degree=-1), V,
                                  "degree"),
                                 (lambda: B("targets", "RandomPolynomial")(3, rng=0)(X4), V, "X")],
    "targets.SubspacePolynomial": [(lambda: B("targets", "SubspacePolynomial")(4, 8), V,
                                    "intrinsic_dim")],
    "targets.RandomHypercubeFunction": [(lambda: B("targets", "RandomHypercubeFunction")(0), V,
                                         "dim")],
    # --------------------------------------------------------------- statement
    "statement.Statement": [(lambda: _statement(id=""), V, "id"),
                            (lambda: _statement(false_alarm=1.5), V, "false_alarm"),
                            (lambda: _statement(math=3), V, "math")],
    "statement.Sweep": [(lambda: B("statement", "Sweep")("s", 3), B("statement", "StatementError"), "trial")],
    "statement.Grid": [(lambda: B("statement", "Grid")([], [1]), V, "quick")],
    "statement.Table": [(lambda: B("statement", "Table")("t", 3), T, "rows")],
    "statement.Results": [(lambda: B("statement", "Results")(3, quick=True, seed=0), T,
                           "tables")],
    "statement.Figure": [(lambda: B("statement", "Figure")("x.png", "bad", {}), V, "kind"),
                         (lambda: B("statement", "Figure")("x.gif", "rate_plot", {}), V, "file")],
    "statement.claim": [(lambda: B("statement", "claim")("", B("statement", "rules").identity(
        "a", "b")), V, "name"),
                        (lambda: B("statement", "claim")("c", 3), B("statement", "StatementError"), "rule")],
    "statement.control": [(lambda: B("statement", "control")("c", 3), B("statement", "StatementError"),
                           "rule")],
    "statement.trial_seed": [(lambda: B("statement", "trial_seed")(-1, "s", {}), V, "seed")],
    "statement.split_level": [(lambda: B("statement", "split_level")(1.5, 2), V, "level"),
                              (lambda: B("statement", "split_level")(0.99, 0), V, "parts")],
    # ------------------------------------------------------------- calibration
    "calibration.calibrate": [(lambda: B("calibration", "calibrate")([_statement()], 0), V,
                               "n_seeds")],
    "calibration.to_markdown": [(lambda: B("calibration", "to_markdown")(3), T, "calibrations")],
    # --------------------------------------------------------------- executors
    "executors.ProcessExecutor": [(lambda: B("executors", "ProcessExecutor")(0), V, "n_workers")],
    "executors.DaskExecutor": [(lambda: B("executors", "DaskExecutor")("tcp://x:1", timeout=0), V,
                                "timeout")],
    "executors.make_executor": [(lambda: B("executors", "make_executor")(jobs=0), V, "jobs")],
    # ------------------------------------------------------------------- cache
    "cache.TrialCache": [(lambda: B("cache", "TrialCache")(3), T, "location")],
    # ------------------------------------------------------------------ report
    "report.run_dirname": [(lambda: B("report", "run_dirname")("lemma-2.1"), TypeError,
                            "result")],
    "report.point_latest": [(lambda: B("report", "point_latest")("/nonexistent/dir", "quick-seed1"),
                             V, "directory"),
                            (lambda: B("report", "point_latest")(".", "a/b"), V, "name")],
    "report.write_report": [(lambda: B("report", "write_report")(3, "/tmp"), T, "result")],
    "report.render_markdown": [(lambda: B("report", "render_markdown")(3), T, "data")],
    "report.render_html": [(lambda: B("report", "render_html")(3), T, "data")],
    "report.reproduce_command": [(lambda: B("report", "reproduce_command")({}), V, "data")],
    "report.report_dirname": [(lambda: B("report", "report_dirname")(""), V, "theorem_id")],
}

_RECORD = "a result record the library builds and returns (like scipy's result objects)"
EXEMPT = {
    "stats.ConfidenceInterval": _RECORD,
    "stats.MonteCarloResult": _RECORD,
    "stats.SlopeFit": _RECORD,
    "stats.RuleOutcome": _RECORD,
    "networks.SparsityCertificate": _RECORD,
    "networks.NetworkEnumeration": _RECORD,
    "statement.Check": _RECORD,
    "statement.Result": _RECORD,
    "calibration.Calibration": _RECORD,
    "stats.SparseSampleWarning": "a warning class",
    "lowdegree.RankDeficientWarning": "a warning class",
    "PactoolsWarning": "a warning class",
    "VacuousBoundWarning": "a warning class",
    "MemoryBudgetError": "an exception class",
    "NotFittedError": "an exception class",
    "regression.NotAResultError": "an exception class",
    "statement.StatementError": "an exception class",
    "executors.SerialExecutor": "takes no arguments",
    "cache.default_cache_dir": "takes no arguments",
    "report.format_value": "formats any value for a report table; there is no bad input",
}


def public_callables():
    """``{name: object}`` over ``pactools.__all__`` and each module's ``__all__``; a name
    re-exported at the top level is listed once, under its module."""
    found, seen = {}, set()
    for mod in MODULES:
        m = importlib.import_module(f"pactools.{mod}")
        for n in m.__all__:
            obj = getattr(m, n)
            if callable(obj) and not isinstance(obj, type(pactools)):
                found[f"{mod}.{n}"] = obj
                seen.add(id(obj))
    for n in pactools.__all__:
        obj = getattr(pactools, n)
        if callable(obj) and id(obj) not in seen and not isinstance(obj, type(pactools)):
            found[n] = obj
    return found


def test_every_public_callable_has_a_bad_input_case():
    names = set(public_callables())
    missing = sorted(names - set(CASES) - set(EXEMPT))
    assert not missing, f"public callables without a bad-input case or an exemption: {missing}"
    stale = sorted((set(CASES) | set(EXEMPT)) - names)
    assert not stale, f"cases for names that are not public: {stale}"
    assert not set(CASES) & set(EXEMPT)


@pytest.mark.parametrize("name,index", [(n, i) for n, cs in CASES.items()
                                        for i in range(len(cs))])
def test_bad_input_is_refused_by_name(name, index):
    call, exc, param = CASES[name][index]
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    assert re.search(rf"(?<![A-Za-z0-9_]){re.escape(param)}(?![A-Za-z0-9_])", message), (
        f"{name}: the message does not name {param!r}: {message!r}")
