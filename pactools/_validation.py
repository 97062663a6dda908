"""Input validation shared by the public functions.

Every message names the parameter, the allowed range and the value received,
in the manner of ``sklearn.utils._param_validation``.  Nothing is coerced
silently: a float where an integer is required is an error, not a truncation.
"""
from __future__ import annotations

import numbers
import operator

import numpy as np

__all__ = ["MemoryBudgetError", "PactoolsWarning", "VacuousBoundWarning"]

#: Largest single allocation (bytes) the library makes without being asked
#: for more through a ``max_bytes`` argument.  4 GiB keeps two or three such
#: arrays well inside the 24 GiB machines CI runs on.
DEFAULT_MAX_BYTES = 4 * 2**30


class NotFittedError(ValueError, AttributeError):
    """An estimator used before ``fit`` (scikit-learn's contract: a ``ValueError`` and an
    ``AttributeError``, so ``sklearn.utils.validation.check_is_fitted``-style code and
    ``hasattr`` probes both work)."""


class MemoryBudgetError(ValueError):
    """An allocation would exceed the memory budget; raised before allocating."""


class PactoolsWarning(UserWarning):
    """Base class of the warnings pactools emits for valid but dubious input."""


class VacuousBoundWarning(PactoolsWarning):
    """A bound was evaluated where it is vacuous (e.g. larger than a trivial bound)."""


def check_int(name, value, *, low=None, high=None):
    """Return ``value`` as a Python int, or raise naming the parameter."""
    rng_txt = _range_text(low, high, integer=True)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer {rng_txt}; got {value!r} "
                        f"of type {type(value).__name__}")
    value = operator.index(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be an integer {rng_txt}; got {value}")
    return value


def check_real(name, value, *, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a float in the stated interval, or raise."""
    rng_txt = _interval_text(low, high, low_open, high_open)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number {rng_txt}; got {value!r} "
                        f"of type {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or _outside(value, low, high, low_open, high_open):
        raise ValueError(f"{name} must be a real number {rng_txt}; got {value!r}")
    return value


def check_real_array(name, value, *, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a float64 array whose entries lie in the interval."""
    rng_txt = _interval_text(low, high, low_open, high_open)
    arr = np.asarray(value)
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer)
                                 or np.issubdtype(arr.dtype, np.floating)):
        raise TypeError(f"{name} must be real numbers {rng_txt}; got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    bad = ~np.isfinite(arr)
    bad |= _outside(arr, low, high, low_open, high_open)
    if np.any(bad):
        first = arr.reshape(-1)[np.flatnonzero(bad.reshape(-1))[0]]
        raise ValueError(f"{name} must be real numbers {rng_txt}; got {float(first)!r} "
                         f"among the {arr.size} values given")
    return arr


def _real_array(name, value):
    """``value`` as a float64 array, refusing sparse, complex, object and boolean input by name
    (scikit-learn's messages where its estimator checks look for them)."""
    if hasattr(value, "toarray") or hasattr(value, "tocsr"):
        raise TypeError(f"{name} is a sparse matrix: sparse input is not supported by this "
                        f"estimator; pass {name}.toarray()")
    arr = np.asarray(value)
    if np.iscomplexobj(arr):
        raise ValueError(f"{name} must be real numbers: Complex data not supported (dtype "
                         f"{arr.dtype})")
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer)
                                 or np.issubdtype(arr.dtype, np.floating)):
        raise TypeError(f"{name} must be real numbers; got dtype {arr.dtype}")
    return arr.astype(np.float64, copy=False)


def check_data(X, y=None, dim=None, *, estimator=None, fitting=True):
    """An estimator's ``X`` as float64 ``(n_samples, dim)`` and, when ``fitting``, ``y`` as
    float64 ``(n_samples,)``, both finite; every refusal names the argument and what it got
    (in the words scikit-learn's estimator checks look for)."""
    X = _real_array("X", X)
    want = "dim" if dim is None else str(dim)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-d, shape (n_samples, {want}); got shape {X.shape}. "
                         "Reshape your data with X.reshape(1, -1) for one sample or "
                         "X.reshape(-1, 1) for one feature")
    if X.shape[0] == 0:
        raise ValueError(f"X must have n_samples >= 1; got shape {X.shape}")
    if X.shape[1] == 0:
        raise ValueError(f"X must have dim >= 1: found 0 feature(s) (shape={X.shape}) while a "
                         "minimum of 1 is required.")
    if dim is not None and X.shape[1] != dim:
        raise ValueError(f"X has {X.shape[1]} features, but {estimator or 'the estimator'} is "
                         f"expecting {dim} features as input (n_features_in_); got shape "
                         f"{X.shape}")
    if not np.all(np.isfinite(X)):
        pos = tuple(int(i) for i in np.argwhere(~np.isfinite(X))[0])
        raise ValueError(f"X must be finite; got {int(np.sum(~np.isfinite(X)))} NaN or "
                         f"infinite entries, the first {float(X[pos])!r} at position {pos}")
    if not fitting:
        return X
    if y is None:
        raise ValueError(f"{estimator or 'this estimator'} requires y to be passed, but the "
                         "target y is None")
    y = _real_array("y", y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) like X's rows; got {y.shape}")
    if not np.all(np.isfinite(y)):
        i = int(np.flatnonzero(~np.isfinite(y))[0])
        raise ValueError(f"y must be finite; got {int(np.sum(~np.isfinite(y)))} NaN or "
                         f"infinite entries, the first {float(y[i])!r} at position {i}")
    return X, y


def check_pm1(name, value, *, ndim=None):
    """``value`` as an array whose entries are all ``-1`` or ``+1`` (its own dtype kept), with
    ``ndim`` dimensions when given; else raise naming ``name`` and the first offending entry."""
    arr = np.asarray(value)
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer)
                                 or np.issubdtype(arr.dtype, np.floating)):
        raise TypeError(f"{name} must hold -1/+1 values; got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-d; got shape {arr.shape}")
    bad = (arr != 1) & (arr != -1)
    if np.any(bad):
        pos = np.unravel_index(np.flatnonzero(bad.reshape(-1))[0], arr.shape)
        raise ValueError(f"{name} must hold only -1 and +1 (points of the cube); got "
                         f"{arr[pos].item()!r} at position {tuple(int(i) for i in pos)}")
    return arr


def check_matrix(name, value, *, shape=None):
    """``value`` as a finite float64 2-d array; ``shape`` entries that are not None must match.
    Raises naming ``name``, the expected shape and the first non-finite position."""
    arr = _real_array(name, value)
    want = None if shape is None else "(" + ", ".join("*" if s is None else str(s)
                                                      for s in shape) + ")"
    if arr.ndim != 2 or (shape is not None and any(
            s is not None and a != s for a, s in zip(arr.shape, shape))):
        what = f"have shape {want}" if want else "be 2-d"
        raise ValueError(f"{name} must {what}; got shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if np.any(bad):
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} must be finite; got {float(arr[pos])!r} at position {pos}")
    return arr


def check_orthonormal(name, value, dim=None, *, atol=1e-10):
    """``value`` as a float64 ``(dim, k)`` matrix with orthonormal columns (``k <= dim``);
    else raise naming ``name`` and how far ``U^T U`` is from the identity."""
    U = check_matrix(name, value, shape=(dim, None))
    if U.shape[1] > U.shape[0] or U.shape[1] == 0:
        raise ValueError(f"{name} must have shape (dim, k) with 1 <= k <= dim; got {U.shape}")
    err = float(np.max(np.abs(U.T @ U - np.eye(U.shape[1]))))
    if err > atol:
        raise ValueError(f"{name} must have orthonormal columns (max |U^T U - I| <= {atol:g}); "
                         f"got {err:.3g}: orthonormalise it first (numpy.linalg.qr)")
    return U


def check_finite_output(name, values, n, *, item="point"):
    """The ``n`` values a user's callable ``name`` returned (one per ``item``), as float64, or
    raise naming it."""
    out = np.asarray(values, dtype=np.float64)
    if out.shape != (n,):
        raise ValueError(f"{name} must return {n} values (one per {item}); got shape "
                         f"{np.shape(values)}")
    bad = ~np.isfinite(out)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} returned a non-finite value ({float(out[i])!r}) at {item} {i} "
                         f"of {n}: the function must be finite on the inputs it is given")
    return out


def check_confidence_level(value, name="confidence_level"):
    return check_real(name, value, low=0.0, high=1.0, low_open=True, high_open=True)


def check_memory(n_bytes, what, max_bytes=None, *,
                 hint="or use the Monte Carlo estimators for large n_vars", settable=True):
    """Refuse an allocation of ``n_bytes`` above the budget, with the estimate.  ``settable``:
    the caller takes ``max_bytes=`` (else the message offers only ``hint``)."""
    budget = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    if n_bytes > budget:
        fix = ("pass max_bytes=... to allow more" + (f", {hint}" if hint else "")
               if settable else hint)
        raise MemoryBudgetError(
            f"{what} needs about {_fmt_bytes(n_bytes)}, above the budget of "
            f"{_fmt_bytes(budget)}; {fix}")


def _fmt_bytes(n):
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n:.1f} PiB"  # pragma: no cover


def _outside(v, low, high, low_open, high_open):
    out = np.zeros(np.shape(v), dtype=bool) if np.ndim(v) else False
    if low is not None:
        out = out | ((v <= low) if low_open else (v < low))
    if high is not None:
        out = out | ((v >= high) if high_open else (v > high))
    return out


def _range_text(low, high, integer=False):
    if low is not None and high is not None:
        return f"in [{low}, {high}]"
    if low is not None:
        return f">= {low}"
    if high is not None:
        return f"<= {high}"
    return ""


def _interval_text(low, high, low_open, high_open):
    if low is None and high is None:
        return "(finite)"
    lo = "(" if low_open or low is None else "["
    hi = ")" if high_open or high is None else "]"
    return f"in {lo}{'-inf' if low is None else low}, {'inf' if high is None else high}{hi}"
