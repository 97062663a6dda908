"""The part of the scikit-learn estimator contract the regressors share (no sklearn import)."""
from __future__ import annotations

import numpy as np


class RegressorMixin:
    """``get_params``/``set_params`` from ``_param_names``, and ``score`` as R² (like sklearn).

    Subclasses list their constructor parameters in ``_param_names`` and define
    ``predict``.
    """

    _param_names: tuple = ()

    def get_params(self, deep=True):
        return {k: getattr(self, k) for k in self._param_names}

    def set_params(self, **params):
        for k, v in params.items():
            if k not in self._param_names:
                raise ValueError(f"invalid parameter {k!r} for {type(self).__name__}; valid: "
                                 f"{sorted(self._param_names)}")
            setattr(self, k, v)
        return self

    def __sklearn_tags__(self):
        """scikit-learn's estimator tags (>= 1.6 asks every estimator for them); imported
        only when scikit-learn itself asks, so pactools does not depend on it."""
        from sklearn.utils import InputTags, RegressorTags, Tags, TargetTags
        return Tags(estimator_type="regressor", target_tags=TargetTags(required=True),
                    transformer_tags=None, classifier_tags=None,
                    regressor_tags=RegressorTags(), input_tags=InputTags())

    def score(self, X, y):
        """Coefficient of determination R² on ``(X, y)`` (scikit-learn's regressor score)."""
        y = np.asarray(y, dtype=np.float64)
        res = np.sum((y - self.predict(X)) ** 2)
        tot = np.sum((y - y.mean()) ** 2)
        return float(1 - res / tot) if tot > 0 else float(res == 0)
