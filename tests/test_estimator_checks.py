"""scikit-learn's estimator checks on pactools' P1 regressors (scikit-learn >= 1.6).

``LSHRegressor`` runs without ``rng`` so that the checks' ``set_random_state`` can set its
deprecated ``random_state`` alias (a ``DeprecationWarning``, allowed here).

Three checks are expected to fail, each by a rule of pactools' input policy or its
independence from scikit-learn (the reason is the dict value)."""
import warnings

import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

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


with warnings.catch_warnings():
    # scikit-learn notes that the estimators do not inherit its BaseEstimator: by design,
    # pactools implements the contract (get_params, set_params, __sklearn_tags__) itself
    warnings.filterwarnings("ignore", message="Estimator .* does not inherit from")
    _checks = parametrize_with_checks(
        [DenseRandomFeatures(32, rng=0), TopKDSM(64, 32, rng=0), RandomHashSparse(64, 48, rng=0),
         LSHModel(5, 8, rng=0), LSHRegressor(4, bucket_width=0.5)],
        expected_failed_checks=lambda est: EXPECTED_FAILURES)


@pytest.mark.filterwarnings("ignore:Estimator .* does not inherit from")
@pytest.mark.filterwarnings("ignore:LSHRegressor.random_state=.... is deprecated:DeprecationWarning")
@_checks
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
