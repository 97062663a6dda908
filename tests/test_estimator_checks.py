"""scikit-learn's estimator checks on pactools' P1 regressors (scikit-learn >= 1.6).

``LSHRegressor`` runs without ``rng`` so that the checks' ``set_random_state`` can set its
deprecated ``random_state`` alias (a ``DeprecationWarning``, allowed here).

Three checks are expected to fail, each by a rule of pactools' input policy or its
independence from scikit-learn (the reason is the dict value)."""
import warnings

import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

import numpy as np  # noqa: E402

from pactools.lowdegree import LowDegreeRegressor  # noqa: E402
from pactools.lsh import LSHRegressor  # noqa: E402
from pactools.sparse_models import (DenseRandomFeatures, LSHModel, RandomHashSparse,  # noqa: E402
                                    TopKDSM)

EXPECTED_FAILURES = {
    "check_estimators_unfitted": "pactools.NotFittedError is a ValueError and an AttributeError "
                                 "like scikit-learn's, but not its subclass: pactools does not "
                                 "import scikit-learn",
    "check_dtype_object": "object arrays are refused by name, never converted",
    "check_supervised_y_2d": "a (n_samples, 1) y is refused by name, not reshaped with a warning",
}


CUBE_FAILURES = {
    "check_regressors_train": "asks for R^2 > 0.5 on real-valued regression data, which the "
                              "low-degree algorithm only sees through the cube map below",
}


def _signs(X):
    """Real-valued X mapped to the cube entrywise: +1 where the fractional part of x is at
    least 1/2, else -1 (the checks' data include N(100, 1) and U(0, 1) columns, which a sign
    would make constant). Non-finite entries are kept, so that the NaN checks still reach the
    estimator; sparse, complex, object or missing X is unchanged, so that those refusals are
    the estimator's own."""
    if X is None or hasattr(X, "toarray"):
        return X
    a = np.asarray(X)
    if a.dtype.kind not in "iuf":
        return X
    finite = np.isfinite(a)
    frac = np.where(finite, a, 0) - np.floor(np.where(finite, a, 0))
    return np.where(finite, np.where(frac >= 0.5, 1.0, -1.0), a)


class CubeLowDegreeRegressor(LowDegreeRegressor):
    """``LowDegreeRegressor`` behind a sign map, for the checks only.

    The checks draw real-valued X; the low-degree algorithm is defined on ``{-1,1}^n`` and
    refuses any other point by name (tests/test_bad_input.py). Every other part of the
    contract -- parameters, cloning, fitted attributes, pickling, idempotence, invariance to
    sample order and subsets, refusal of NaN, sparse, complex, empty and 1-d input -- is the
    estimator's own code."""

    def fit(self, X, y=None):
        return super().fit(_signs(X), y)

    def predict(self, X):
        return super().predict(_signs(X))


with warnings.catch_warnings():
    # scikit-learn notes that the estimators do not inherit its BaseEstimator: by design,
    # pactools implements the contract (get_params, set_params, __sklearn_tags__) itself
    warnings.filterwarnings("ignore", message="Estimator .* does not inherit from")
    _checks = parametrize_with_checks(
        [DenseRandomFeatures(32, rng=0), TopKDSM(64, 32, rng=0), RandomHashSparse(64, 48, rng=0),
         LSHModel(5, 8, rng=0), LSHRegressor(4, bucket_width=0.5),
         CubeLowDegreeRegressor(degree=1), CubeLowDegreeRegressor(degree=2, method="correlation")],
        expected_failed_checks=lambda est: (
            {**EXPECTED_FAILURES, **CUBE_FAILURES} if isinstance(est, CubeLowDegreeRegressor)
            else EXPECTED_FAILURES))


@pytest.mark.filterwarnings("ignore:Estimator .* does not inherit from")
@pytest.mark.filterwarnings("ignore:LSHRegressor.random_state=.... is deprecated:DeprecationWarning")
@_checks
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
