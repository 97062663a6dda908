r"""Intervals, slope fits and the verdict rules of THEORY.md §C.0.

Verdict rules
-------------
* **Exact inequality** (:func:`check_inequality`): ``measured <= bound`` on
  every instance, with a relative float tolerance (1e-9 for exhaustive
  computations).
* **Monte Carlo inequality** (:func:`check_mc_upper`): pass when the upper end
  of the interval is below the bound, fail when the lower end is above it,
  inconclusive otherwise.
* **Upper-rate O(·) test** (:func:`check_upper_rate`): along a pre-registered
  sweep, ``r_j = measured_j / bound_j``; fail if ``max r > c_max`` or the slope
  interval of ``log r`` lies wholly above ``tau``, pass if ``max r <= c_max``
  and the interval lies wholly at or below ``tau``, inconclusive otherwise.
  Never fails because the slope is *smaller*.
* **Rate exponent** (:func:`check_rate_exponent`): the fitted log-log slope
  against a predicted exponent ``e``, one-sided (``upper``: at most ``e + tau``,
  ``lower``: at least ``e - tau``, for lower-bound theorems) or two-sided
  (``tight``: within ``e +- tau``, tightness probes), with three outcomes
  (THEORY.md §C.0 rules 2, 3): the slope's interval wholly on the claimed side
  passes (supported), wholly on the other side fails (refuted), and an interval
  across the line is inconclusive -- the sweep cannot tell.
* **Probability claim** (:func:`check_probability`): Clopper–Pearson interval
  of the success frequency; fail if its upper end is below ``p0``, pass if its
  lower end is at least ``p0 - margin``, inconclusive otherwise.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import special as _sp   # not scipy.stats: its import costs ~0.4 s of CPU per
                                    # process (numpydoc parsing); the same functions, bit for bit

from ._validation import PactoolsWarning, check_confidence_level, check_int, check_real

__all__ = ["ConfidenceInterval", "MonteCarloResult", "SlopeFit", "RuleOutcome",
           "SparseSampleWarning", "PASS", "FAIL", "INCONCLUSIVE", "clopper_pearson",
           "mean_estimate",
           "fit_loglog_slope", "check_inequality", "check_identity", "check_mc_upper",
           "check_mc_contains", "check_upper_rate", "check_rate_exponent",
           "check_probability", "combine_outcomes"]

PASS, FAIL, INCONCLUSIVE = "pass", "fail", "inconclusive"


class SparseSampleWarning(PactoolsWarning):
    """A normal-approximation interval rests on very few nonzero samples."""


@dataclass(frozen=True)
class ConfidenceInterval:
    """A confidence interval ``[low, high]`` (scalars or aligned arrays)."""
    low: object
    high: object

    @property
    def half_width(self):
        return (np.asarray(self.high) - np.asarray(self.low)) / 2.0

    def contains(self, value):
        return bool(np.all((np.asarray(self.low) <= value) & (value <= np.asarray(self.high))))

    def to_dict(self):
        return {"low": _jsonable(self.low), "high": _jsonable(self.high)}


def _jsonable(v):
    v = np.asarray(v)
    return v.tolist() if v.ndim else float(v)


def clopper_pearson(successes, trials, confidence_level=0.95):
    """Exact two-sided Clopper–Pearson interval for a binomial proportion.

    Examples
    --------
    >>> ci = clopper_pearson(50, 50, 0.95)
    >>> round(ci.low, 4), ci.high
    (0.9289, 1.0)
    """
    trials = check_int("trials", trials, low=1)
    successes = check_int("successes", successes, low=0, high=trials)
    cl = check_confidence_level(confidence_level)
    alpha = 1.0 - cl
    # the beta quantile (scipy.stats.beta.ppf calls the same Boost inverse)
    low = 0.0 if successes == 0 else float(_sp.betaincinv(successes, trials - successes + 1,
                                                          alpha / 2))
    high = 1.0 if successes == trials else float(_sp.betaincinv(successes + 1,
                                                                trials - successes,
                                                                1 - alpha / 2))
    return ConfidenceInterval(low, high)


@dataclass(frozen=True)
class MonteCarloResult:
    """A Monte Carlo mean with its interval, kept with the raw sums it came from.

    Attributes
    ----------
    statistic : float or ndarray
        The sample mean.
    standard_error : float or ndarray
    n_samples : int
    confidence_level : float
    confidence_interval : ConfidenceInterval
        At ``confidence_level``; :meth:`interval` recomputes it at any level.
    method : str
        ``"student-t"`` (mean ± t·se with ``n - 1`` degrees of freedom: exact for
        Gaussian samples, and never narrower than the normal interval, which
        under-covers on small samples) or ``"clopper-pearson"`` (exact, used when
        the samples take only the two values ``0`` and ``scale``).
    """
    statistic: object
    standard_error: object
    n_samples: int
    confidence_level: float
    confidence_interval: ConfidenceInterval
    method: str
    _raw: dict = field(repr=False, compare=False, default_factory=dict)

    def interval(self, confidence_level):
        """The interval at another ``confidence_level``, from the stored raw sums."""
        return _interval(self._raw, self.method, self.n_samples,
                         check_confidence_level(confidence_level))

    def at_level(self, confidence_level):
        """The same estimate with its interval at ``confidence_level``."""
        cl = check_confidence_level(confidence_level)
        return replace(self, confidence_level=cl, confidence_interval=self.interval(cl))

    def to_dict(self):
        return {"statistic": _jsonable(self.statistic),
                "standard_error": _jsonable(self.standard_error),
                "n_samples": self.n_samples, "confidence_level": self.confidence_level,
                "confidence_interval": self.confidence_interval.to_dict(),
                "method": self.method}


def _interval(raw, method, n, cl):
    if method == "clopper-pearson":
        ci = clopper_pearson(raw["successes"], n, cl)
        return ConfidenceInterval(ci.low * raw["scale"], ci.high * raw["scale"])
    z = _sp.stdtrit(n - 1, 0.5 + cl / 2) if method == "student-t" else _sp.ndtri(0.5 + cl / 2)
    mean, se = raw["mean"], raw["se"]
    return ConfidenceInterval(mean - z * se, mean + z * se)


def mean_estimate(samples, confidence_level=0.99, *, axis=None):
    """Mean of i.i.d. samples with a confidence interval.

    A 1-D sample whose values are all ``0`` or one positive value ``a`` (a
    scaled Bernoulli) gets the exact Clopper–Pearson interval scaled by ``a``;
    otherwise (and along ``axis=1`` of a 2-D sample) the Student-t interval
    ``mean ± t_{n-1} se``, which is the normal interval for large ``n`` and does
    not under-cover on small Gaussian-like samples as the normal one does (at
    ``n = 20`` and 99.9 % the normal interval misses ~4x too often).  It is still
    an approximation for skewed samples: THEORY.md §C.0 asks for at least 20 000
    samples, or for an interval with a guarantee.
    """
    cl = check_confidence_level(confidence_level)
    x = np.asarray(samples, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("samples must be finite; got NaN or inf among them")
    if axis is None:
        x = x.reshape(-1)
        n = x.size
        if n < 2:
            raise ValueError(f"samples must hold at least 2 values; got {n}")
        mean = float(x.mean())
        se = float(x.std(ddof=1) / np.sqrt(n))
        nonzero = x[x != 0]
        if np.all(x >= 0) and nonzero.size and np.all(nonzero == nonzero[0]):
            raw = {"successes": int(nonzero.size), "scale": float(nonzero[0]), "mean": mean,
                   "se": se}
            method = "clopper-pearson"
        elif nonzero.size == 0:
            raw = {"successes": 0, "scale": 1.0, "mean": mean, "se": se}
            method = "clopper-pearson"
        else:
            raw = {"mean": mean, "se": se}
            method = "student-t"
            if nonzero.size < 30 and nonzero.size < n:
                warnings.warn(f"normal interval from only {nonzero.size} nonzero samples out of {n}: "
                              "it may undercover; use more samples", SparseSampleWarning,
                              stacklevel=2)
    else:
        if x.ndim != 2 or axis != 1:
            raise ValueError(f"axis must be None or 1 with a 2-D sample; got axis={axis!r}, "
                             f"shape {x.shape}")
        n = x.shape[1]
        mean = x.mean(axis=1)
        se = x.std(axis=1, ddof=1) / np.sqrt(n)
        raw = {"mean": mean, "se": se}
        method = "student-t"
    return MonteCarloResult(mean, se, n, cl, _interval(raw, method, n, cl), method, raw)


@dataclass(frozen=True)
class SlopeFit:
    """Least-squares fit of ``log y = intercept + slope * log x`` with a t-interval."""
    slope: float
    intercept: float
    standard_error: float
    confidence_interval: ConfidenceInterval
    confidence_level: float
    n_points: int

    def to_dict(self):
        return {"slope": self.slope, "intercept": self.intercept,
                "standard_error": self.standard_error,
                "confidence_interval": self.confidence_interval.to_dict(),
                "confidence_level": self.confidence_level, "n_points": self.n_points}


def fit_loglog_slope(x, y, confidence_level=0.95):
    """Fit the log-log slope of ``y`` against ``x`` (natural logs), with its interval.

    Examples
    --------
    >>> fit = fit_loglog_slope([1, 2, 4, 8], [3, 12, 48, 192])
    >>> round(fit.slope, 12)
    2.0
    """
    cl = check_confidence_level(confidence_level)
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length; got {x.size} and {y.size}")
    if x.size < 3:
        raise ValueError(f"a slope with an interval needs at least 3 points; got {x.size}")
    for name, v in (("x", x), ("y", y)):
        if not np.all(np.isfinite(v)) or np.any(v <= 0):
            raise ValueError(f"{name} must be finite and > 0 for a log-log fit; got {v.tolist()}")
    lx, ly = np.log(x), np.log(y)
    if np.ptp(lx) == 0:
        raise ValueError("x must take at least two distinct values")
    n = lx.size
    xm = lx.mean()
    sxx = float(np.sum((lx - xm) ** 2))
    slope = float(np.sum((lx - xm) * (ly - ly.mean())) / sxx)
    intercept = float(ly.mean() - slope * xm)
    resid = ly - (intercept + slope * lx)
    s2 = float(np.sum(resid ** 2) / (n - 2))
    se = float(np.sqrt(s2 / sxx))
    tq = float(_sp.stdtrit(n - 2, 0.5 + cl / 2))
    return SlopeFit(slope, intercept, se, ConfidenceInterval(slope - tq * se, slope + tq * se),
                    cl, n)


@dataclass(frozen=True)
class RuleOutcome:
    """What a verdict rule found: ``verdict`` in {pass, fail, inconclusive}.

    ``measured`` and ``bound`` are the headline numbers (e.g. the worst ratio
    and 1, or a fitted slope and the predicted exponent); ``details`` keeps
    the rest (worst instance, interval, implied constant).
    """
    verdict: str
    measured: object
    bound: object
    details: dict


def check_inequality(measured, bound, *, rtol=1e-9, atol=0.0):
    """Exact check ``measured <= bound`` on every instance.

    ``rtol`` is the floating tolerance relative to ``|bound|`` (1e-9 for
    exhaustive float64 computations, §C.0.1).  ``measured`` is reported as
    the worst ratio ``measured / bound`` (or the worst excess where the bound
    is 0).
    """
    m = np.asarray(measured, dtype=np.float64).reshape(-1)
    b = np.broadcast_to(np.asarray(bound, dtype=np.float64), np.shape(measured)).reshape(-1)
    if m.size == 0:
        raise ValueError("measured must hold at least one instance")
    if not (np.all(np.isfinite(m)) and np.all(~np.isnan(b))):
        raise ValueError("measured and bound must be finite numbers")
    rtol = check_real("rtol", rtol, low=0.0)
    slack = b + rtol * np.abs(b) + atol - m
    worst = int(np.argmin(slack))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(b > 0, m / b, np.where(m > 0, np.inf, 0.0))
    verdict = PASS if np.all(slack >= 0) else FAIL
    return RuleOutcome(verdict, float(np.max(ratio)), 1.0,
                       {"n_instances": int(m.size), "n_violations": int(np.sum(slack < 0)),
                        "worst_index": worst, "worst_measured": float(m[worst]),
                        "worst_bound": float(b[worst]), "max_ratio": float(np.max(ratio)),
                        "rtol": rtol})


def check_identity(measured, expected, *, rtol=1e-9, atol=1e-12):
    """Exact identity ``measured == expected`` on every instance, within float tolerance.

    ``measured`` of the outcome is the largest relative error (absolute where
    ``expected`` is 0).
    """
    m = np.asarray(measured, dtype=np.float64).reshape(-1)
    e = np.broadcast_to(np.asarray(expected, dtype=np.float64), np.shape(measured)).reshape(-1)
    if m.size == 0:
        raise ValueError("measured must hold at least one instance")
    for name, arr in (("measured", m), ("expected", e)):
        if not np.all(np.isfinite(arr)):
            i = int(np.flatnonzero(~np.isfinite(arr))[0])
            raise ValueError(f"{name} must be finite numbers; got {arr[i]!r} at instance {i} "
                             f"of {arr.size}")
    rtol = check_real("rtol", rtol, low=0.0)
    atol = check_real("atol", atol, low=0.0)
    err = np.abs(m - e)
    tol = atol + rtol * np.abs(e)
    worst = int(np.argmax(err - tol))
    # relative error where the expected value is nonzero, absolute error where it is 0
    rel = err / np.where(np.abs(e) > 0, np.abs(e), 1.0)
    return RuleOutcome(PASS if np.all(err <= tol) else FAIL, float(np.max(rel)), rtol,
                       {"n_instances": int(m.size), "n_violations": int(np.sum(err > tol)),
                        "worst_index": worst, "worst_measured": float(m[worst]),
                        "worst_expected": float(e[worst]), "max_abs_error": float(err.max()),
                        "rtol": rtol, "atol": atol})


def _check_mc(result, bound, name):
    if not isinstance(result, MonteCarloResult):
        raise TypeError(f"result must be a MonteCarloResult (from mean_estimate or a *_mc "
                        f"estimator); got {type(result).__name__}")
    b = np.asarray(bound, dtype=np.float64) if not isinstance(bound, str) else np.nan
    if b.ndim or np.isnan(b):
        raise ValueError(f"{name} must be a real number (inf allowed); got {bound!r}")
    return result.confidence_interval


def check_mc_upper(result, bound):
    """Monte Carlo ``E <= bound``: pass if the interval's upper end is below it."""
    ci = _check_mc(result, bound, "bound")
    if ci.high <= bound:
        v = PASS
    elif ci.low > bound:
        v = FAIL
    else:
        v = INCONCLUSIVE
    return RuleOutcome(v, float(result.statistic), float(bound),
                       {"confidence_interval": ci.to_dict(), "method": result.method,
                        "n_samples": result.n_samples,
                        "confidence_level": result.confidence_level})


def check_mc_contains(result, value):
    """Monte Carlo identity: the exact ``value`` lies in the interval."""
    ci = _check_mc(result, value, "value")
    v = PASS if ci.low <= value <= ci.high else FAIL
    return RuleOutcome(v, float(result.statistic), float(value),
                       {"confidence_interval": ci.to_dict(), "method": result.method,
                        "n_samples": result.n_samples,
                        "confidence_level": result.confidence_level})


def _slope_verdict(fit, low_line, high_line):
    """Three outcomes of a slope interval against the accepted range
    ``[low_line, high_line]`` (either end may be infinite): pass if the interval
    lies inside it, fail if it lies wholly outside, inconclusive otherwise."""
    ci = fit.confidence_interval
    if low_line <= ci.low and ci.high <= high_line:
        return PASS
    if ci.low > high_line or ci.high < low_line:
        return FAIL
    return INCONCLUSIVE


def check_upper_rate(theta, measured, bound, *, c_max, tau=0.1, confidence_level=0.95):
    """Upper-bound O(·) test of §C.0.2 along a sweep ``theta``.

    ``r = measured / bound``.  Fail if ``max r > c_max`` (the implied constant
    exceeds the pre-registered one) or the log-log slope interval of ``r`` on
    ``theta`` lies wholly above ``tau`` (refuted); pass if ``max r <= c_max``
    and the interval lies wholly at or below ``tau`` (supported); otherwise
    inconclusive.  ``measured`` of the outcome is the slope, ``bound`` is
    ``tau``; ``details['implied_constant']`` is ``max r``.
    """
    theta = np.asarray(theta, dtype=np.float64).reshape(-1)
    r = (np.asarray(measured, dtype=np.float64) / np.asarray(bound, dtype=np.float64)).reshape(-1)
    c_max = check_real("c_max", c_max, low=0.0, low_open=True)
    tau = check_real("tau", tau, low=0.0)
    ok_const = float(r.max()) <= c_max
    # a zero measurement meets any bound; it cannot enter a log-log fit, so it is left out
    pos = r > 0
    details = {"implied_constant": float(r.max()), "c_max": c_max, "tau": tau,
               "ratios": r.tolist(), "zero_measurements_left_out_of_the_fit": int(np.sum(~pos))}
    if np.unique(theta[pos]).size < 3:
        # no slope to judge: the outcome rests on the constant alone (measured: max r)
        return RuleOutcome(FAIL if not ok_const else INCONCLUSIVE, float(r.max()), c_max,
                           {**details, "slope": "undefined: fewer than 3 points with a "
                                                "positive measurement", "constant_ok": ok_const})
    fit = fit_loglog_slope(theta[pos], r[pos], confidence_level)
    slope = _slope_verdict(fit, -np.inf, tau)
    verdict = FAIL if not ok_const else slope
    return RuleOutcome(verdict, fit.slope, tau,
                       {**details, "fit": fit.to_dict(), "constant_ok": ok_const,
                        "slope_outcome": slope, "accepted": [None, tau]})


def check_rate_exponent(theta, measured, exponent, *, tau=0.1, direction="upper",
                        confidence_level=0.95):
    """Fitted log-log slope of ``measured`` on ``theta`` against a predicted exponent.

    The slope's interval (at ``confidence_level``) is set against the accepted
    range: ``direction="upper"``, slopes ``<= exponent + tau`` (upper-bound
    theorems); ``"lower"``, slopes ``>= exponent - tau`` (lower-bound theorems,
    §C.0.3); ``"tight"``, ``|slope - exponent| <= tau`` (tightness probes).
    Pass if the interval lies inside the range, fail if it lies wholly outside,
    inconclusive if it straddles an end: an interval that cannot tell never passes.
    """
    if direction not in ("upper", "lower", "tight"):
        raise ValueError(f'direction must be "upper", "lower" or "tight"; got {direction!r}')
    exponent = check_real("exponent", exponent)
    tau = check_real("tau", tau, low=0.0)
    y = np.asarray(measured, dtype=np.float64).reshape(-1)
    if np.any(y <= 0) or not np.all(np.isfinite(y)):
        return RuleOutcome(INCONCLUSIVE, float("nan"), exponent, {
            "direction": direction, "tau": tau, "measured_values": y.tolist(),
            "undefined": "a measurement <= 0 or not finite: no log-log slope"})
    fit = fit_loglog_slope(theta, measured, confidence_level)
    lo = -np.inf if direction == "upper" else exponent - tau
    hi = np.inf if direction == "lower" else exponent + tau
    return RuleOutcome(_slope_verdict(fit, lo, hi), fit.slope, exponent,
                       {"direction": direction, "tau": tau, "fit": fit.to_dict(),
                        "accepted": [None if np.isinf(lo) else lo,
                                     None if np.isinf(hi) else hi]})


def check_probability(successes, trials, p0, *, confidence_level=0.95, margin=0.05):
    """Probability claim ``P[success] >= p0`` (§C.0.4) with a Clopper–Pearson interval."""
    p0 = check_real("p0", p0, low=0.0, high=1.0)
    margin = check_real("margin", margin, low=0.0, high=1.0)
    ci = clopper_pearson(successes, trials, confidence_level)
    if ci.high < p0:
        v = FAIL
    elif ci.low >= p0 - margin:
        v = PASS
    else:
        v = INCONCLUSIVE
    return RuleOutcome(v, successes / trials, p0,
                       {"successes": int(successes), "trials": int(trials),
                        "confidence_interval": ci.to_dict(), "confidence_level": confidence_level,
                        "margin": margin})


def combine_outcomes(outcomes, *, worst="max"):
    """One outcome from several (e.g. one per family or per parameter level).

    The verdict is ``fail`` if any part fails, else ``inconclusive`` if any part
    is, else ``pass``.  ``measured``/``bound`` are those of the part that decided
    it: among the parts with the combined verdict, the one with the largest
    (``worst="max"``) or smallest (``"min"``) ``measured``; ``details`` keeps
    every part under its key.
    """
    if worst not in ("max", "min"):
        raise ValueError(f'worst must be "max" or "min"; got {worst!r}')
    if not isinstance(outcomes, dict) or not outcomes or not all(
            isinstance(o, RuleOutcome) for o in outcomes.values()):
        raise ValueError("outcomes must be a non-empty dict of RuleOutcome; got "
                         f"{type(outcomes).__name__} of {len(outcomes) if hasattr(outcomes, '__len__') else '?'}")
    verdicts = [o.verdict for o in outcomes.values()]
    verdict = FAIL if FAIL in verdicts else INCONCLUSIVE if INCONCLUSIVE in verdicts else PASS
    pick = max if worst == "max" else min
    defined = [o for o in outcomes.values() if o.verdict == verdict
               and not (isinstance(o.measured, float) and np.isnan(o.measured))]
    w = pick(defined, key=lambda o: o.measured) if defined else next(
        o for o in outcomes.values() if o.verdict == verdict)
    details = {str(k): {"verdict": o.verdict, "measured": o.measured, "bound": o.bound,
                        **o.details} for k, o in outcomes.items()}
    return RuleOutcome(verdict, w.measured, w.bound, details)
