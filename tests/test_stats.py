import numpy as np
import pytest

from pactools.stats import (FAIL, INCONCLUSIVE, PASS, check_identity, check_inequality,
                            check_mc_contains, check_mc_upper, check_probability,
                            check_rate_exponent, check_upper_rate, clopper_pearson,
                            fit_loglog_slope, mean_estimate)


def test_clopper_pearson_closed_forms():
    # k = 0: upper end 1 - (alpha/2)^(1/n); k = n: lower end (alpha/2)^(1/n)
    n, a = 37, 0.05
    assert clopper_pearson(0, n, 0.95).high == pytest.approx(1 - (a / 2) ** (1 / n), rel=1e-12)
    assert clopper_pearson(n, n, 0.95).low == pytest.approx((a / 2) ** (1 / n), rel=1e-12)
    ci = clopper_pearson(10, 20, 0.9)
    assert ci.low < 0.5 < ci.high


def test_clopper_pearson_bad_input():
    with pytest.raises(ValueError, match="successes must be an integer in \\[0, 5\\]; got 6"):
        clopper_pearson(6, 5)
    with pytest.raises(ValueError, match="confidence_level must be a real number in \\(0.0, 1.0\\)"):
        clopper_pearson(1, 5, 1.0)


def test_mean_estimate_normal_coverage():
    # 200 seeded repetitions of a 95% interval for a known mean: the number of
    # misses is Binomial(200, 0.05); 25 misses has probability < 1e-5
    rng = np.random.default_rng(0)
    misses = 0
    for _ in range(200):
        r = mean_estimate(rng.exponential(2.0, size=2000), 0.95)
        assert r.method == "student-t"
        misses += not r.confidence_interval.contains(2.0)
    assert misses < 25


def test_mean_estimate_two_valued_uses_exact_interval():
    r = mean_estimate(np.r_[np.zeros(90), np.full(10, 4.0)], 0.95)
    assert r.method == "clopper-pearson"
    cp = clopper_pearson(10, 100, 0.95)
    assert r.confidence_interval.low == pytest.approx(4 * cp.low)
    assert r.interval(0.5).high < r.confidence_interval.high


def test_slope_fit_exact_and_interval():
    x = np.array([1, 2, 4, 8, 16.0])
    fit = fit_loglog_slope(x, 3 * x ** 1.5)
    assert fit.slope == pytest.approx(1.5, abs=1e-12)
    assert fit.confidence_interval.high - fit.confidence_interval.low < 1e-9
    with pytest.raises(ValueError, match="at least 3 points"):
        fit_loglog_slope([1, 2], [1, 2])
    with pytest.raises(ValueError, match="y must be finite and > 0"):
        fit_loglog_slope([1, 2, 3], [1, 0, 2])


def test_inequality_and_identity_rules_both_ways():
    assert check_inequality([1.0, 2.0], [1.0, 2.0]).verdict == PASS
    out = check_inequality([1.0, 2.1], [1.0, 2.0])
    assert out.verdict == FAIL and out.details["worst_index"] == 1
    assert check_identity([1.0], [1.0 + 1e-12]).verdict == PASS
    assert check_identity([1.0], [1.001]).verdict == FAIL


def test_mc_rules():
    r = mean_estimate(np.random.default_rng(1).normal(1.0, 1.0, 20000), 0.99)
    assert check_mc_upper(r, 2.0).verdict == PASS
    assert check_mc_upper(r, 0.5).verdict == FAIL
    assert check_mc_upper(r, float(r.statistic)).verdict == INCONCLUSIVE
    assert check_mc_contains(r, 1.0).verdict == PASS
    assert check_mc_contains(r, 1.2).verdict == FAIL


def test_rate_rules():
    theta = np.array([10, 100, 1000, 10000.0])
    bound = np.sqrt(theta)
    assert check_upper_rate(theta, 0.5 * bound, bound, c_max=1.0).verdict == PASS
    # a smaller slope never fails an upper bound
    assert check_upper_rate(theta, theta ** 0.2, bound, c_max=1.0).verdict == PASS
    assert check_upper_rate(theta, theta ** 0.9, bound, c_max=100.0).verdict == FAIL
    assert check_upper_rate(theta, 5 * bound, bound, c_max=2.0).verdict == FAIL
    assert check_rate_exponent(theta, theta ** 2, 2.0, direction="lower").verdict == PASS
    assert check_rate_exponent(theta, theta ** 1.5, 2.0, direction="lower").verdict == FAIL
    assert check_rate_exponent(theta, theta ** 0.5, 0.5, direction="tight").verdict == PASS
    assert check_rate_exponent(theta, theta ** 0.8, 0.5, direction="tight").verdict == FAIL


def _fit_data(slope, spread):
    """Five points on a log grid whose fitted slope is exactly ``slope`` and whose
    residuals (orthogonal to 1 and log x) have size ``spread``: the interval is
    ``slope +- t_3 * spread * sqrt(4/3/10) * (1/ln 2)``-ish, known in advance."""
    lx = np.log(2.0) * np.arange(-2, 3)
    return np.exp(lx), np.exp(slope * lx + spread * np.array([1, -1, 0, -1, 1.0]))


@pytest.mark.parametrize("direction,exponent,slope,spread,expected", [
    # upper: accepted slopes <= e + tau = 1.1
    ("upper", 1.0, 0.5, 0.0, "pass"), ("upper", 1.0, 1.5, 0.0, "fail"),
    ("upper", 1.0, 1.1, 0.05, "inconclusive"),           # on the line: cannot tell
    ("upper", 1.0, 0.5, 2.0, "inconclusive"),            # below, but the interval is too wide
    ("upper", 1.0, 3.0, 0.05, "fail"),                   # wholly above: refuted
    # lower: accepted slopes >= e - tau = 1.9
    ("lower", 2.0, 2.5, 0.0, "pass"), ("lower", 2.0, 1.0, 0.0, "fail"),
    ("lower", 2.0, 2.48, 2.0, "inconclusive"),           # issue 12's 2.48 [-0.15, 5.12]
    ("lower", 2.0, 1.9, 0.05, "inconclusive"),
    # tight: accepted |slope - e| <= tau
    ("tight", 0.5, 0.5, 0.0, "pass"), ("tight", 0.5, 0.8, 0.0, "fail"),
    ("tight", 0.5, 0.2, 0.0, "fail"), ("tight", 0.5, 0.5, 2.0, "inconclusive"),
    ("tight", 0.5, 0.6, 0.05, "inconclusive")])
def test_rate_exponent_has_three_outcomes(direction, exponent, slope, spread, expected):
    x, y = _fit_data(slope, spread)
    out = check_rate_exponent(x, y, exponent, tau=0.1, direction=direction)
    assert out.verdict == expected
    assert out.measured == pytest.approx(slope, abs=1e-12)
    ci = out.details["fit"]["confidence_interval"]
    assert (ci["high"] - ci["low"] > 1e-9) == (spread > 0)


def test_upper_rate_interval_across_tau_is_inconclusive():
    # ratio slope 0.1 (= tau) with noise: the interval straddles tau
    x, y = _fit_data(0.1, 0.05)
    assert check_upper_rate(x, y, np.ones(5), c_max=100.0).verdict == INCONCLUSIVE
    x, y = _fit_data(-0.5, 0.05)
    assert check_upper_rate(x, y, np.ones(5), c_max=100.0).verdict == PASS
    assert check_upper_rate(x, y, np.ones(5), c_max=0.5).verdict == FAIL  # the constant
    x, y = _fit_data(0.6, 0.05)
    assert check_upper_rate(x, y, np.ones(5), c_max=100.0).verdict == FAIL


def test_a_higher_level_widens_the_slope_interval_into_inconclusive():
    x, y = _fit_data(0.9, 0.02)
    assert check_rate_exponent(x, y, 1.0, confidence_level=0.95).verdict == PASS
    assert check_rate_exponent(x, y, 1.0, confidence_level=0.9999).verdict == INCONCLUSIVE


def test_probability_rule():
    assert check_probability(50, 50, 0.9).verdict == PASS
    assert check_probability(20, 50, 0.9).verdict == FAIL
    assert check_probability(44, 50, 0.9).verdict == INCONCLUSIVE


def test_sparse_sample_warns():
    from pactools.stats import SparseSampleWarning
    x = np.zeros(20000)
    x[:5] = [1.0, 2.0, 3.0, 4.0, 5.0]
    with pytest.warns(SparseSampleWarning, match="only 5 nonzero samples out of 20000"):
        mean_estimate(x)


def test_sparse_sample_warning_counts_negative_values_once():
    from pactools.stats import SparseSampleWarning
    x = np.zeros(1000)
    x[:20] = -1.0
    x[20:25] = 2.0        # 25 nonzero samples (< 30): warns, and says 25
    with pytest.warns(SparseSampleWarning, match="only 25 nonzero samples out of 1000"):
        mean_estimate(x)


def test_combine_outcomes_over_every_combination():
    # the rule: fail if any part fails, else inconclusive if any part is, else pass
    from itertools import product
    from pactools.stats import FAIL, INCONCLUSIVE, PASS, RuleOutcome, combine_outcomes
    for combo in product((PASS, FAIL, INCONCLUSIVE), repeat=3):
        out = combine_outcomes({str(i): RuleOutcome(v, float(i), 1.0, {})
                                for i, v in enumerate(combo)})
        expected = FAIL if FAIL in combo else INCONCLUSIVE if INCONCLUSIVE in combo else PASS
        assert out.verdict == expected, combo


def test_overall_verdict_over_every_combination_of_one_claim_and_one_control():
    from pactools.statement import Check, overall_verdict
    for claim_v in ("pass", "fail", "inconclusive"):
        for control_v in ("caught", "missed"):
            got = overall_verdict([Check("a", "claim", "k", 1, 1, claim_v),
                                   Check("b", "control", "k", 1, 1, control_v)])
            expected = ("violated" if claim_v == "fail" else
                        "consistent" if (claim_v, control_v) == ("pass", "caught") else
                        "inconclusive")
            assert got == expected, (claim_v, control_v)


def test_a_control_whose_rule_cannot_tell_is_missed_not_caught():
    from pactools.statement import Results, Statement, Sweep, claim, control, rules
    from pactools.stats import FAIL, INCONCLUSIVE, PASS, RuleOutcome
    st = Statement(id="t:c", paper="P", item="I", title="T", text="x",
                   sweeps=[Sweep("s", lambda rng: {"x": 1.0})],
                   checks=[claim("a", rules.inequality("x", 2.0)),
                           control("b", rules.inequality("x", 0.5))])
    r = Results({}, quick=True, seed=0)
    for rule_v, expected in ((FAIL, "caught"), (PASS, "missed"), (INCONCLUSIVE, "missed")):
        spec = control("c", lambda res, v=rule_v: RuleOutcome(v, 1.0, 1.0, {}), kind="probe")
        assert st.evaluate(spec, r).verdict == expected


@pytest.mark.parametrize("level", [0.9, 0.99])
def test_two_sided_normal_interval_covers_at_its_nominal_rate(level):
    # 2000 seeded intervals for the mean of N(1, 1) samples (n = 400): the misses are
    # Binomial(2000, 1 - level); the bounds below are its 1e-6 tails, so a one-sided
    # quantile (misses ~ 2 (1 - level) * 2000) or a too-wide interval fails
    from scipy import stats as st
    rng = np.random.default_rng(12)
    x = rng.standard_normal((2000, 400)) + 1.0
    misses = sum(not mean_estimate(row, level).confidence_interval.contains(1.0) for row in x)
    lo, hi = st.binom.ppf([1e-6, 1 - 1e-6], 2000, 1 - level)
    assert lo <= misses <= hi


def test_clopper_pearson_covers_at_least_its_nominal_rate():
    # exact: P(p in CP interval) >= level for every p; check at p = 0.03 by enumerating
    # every count of Binomial(60, p), weighted by its probability
    from scipy import stats as st
    n, p, level = 60, 0.03, 0.95
    cover = sum(st.binom.pmf(k, n, p) for k in range(n + 1)
                if clopper_pearson(k, n, level).contains(p))
    assert cover >= level


def test_rate_rules_with_a_zero_measurement_do_not_crash():
    from pactools.stats import INCONCLUSIVE, PASS, check_rate_exponent, check_upper_rate
    theta = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    out = check_upper_rate(theta, np.array([0.0, 1, 1, 1, 1]), np.ones(5), c_max=2.0)
    assert out.verdict == PASS and out.details["zero_measurements_left_out_of_the_fit"] == 1
    out = check_upper_rate(theta, np.array([0.0, 0, 0, 1, 1]), np.ones(5), c_max=2.0)
    assert out.verdict == INCONCLUSIVE and "fewer than 3 points" in out.details["slope"]
    assert check_upper_rate(theta, np.array([0.0, 0, 0, 9, 1]), np.ones(5),
                            c_max=2.0).verdict == "fail"      # the constant alone fails
    out = check_rate_exponent(theta, np.array([0.0, 1, 2, 4, 8]), 1.0)
    assert out.verdict == INCONCLUSIVE and "no log-log slope" in out.details["undefined"]
