"""pactools: test published learning-theory bounds against computation.

Modules: :mod:`~pactools.hypercube` (conventions, sampling), :mod:`~pactools.fourier`
(transform, spectra, sensitivity), :mod:`~pactools.stats` (intervals, slope
fits, verdict rules), :mod:`~pactools.bounds` (each published bound as a
function), :mod:`~pactools.networks` (sparse ReLU networks, certificates),
:mod:`~pactools.lowdegree` (the low-degree learner), :mod:`~pactools.lsh` and
:mod:`~pactools.targets` (P1's LSH models, subspaces, Lipschitz targets),
:mod:`~pactools.hardfamily` and :mod:`~pactools.dense` (P1's lower-bound families, the
random-feature model and its exact uniform fit), :mod:`~pactools.sparse_models` (P1 §5's
dense, Top-K DSM, random-hash and LSH models), :mod:`~pactools.rademacher` (estimators,
exact oracles and sparse/dense witnesses),
:mod:`~pactools.theorems` (verifiable statements and their
registry), :mod:`~pactools.report`, :mod:`~pactools.cli`.
"""
from . import bounds, fourier, hypercube, stats
from ._validation import MemoryBudgetError, NotFittedError, PactoolsWarning, VacuousBoundWarning
from .fourier import (average_sensitivity, average_sensitivity_mc, degree, fourier_coefficient_mc,
                      fourier_coefficients, influences, influences_mc, iwht, level_weights,
                      noise_operator, noise_sensitivity, noise_sensitivity_mc, noise_stability,
                      spectral_tail, wht)
from .hypercube import cube, sample_noisy, sample_uniform, truth_table
from .stats import ConfidenceInterval, MonteCarloResult, clopper_pearson

__version__ = "0.1.0"

__all__ = ["bounds", "fourier", "hypercube", "stats", "MemoryBudgetError", "NotFittedError", "PactoolsWarning",
           "VacuousBoundWarning", "average_sensitivity", "average_sensitivity_mc", "degree",
           "fourier_coefficient_mc", "fourier_coefficients", "influences", "influences_mc",
           "iwht", "level_weights", "noise_operator", "noise_sensitivity",
           "noise_sensitivity_mc", "noise_stability", "spectral_tail", "wht", "cube",
           "sample_noisy", "sample_uniform", "truth_table", "ConfidenceInterval",
           "MonteCarloResult", "clopper_pearson", "__version__"]
