r"""Published bounds as vectorised functions (THEORY.md is the contract).

Each function states its formula, the paper and item, and refuses arguments
outside the theorem's domain.  Each carries ``.formula`` (a :mod:`sympy`
expression for display in reports) and ``.reference`` (paper and item), the
way :func:`sklearn.random_projection.johnson_lindenstrauss_min_dim` carries
its Johnson–Lindenstrauss formula.

Paper keys: **P2** = Awasthi, Dikkala, Kamath, Meka, *Learning Neural
Networks with Sparse Activations*, COLT 2024 (arXiv 2406.17989), numbered as
in arXiv v1; **P1** = Baykal, Dikkala, Panigrahy, Rashtchian, Wang, *A
Theoretical View on Sparsely Activated Networks*, NeurIPS 2022 (arXiv 2208.04461).

One argument order throughout, the order in which the theorems state them: first the class
(P2's :math:`\mathcal H^{W,B}_{n,s,k}`: ``n_vars, n_hidden, n_active, W, B``; P1's
``intrinsic_dim, dim``), then the data (``R, n_samples``), then the accuracy
(``degree, eps, delta, rho``), then constants with defaults.  ``W`` bounds
:math:`\|u\|_\infty\max_j\|w_j\|_2`, ``B`` bounds :math:`\|u\|_\infty\max_j|b_j|`
(P2 Def. 1.2) and ``R`` bounds :math:`\|x\|_2` on the sample (P2 §5).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ._validation import check_finite_output, check_int, check_memory, check_real_array

__all__ = ["claim_1_tail_bound", "tail_bound_from_average_sensitivity",
           "noise_sensitivity_bound_from_average_sensitivity", "kos_tail_bound",
           "lemma_2_1_rate", "lemma_2_1_explicit", "formula_latex", "sup_norm_bound",
           "lemma_2_3_sample_size", "lemma_3_2_rate", "lemma_3_2_derived", "lemma_3_2_weighted",
           "lemma_3_4_rate", "lemma_3_4_derived", "peres_rho", "theorem_3_1_degree",
           "theorem_3_1_degree_derived", "theorem_3_1_sample_size", "rademacher_explicit_bound",
           "eq_15_rate", "conj_5_5_rate", "dense_rademacher_bound", "lemma_5_2_explicit",
           "theorem_4_1_sample_size", "theorem_4_1_table_size", "theorem_4_1_forward_cost",
           "lemma_4_2_diameter", "lemma_4_2_buckets", "theorem_4_3_width",
           "theorem_4_3_counting_width", "eq_1_dense_cost", "theorem_b_1_sample_size",
           "theorem_b_1_table_size", "zero_bias_floor_hypercube", "zero_bias_floor_polynomial",
           "zero_bias_floor_quadrature", "zero_bias_floor_mc"]

_p, _n, _rho, _d, _NS, _AS = sp.symbols(r"p n \rho d \mathrm{NS}_\rho \mathrm{AS}", positive=True)


def _attach(formula, reference):
    def deco(fn):
        fn.formula = formula
        fn.reference = reference
        return fn
    return deco


def _out(x):
    return float(x) if np.ndim(x) == 0 else x


def _product(*factors):
    """``prod(base ** power)`` over nonnegative ``(base, power)`` pairs, never NaN.

    Computed directly; where that overflows or meets ``0 * inf`` (a zero factor beside an
    overflowed one), the value is taken from log space instead: 0 if a base with positive
    power is 0, else ``exp`` of the summed logs (``inf`` beyond the float range).  So a
    bound is finite, 0 or ``inf``, and bitwise the direct product wherever that is finite.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        direct = 1.0
        for base, power in factors:
            direct = direct * np.asarray(base, dtype=np.float64) ** power
        if np.all(np.isfinite(direct)):
            return direct
        logs = sum(np.where(np.asarray(power) == 0, 0.0,
                            power * np.log(np.asarray(base, dtype=np.float64)))
                   for base, power in factors)
        return np.where(np.isfinite(direct), direct, np.exp(logs))


def _int_array(d, name, low=1):
    """``d`` as an integer array with entries ``>= low``, or raise naming ``name``."""
    arr = np.asarray(d)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer) or np.any(arr < low):
        raise ValueError(f"{name} must be integers >= {low}; got {d!r}")
    return arr


def formula_latex(fn):
    """LaTeX of a bound function's sympy formula (``"bound = ..."``)."""
    if not callable(fn) or not hasattr(fn, "formula"):
        raise TypeError(f"fn must be one of pactools.bounds' functions (they carry a .formula); "
                        f"got {fn!r}")
    return sp.latex(fn.formula)


@_attach(sp.Le(sp.Symbol(r"\sum_{|T|>d}\hat f(T)^2"), 2 * _NS / (1 - _rho ** _d)),
         "P2 Claim 1 (= COLT Claim 2.1; KOS 2004)")
def claim_1_tail_bound(noise_sensitivity, rho, degree):
    r"""Claim 1: :math:`\sum_{|T|>d}\hat f(T)^2\le 2\,\mathrm{NS}_\rho(f)/(1-\rho^d)`.

    Parameters
    ----------
    noise_sensitivity : array_like, >= 0
        :math:`\mathrm{NS}_\rho(f)` with P2's ¼-normalisation.
    rho : array_like in [0, 1)
        Correlation (the derivation uses :math:`1-\rho^{|T|}\ge1-\rho^d`, valid for
        :math:`0\le\rho<1`).
    degree : int array_like, >= 1

    Returns
    -------
    bound : float or ndarray

    References
    ----------
    P2, Claim 1; Klivans, O'Donnell, Servedio (2004).

    Examples
    --------
    >>> claim_1_tail_bound(0.25, 0.5, 1)   # a dictator: tail above degree 1 is 0
    1.0
    """
    ns = check_real_array("noise_sensitivity", noise_sensitivity, low=0.0)
    r = check_real_array("rho", rho, low=0.0, high=1.0, high_open=True)
    d = _int_array(degree, "degree")
    return _out(2.0 * ns / (1.0 - r ** d))


@_attach(sp.Le(sp.Symbol(r"\sum_{|T|>d}\hat f(T)^2"), _AS / (_d + 1)),
         "THEORY.md §A.4 (DERIVED from AS = sum |T| f(T)^2)")
def tail_bound_from_average_sensitivity(average_sensitivity, degree):
    r""":math:`\sum_{|T|>d}\hat f(T)^2\le\mathrm{AS}(f)/(d+1)` (DERIVED, THEORY.md §A.4)."""
    a = check_real_array("average_sensitivity", average_sensitivity, low=0.0)
    d = _int_array(degree, "degree", low=0)
    return _out(a / (d + 1.0))


@_attach(sp.Le(_NS, (1 - _rho) / 2 * _AS), "THEORY.md §A.4 (DERIVED; 1-rho^j <= j(1-rho))")
def noise_sensitivity_bound_from_average_sensitivity(average_sensitivity, rho):
    r""":math:`\mathrm{NS}_\rho(f)\le\frac{1-\rho}2\mathrm{AS}(f)` for :math:`0\le\rho\le1` (DERIVED)."""
    a = check_real_array("average_sensitivity", average_sensitivity, low=0.0)
    r = check_real_array("rho", rho, low=0.0, high=1.0)
    return _out((1.0 - r) / 2.0 * a)


@_attach(sp.Le(sp.Symbol(r"\sum_{|T|\ge 1/\delta}\hat f(T)^2"), 2 / (1 - sp.exp(-2)) * _NS),
         "THEORY.md §A.4 (KOS constant, DERIVED)")
def kos_tail_bound(noise_sensitivity):
    r"""KOS form: :math:`\sum_{|T|\ge1/\delta}\hat f(T)^2\le\frac{2}{1-e^{-2}}\mathrm{NS}_{1-2\delta}(f)`."""
    ns = check_real_array("noise_sensitivity", noise_sensitivity, low=0.0)
    return _out(2.0 / (1.0 - np.exp(-2.0)) * ns)


def _p_n(p, n_vars):
    p = check_real_array("p", p, low=0.0, high=1.0, low_open=True)
    return p, _int_array(n_vars, "n_vars")


@_attach(sp.Symbol(r"\mathrm{AS}(g)") <= sp.Symbol("C") * _p * sp.sqrt(_n * sp.log(1 / _p)),
         "P2 Lemma 2.1 (= COLT Lemma 6; Kane 2014), O-form")
def lemma_2_1_rate(p, n_vars):
    r"""Lemma 2.1, rate without its constant: :math:`p\sqrt{n\ln(1/p)}`.

    The lemma says :math:`\mathrm{AS}(g)=O(p\sqrt{n\log(1/p)})` for a
    halfspace :math:`g:\{\pm1\}^n\to\{0,1\}` with :math:`\mathbb E g=p`.

    Parameters
    ----------
    p : array_like in (0, 1]
    n_vars : int array_like, >= 1

    Examples
    --------
    >>> round(lemma_2_1_rate(0.5, 100), 6)
    4.162773
    """
    p, n = _p_n(p, n_vars)
    return _out(p * np.sqrt(n * np.log(1.0 / p)))


@_attach(sp.Symbol(r"\mathrm{AS}(g)") <= _p * sp.sqrt(_n / 2 * sp.log(1 / _p)),
         "THEORY.md §A.5 explicit-constant Lemma 2.1 (DERIVED; Gibbs/Donsker-Varadhan)")
def lemma_2_1_explicit(p, n_vars):
    r"""Lemma 2.1 with its constant: :math:`\mathrm{AS}(g)\le p\sqrt{\tfrac n2\ln\tfrac1p}`.

    Holds for every unate (in particular every halfspace) ``{0,1}``-valued
    ``g`` with ``E g = p`` (THEORY.md §A.5, DERIVED with proof); tight for
    symmetric thresholds as ``p -> 0``.
    """
    p, n = _p_n(p, n_vars)
    return _out(p * np.sqrt(n / 2.0 * np.log(1.0 / p)))


# --------------------------------------------------------------------------- P2 §3
_k, _s, _W, _B, _eps, _delta, _C = sp.symbols(r"k s W B \varepsilon \delta C_{\mathcal{H}}",
                                             positive=True)


def _net_args(n_vars, n_hidden, n_active, W, B):
    n = _int_array(n_vars, "n_vars")
    s = _int_array(n_hidden, "n_hidden")
    k = _int_array(n_active, "n_active")
    if np.any(k > s):
        raise ValueError(f"n_active must be <= n_hidden; got n_active={n_active!r}, "
                         f"n_hidden={n_hidden!r}")
    w = check_real_array("W", W, low=0.0)
    b = check_real_array("B", B, low=0.0)
    return n, s, k, w, b


@_attach(sp.Eq(_C, _k * (_W * sp.sqrt(_n) + _B)), "P2 proof of Theorem 3.1 (C_H on the cube)")
def sup_norm_bound(n_vars, n_active, W, B):
    r""":math:`C_{\mathcal H}=k(W\sqrt n+B)`: :math:`\sup|h|` over :math:`\mathcal H^{W,B}_{n,s,k}` on the cube."""
    n = _int_array(n_vars, "n_vars")
    k = _int_array(n_active, "n_active")
    w = check_real_array("W", W, low=0.0)
    b = check_real_array("B", B, low=0.0)
    return _out(k * (w * np.sqrt(n) + b))


@_attach(sp.Symbol("N") >= _n ** _d * _C ** 2 * sp.log(1 / _delta) / _eps,
         "P2 Lemma 2.3 (= COLT Lemma 7), constant 1")
def lemma_2_3_sample_size(n_vars, degree, sup_norm, eps, delta, constant=1.0):
    r"""Lemma 2.3 sample/time complexity :math:`c\,n^dC_{\mathcal H}^2\log(1/\delta)/\varepsilon`.

    The lemma is an :math:`O(\cdot)`; ``constant`` is the ``c`` the caller
    commits to (§C.2 (b) uses ``c = 1``).
    """
    n = _int_array(n_vars, "n_vars")
    d = _int_array(degree, "degree", low=0)
    c_h = check_real_array("sup_norm", sup_norm, low=0.0)
    e = check_real_array("eps", eps, low=0.0, low_open=True)
    dl = check_real_array("delta", delta, low=0.0, high=1.0, low_open=True, high_open=True)
    c = check_real_array("constant", constant, low=0.0, low_open=True)
    return _out(_product((c, 1), (n, d), (c_h, 2), (np.log(1 / dl), 1), (e, -1)))


@_attach(sp.Symbol(r"\mathrm{AS}(h)") <= sp.Symbol("C") * (
    _k ** 4 * _W ** 2 * sp.sqrt(_n) * sp.log(_n * _s) + _k ** 3 * _B ** 2 * sp.sqrt(sp.log(_s))),
    "P2 Lemma 3.2 (= COLT Lemma 9), O-form")
def lemma_3_2_rate(n_vars, n_hidden, n_active, W, B):
    r"""Lemma 3.2 rate: :math:`k^4W^2\sqrt n\log(ns)+k^3B^2\sqrt{\log s}` (natural logs).

    ``AS(h) = O(rate)`` for :math:`h\in\mathcal H^{W,B}_{n,s,k}`.  THEORY §A.8:
    the proof's last line actually yields a larger expression, but the
    statement is true because of :func:`lemma_3_2_derived`.
    """
    n, s, k, w, b = _net_args(n_vars, n_hidden, n_active, W, B)
    return _out(_product((k, 4.0), (w, 2), (n, 0.5), (np.log(n * s), 1))
                + _product((k, 3.0), (b, 2), (np.log(s), 0.5)))


@_attach(sp.Symbol(r"\mathrm{AS}(h)") <= 4 * _k ** 2 * _W ** 2,
         "THEORY.md §A.8-D (DERIVED sharper Lemma 3.2, with proof)")
def lemma_3_2_derived(n_active, W, *, k_exponent=2):
    r"""Explicit :math:`\mathrm{AS}(h)\le4k^2W^2`, independent of ``n``, ``s``, ``B`` (§A.8-D).

    ``k_exponent`` exists for negative controls only (``1`` gives the false
    :math:`4kW^2`, which the aligned network violates).

    >>> lemma_3_2_derived(2, 1.0)
    16.0
    """
    k = _int_array(n_active, "n_active")
    w = check_real_array("W", W, low=0.0)
    return _out(4.0 * k.astype(np.float64) ** k_exponent * w ** 2)


def lemma_3_2_weighted(n_active, active_probability, output_weights, weight_norms):
    r"""The first, tighter form of §A.8-D: :math:`4k\sum_jp_j\,u_j^2\|w_j\|^2`.

    ``active_probability`` are the exact :math:`p_j=\Pr_x[j\text{ active}]`
    (e.g. :func:`pactools.networks.enumerate_network`).
    """
    k = check_int("n_active", n_active, low=1)
    p = check_real_array("active_probability", active_probability, low=0.0, high=1.0)
    u = check_real_array("output_weights", output_weights)
    wn = check_real_array("weight_norms", weight_norms, low=0.0)
    if not (p.shape == u.shape == wn.shape):
        raise ValueError(f"active_probability, output_weights and weight_norms must have one "
                         f"shape; got {p.shape}, {u.shape}, {wn.shape}")
    return float(4.0 * k * np.sum(p * u ** 2 * wn ** 2))


_j = sp.Symbol("j", integer=True)
lemma_3_2_weighted.formula = sp.Symbol(r"\mathrm{AS}(h)") <= 4 * _k * sp.Sum(
    sp.IndexedBase("p")[_j] * sp.IndexedBase("u")[_j] ** 2
    * sp.IndexedBase(r"\|w\|")[_j] ** 2, (_j, 1, _s))
lemma_3_2_weighted.reference = "THEORY.md §A.8-D (DERIVED)"


@_attach(sp.Symbol(r"\mathrm{NS}_\rho(h)") <= sp.Symbol("C") * sp.sqrt(1 - _rho) * (
    _k ** 4 * _W ** 2 * sp.log(_n * _s / (1 - _rho)) ** 2 + _k ** 3 * _B ** 2 * sp.sqrt(sp.log(_s))),
    "P2 Lemma 3.4 (= COLT Lemma 10), O-form")
def lemma_3_4_rate(n_vars, n_hidden, n_active, W, B, rho):
    r"""Lemma 3.4 rate: :math:`\sqrt{1-\rho}\,(k^4W^2\log^2\frac{ns}{1-\rho}+k^3B^2\sqrt{\log s})`."""
    r = check_real_array("rho", rho, low=0.0, high=1.0, high_open=True)
    n, s, k, w, b = _net_args(n_vars, n_hidden, n_active, W, B)
    return _out(_product((1 - r, 0.5), (_product((k, 4.0), (w, 2), (np.log(n * s / (1 - r)), 2))
                                        + _product((k, 3.0), (b, 2), (np.log(s), 0.5)), 1)))


@_attach(sp.Symbol(r"\mathrm{NS}_\rho(h)") <= 2 * (1 - _rho) * _k ** 2 * _W ** 2,
         "THEORY.md §A.9 (DERIVED sharper Lemma 3.4)")
def lemma_3_4_derived(n_active, W, rho, *, k_exponent=2):
    r"""Explicit :math:`\mathrm{NS}_\rho(h)\le\frac{1-\rho}2\mathrm{AS}(h)\le2(1-\rho)k^2W^2`.

    Linear in :math:`1-\rho`, where the paper has :math:`\sqrt{1-\rho}`.
    ``k_exponent`` exists for negative controls only.
    """
    r = check_real_array("rho", rho, low=0.0, high=1.0)
    k = _int_array(n_active, "n_active")
    w = check_real_array("W", W, low=0.0)
    return _out(2.0 * (1 - r) * k.astype(np.float64) ** k_exponent * w ** 2)


@_attach(sp.Eq(_rho, 1 - 2 / sp.Symbol("r")), "THEORY.md §A.9 (Peres construction, DERIVED)")
def peres_rho(n_buckets):
    r"""The :math:`\rho=1-2/r` at which Peres' bucket construction (17) is exact."""
    r = _int_array(n_buckets, "n_buckets", low=2)
    return _out(1.0 - 2.0 / r)


@_attach(sp.Symbol("d") >= (_k ** 8 * _W ** 4 * sp.log(_n * _s) ** 4
                            + _k ** 6 * _B ** 4 * sp.log(_s)) / _eps ** 2,
         "P2 Theorem 3.1 (= COLT Thm 8), degree, constant 1")
def theorem_3_1_degree(n_vars, n_hidden, n_active, W, B, eps):
    r"""Theorem 3.1 degree :math:`(k^8W^4\log^4(ns)+k^6B^4\log s)/\varepsilon^2` (the Θ with constant 1)."""
    e = check_real_array("eps", eps, low=0.0, low_open=True)
    n, s, k, w, b = _net_args(n_vars, n_hidden, n_active, W, B)
    return _out(_product((_product((k, 8.0), (w, 4), (np.log(n * s), 4))
                          + _product((k, 6.0), (b, 4), (np.log(s), 1)), 1), (e, -2)))


@_attach(sp.Symbol("d") >= sp.ceiling(4 * _k ** 2 * _W ** 2 / _eps),
         "THEORY.md §A.7 (DERIVED improvement: tail(d) <= 4 k^2 W^2 / (d + 1))")
def theorem_3_1_degree_derived(n_active, W, eps):
    r"""Degree that provably suffices, :math:`\lceil4k^2W^2/\varepsilon\rceil` (§A.7 DERIVED).

    >>> theorem_3_1_degree_derived(1, 1.0, 0.5)
    8
    """
    e = check_real_array("eps", eps, low=0.0, low_open=True)
    k = _int_array(n_active, "n_active")
    w = check_real_array("W", W, low=0.0)
    d = np.ceil(4.0 * k.astype(np.float64) ** 2 * w ** 2 / e).astype(np.int64)
    return int(d) if np.ndim(d) == 0 else d


@_attach(sp.Symbol("N") >= _n ** _d * _k ** 2 * (_W * sp.sqrt(_n) + _B) ** 2
         * sp.log(1 / _delta) / _eps, "P2 Theorem 3.1 (= COLT Thm 8), samples/time, constant 1")
def theorem_3_1_sample_size(n_vars, n_active, W, B, degree, eps, delta, constant=1.0):
    r"""Theorem 3.1 samples and time :math:`c\,n^dk^2(W\sqrt n+B)^2\log(1/\delta)/\varepsilon`."""
    return lemma_2_3_sample_size(n_vars, degree, sup_norm_bound(n_vars, n_active, W, B), eps,
                                 delta, constant)


# --------------------------------------------------------------------------- P2 §5
_R, _m = sp.symbols("R m", positive=True)


def _rad_args(n_vars, n_hidden, n_active, W, B, R, n_samples):
    w = check_real_array("W", W, low=0.0)
    r = check_real_array("R", R, low=0.0)
    b = check_real_array("B", B, low=0.0)
    n = _int_array(n_vars, "n_vars")
    m = _int_array(n_samples, "n_samples")
    s = _int_array(n_hidden, "n_hidden")
    k = _int_array(n_active, "n_active")
    if np.any(k > s):
        raise ValueError(f"n_active must be <= n_hidden; got {n_active!r} > {n_hidden!r}")
    return w, r, b, n, m, s, k


@_attach(sp.Symbol(r"\mathcal R_S") <= (_W * _R + _B) * (sp.Symbol("t") * sp.sqrt(_s * _k) + 1)
         / sp.sqrt(_m), "THEORY.md §A.13 explicit-constant form of P2 eqs. (1)/(15) (DERIVED)")
def rademacher_explicit_bound(n_vars, n_hidden, n_active, W, B, R, n_samples):
    r"""Explicit :math:`\mathcal R_S\le(WR+B)(t\sqrt{sk}+1)/\sqrt m`, :math:`t=\sqrt{2\ln(2(n+1)kG\sqrt m)}`.

    :math:`G=\sum_{i\le n+1}\binom mi` (affine halfspaces' growth function, computed in
    log space).  Valid for networks ``k``-sparse on the sample (THEORY §A.13).
    """
    from scipy.special import gammaln, logsumexp
    w, r, b, n, m, s, k = _rad_args(n_vars, n_hidden, n_active, W, B, R, n_samples)
    n_b, m_b = np.broadcast_arrays(n, m)
    logG = np.array([logsumexp([gammaln(mm + 1) - gammaln(i + 1) - gammaln(mm - i + 1)
                                for i in range(0, min(int(nn) + 1, int(mm)) + 1)])
                     for nn, mm in zip(np.ravel(n_b), np.ravel(m_b))]).reshape(n_b.shape)
    t = np.sqrt(2 * (np.log(2 * (n + 1) * k) + logG + 0.5 * np.log(m)))
    return _out((w * r + b) * (t * np.sqrt(s * k) + 1) / np.sqrt(m))


@_attach(sp.Symbol(r"\mathcal R_S") <= sp.Symbol("C") * (_W * _R + _B) * sp.sqrt(
    _s * _n * _k * sp.log(_k * _m * (_R + _B))) / sp.sqrt(_m), "P2 Theorem 5.3 eq. (1) / eq. (15)")
def eq_15_rate(n_vars, n_hidden, n_active, W, B, R, n_samples):
    r"""Eq. (15) (eq. (1) at ``k = 1``): :math:`(WR+B)\sqrt{snk\log(km(R+B))}/\sqrt m`."""
    w, r, b, n, m, s, k = _rad_args(n_vars, n_hidden, n_active, W, B, R, n_samples)
    arg = k * m * (r + b)
    if np.any(arg < 1):
        raise ValueError(f"eq. (15)'s log(n_active * n_samples * (R + B)) must be >= 0, i.e. "
                         f"n_active * n_samples * (R + B) >= 1; got {np.min(arg)!r} "
                         f"(n_active={n_active!r}, n_samples={n_samples!r}, R={R!r}, B={B!r})")
    return _out((w * r + b) * np.sqrt(s * n * k * np.log(arg)) / np.sqrt(m))


@_attach(sp.Symbol(r"\mathcal R_S") <= sp.Symbol("C") * (_W * _R + _B) * sp.sqrt(_s * _k)
         / sp.sqrt(_m), "P2 Conjecture 5.5 eq. (16)")
def conj_5_5_rate(n_hidden, n_active, W, B, R, n_samples):
    r"""Conjecture 5.5, eq. (16): :math:`(WR+B)\sqrt{sk}/\sqrt m` (no explicit ``n``)."""
    w, r, b, _, m, s, k = _rad_args(1, n_hidden, n_active, W, B, R, n_samples)
    return _out((w * r + b) * np.sqrt(s * k) / np.sqrt(m))


@_attach(sp.Symbol(r"\mathcal R_S") <= (_W * _R + _B) * _s / sp.sqrt(_m),
         "P2 §5, dense bound (Anthony-Bartlett, as quoted)")
def dense_rademacher_bound(n_hidden, W, B, R, n_samples):
    r"""Dense one-hidden-layer bound :math:`(WR+B)s/\sqrt m` as P2 quotes it."""
    w, r, b, _, m, s, _ = _rad_args(1, n_hidden, 1, W, B, R, n_samples)
    return _out((w * r + b) * s / np.sqrt(m))


@_attach(sp.Symbol(r"\mathcal L_D(\mathrm{ERM})") <= 4 * _C * sp.Symbol(r"\mathcal R_S")
         + 10 * _C ** 2 * sp.sqrt(2 * sp.log(8 / _delta) / _m),
         "THEORY.md §A.13 explicit Lemma 5.2 (DERIVED from SSBD 26.5, 26.9)")
def lemma_5_2_explicit(sup_norm, rademacher, n_samples, delta):
    r"""Realizable ERM: :math:`\mathcal L_D\le4C\mathcal R_S+10C^2\sqrt{2\ln(8/\delta)/m}` w.p. ``>= 1 - delta``."""
    c = check_real_array("sup_norm", sup_norm, low=0.0)
    rs = check_real_array("rademacher", rademacher, low=0.0)
    m = _int_array(n_samples, "n_samples")
    dl = check_real_array("delta", delta, low=0.0, high=1.0, low_open=True, high_open=True)
    return _out(4 * c * rs + 10 * c ** 2 * np.sqrt(2 * np.log(8 / dl) / m))


# --------------------------------------------------------------------------- P1
# Baykal, Dikkala, Panigrahy, Rashtchian, Wang, *A Theoretical View on Sparsely
# Activated Networks*, NeurIPS 2022 (arXiv 2208.04461), THEORY.md Part B.
_L, _w, _D, _sig, _Cc, _t, _Nc, _bits = sp.symbols(
    r"L w D \sigma_{\min} C t N_{\mathrm{cells}} B", positive=True)
_dim = sp.Symbol("d", positive=True)


def _p1_args(intrinsic_dim, dim, eps, lipschitz):
    k = _int_array(intrinsic_dim, "intrinsic_dim")
    d = _int_array(dim, "dim")
    e = check_real_array("eps", eps, low=0.0, low_open=True)
    lip = check_real_array("lipschitz", lipschitz, low=0.0, low_open=True)
    if np.any(k > d):
        raise ValueError(f"intrinsic_dim must be <= dim; got intrinsic_dim={intrinsic_dim!r}, "
                         f"dim={dim!r}")
    return k, d, e, lip


def _log_arg(name, ratio, text):
    if np.any(ratio <= 1.0):
        raise ValueError(f"{name} must be < {text} (the logarithm must be positive); got "
                         f"ratio {float(np.min(ratio))!r}")
    return ratio


@_attach(sp.Symbol("N") >= _k * (_L * sp.sqrt(_dim) / _eps) ** _k
         * sp.log(_L * sp.sqrt(_dim) / _eps),
         "P1 Theorem 4.1 (samples, O-form; L^k reading of THEORY.md §B.4)")
def theorem_4_1_sample_size(intrinsic_dim, dim, eps, lipschitz=1.0):
    r"""Theorem 4.1's sample size without its constant: :math:`k(L\sqrt d/\epsilon)^k\log(L\sqrt d/\epsilon)`.

    The theorem prints :math:`kL\sqrt d^{\,k}\log(\cdot)/\epsilon^k`; its proof's cover
    has :math:`(L\sqrt d/\epsilon)^k` cells, so ``L`` enters as :math:`L^k` (THEORY §B.4).

    Parameters
    ----------
    intrinsic_dim : int array_like, 1 <= k <= dim
    dim : int array_like, >= 1
    eps : array_like, 0 < eps < lipschitz * sqrt(dim)
    lipschitz : array_like, > 0

    Examples
    --------
    >>> round(theorem_4_1_sample_size(1, 4, 0.1), 4)
    59.9146
    """
    k, d, e, lip = _p1_args(intrinsic_dim, dim, eps, lipschitz)
    r = _log_arg("eps", lip * np.sqrt(d) / e, "lipschitz * sqrt(dim)")
    return _out(k * r ** k * np.log(r))


@_attach(sp.Symbol(r"\#\mathrm{buckets}") <= (_L * sp.sqrt(_dim) / _eps) ** _k,
         "P1 Theorem 4.1 (table size, O-form; L^k reading)")
def theorem_4_1_table_size(intrinsic_dim, dim, eps, lipschitz=1.0):
    r"""Theorem 4.1's table size without its constant: :math:`(L\sqrt d/\epsilon)^k`."""
    k, d, e, lip = _p1_args(intrinsic_dim, dim, eps, lipschitz)
    return _out((lip * np.sqrt(d) / e) ** k)


@_attach(sp.Symbol(r"\mathrm{cost}") <= _dim * _k * sp.log(_L * sp.sqrt(_dim) / _eps),
         "P1 Theorem 4.1 (forward pass, O-form) = the sparse side of Eq. (1)")
def theorem_4_1_forward_cost(intrinsic_dim, dim, eps, lipschitz=1.0):
    r"""Forward-pass cost without its constant: :math:`dk\log(L\sqrt d/\epsilon)`."""
    k, d, e, lip = _p1_args(intrinsic_dim, dim, eps, lipschitz)
    r = _log_arg("eps", lip * np.sqrt(d) / e, "lipschitz * sqrt(dim)")
    return _out(d * k * np.log(r))


@_attach(sp.Symbol(r"\|x_1-x_2\|") <= _w * sp.sqrt(_D) / _sig,
         "P1 Lemma 4.2 (bucket diameter; corrected sqrt(Ck), THEORY.md §B.5)")
def lemma_4_2_diameter(bucket_width, n_projections, sigma_min):
    r"""Diameter certificate of a bucket inside :math:`\mathrm{span}(U)`: :math:`w\sqrt D/\sigma_{\min}(AU)`.

    Same bucket gives :math:`\|AU(z_1-z_2)\|_\infty<w`, hence
    :math:`\|x_1-x_2\|\le w\sqrt D/\sigma_{\min}(AU)` (the paper prints :math:`\sqrt k`).
    Needs ``sigma_min > 0``: with fewer projections than the subspace's dimension
    :math:`\sigma_{\min}(AU)=0` and no diameter is certified.

    >>> round(lemma_4_2_diameter(0.5, 4, 1.0), 6)
    1.0
    """
    w = check_real_array("bucket_width", bucket_width, low=0.0, low_open=True)
    D = _int_array(n_projections, "n_projections")
    s = check_real_array("sigma_min", sigma_min, low=0.0, low_open=True)
    return _out(w * np.sqrt(D) / s)


@_attach(sp.Symbol(r"\#\mathrm{buckets}") <= (2 * sp.sqrt(_dim) / _w) ** (_Cc * _k),
         "P1 Lemma 4.2 (bucket count, the O(k) with constant C)")
def lemma_4_2_buckets(intrinsic_dim, dim, bucket_width, exponent_constant=2.0):
    r"""Buckets meeting :math:`\Gamma`: :math:`(2\sqrt d/w)^{ck}`, the lemma's ``O(k)`` read as ``c k``."""
    k = _int_array(intrinsic_dim, "intrinsic_dim")
    d = _int_array(dim, "dim")
    w = check_real_array("bucket_width", bucket_width, low=0.0, low_open=True)
    c = check_real_array("exponent_constant", exponent_constant, low=0.0, low_open=True)
    return _out((2 * np.sqrt(d) / w) ** (c * k))


@_attach(_t >= (sp.sqrt(_dim) * _L / (_Cc * _eps)) ** _k,
         "P1 Theorem 4.3 (dense width, O-form)")
def theorem_4_3_width(intrinsic_dim, dim, eps, lipschitz=1.0, constant=1.0):
    r"""Theorem 4.3's width lower bound without its ``Omega`` constant: :math:`(\sqrt dL/(C\epsilon))^k`."""
    k, d, e, lip = _p1_args(intrinsic_dim, dim, eps, lipschitz)
    c = check_real_array("constant", constant, low=0.0, low_open=True)
    return _out((np.sqrt(d) * lip / (c * e)) ** k)


@_attach(_t >= _Nc / _bits, "P1 Theorem 4.3 (the counting step of its proof, THEORY.md §B.6)")
def theorem_4_3_counting_width(n_cells, bits=32):
    r"""The proof's exact counting bound: :math:`2^{Bt}\ge|\mathcal F|=2^{N_{\mathrm{cells}}}`, so :math:`t\ge N_{\mathrm{cells}}/B`.

    >>> theorem_4_3_counting_width(64, bits=32)
    2.0
    """
    n = _int_array(n_cells, "n_cells")
    b = check_int("bits", bits, low=1)
    return _out(n / b)


@_attach(sp.Symbol(r"\mathrm{cost}_{\mathrm{dense}}") >= _dim * (2 * sp.sqrt(_dim)
                                                                 / (_Cc * _eps)) ** _k,
         "P1 Eq. (1) (dense side, O-form)")
def eq_1_dense_cost(intrinsic_dim, dim, eps, constant=1.0):
    r"""Eq. (1)'s dense forward cost without its constant: :math:`d(2\sqrt d/(C\epsilon))^k`."""
    k, d, e, _ = _p1_args(intrinsic_dim, dim, eps, 1.0)
    c = check_real_array("constant", constant, low=0.0, low_open=True)
    return _out(d * (2 * np.sqrt(d) / (c * e)) ** k)


@_attach(sp.Symbol("N") >= _k * sp.sqrt(_dim * _k) ** _k * sp.log(sp.sqrt(_dim * _k) / _eps)
         / _eps ** _k, "P1 Theorem B.1 (samples on a k-manifold, O-form)")
def theorem_b_1_sample_size(intrinsic_dim, dim, eps):
    r"""Theorem B.1's sample size without its constant: :math:`k\sqrt{dk}^{\,k}\log(\sqrt{dk}/\epsilon)/\epsilon^k`."""
    k, d, e, _ = _p1_args(intrinsic_dim, dim, eps, 1.0)
    r = _log_arg("eps", np.sqrt(d * k) / e, "sqrt(dim * intrinsic_dim)")
    return _out(k * r ** k * np.log(r))


@_attach(sp.Symbol(r"\#\mathrm{buckets}") <= (sp.sqrt(_dim * _k) / _eps) ** _k,
         "P1 Theorem B.1 (table size on a k-manifold, O-form)")
def theorem_b_1_table_size(intrinsic_dim, dim, eps):
    r"""Theorem B.1's table size without its constant: :math:`(\sqrt{dk}/\epsilon)^k`."""
    k, d, e, _ = _p1_args(intrinsic_dim, dim, eps, 1.0)
    return _out((np.sqrt(d * k) / e) ** k)


# --------------------------------------------------------------------------- P1 §5

def _cube_moments(exponents):
    r""":math:`E[x^\alpha]=\prod_i E[x_i^{\alpha_i}]` under :math:`U([-1,1]^d)` for each row (last
    axis) of ``exponents``: :math:`1/(a+1)` for even ``a``, 0 for odd."""
    a = np.asarray(exponents)
    return np.prod(np.where(a % 2 == 0, 1.0 / (a + 1.0), 0.0), axis=-1)


_floor = sp.Symbol(r"\mathrm{MSE}(a^\top\mathrm{relu}(Bx)+c)") >= sp.Symbol(
    r"E[(f_{\mathrm{odd}}-\Pi_{\mathrm{lin}}f_{\mathrm{odd}})^2]")


@_attach(_floor, "P1 §5 (zero-bias dense models; P1-EXPERIMENTS.md §2.2, DERIVED)")
def zero_bias_floor_hypercube(coeffs):
    r"""The exact MSE floor of every zero-bias dense model on a multilinear target: :math:`\sum_{|S|\text{ odd}\ge3}\hat f(S)^2\,3^{-|S|}`.

    A model :math:`g(x)=a^\top\mathrm{relu}(Bx)+c` without bottom bias has
    :math:`g(x)-g(-x)=a^\top Bx`: its odd part is linear.  Under the symmetric law
    :math:`U([-1,1]^d)` the MSE splits into even and odd parts, so at every width
    :math:`\mathrm{MSE}(g)\ge E[(f_{\mathrm{odd}}-\Pi_{\mathrm{lin}}f_{\mathrm{odd}})^2]`.  For
    :math:`f=\sum_S\hat f(S)x^S` the :math:`x^S` are orthogonal with
    :math:`E[(x^S)^2]=3^{-|S|}`: the odd part is the odd-``|S|`` terms and its linear
    projection the ``|S| = 1`` terms.  Averaged over P1's random hypercube function at
    ``d = 8`` it is 0.00902.

    Parameters
    ----------
    coeffs : array_like, length ``2**dim``
        Fourier coefficients :math:`\hat f(S)` indexed by bitmask ``S``.

    >>> zero_bias_floor_hypercube([0, 0, 0, 0, 0, 0, 0, 1.0])     # x1 x2 x3
    0.037037037037037035
    """
    from .hypercube import popcounts
    c = np.asarray(coeffs, dtype=np.float64)
    n = int(np.log2(c.size)) if c.size else -1
    if c.ndim != 1 or c.size != 1 << max(n, 0) or not np.all(np.isfinite(c)):
        raise ValueError(f"coeffs must be a finite 1-d array of length 2**dim; got shape "
                         f"{c.shape}")
    size = popcounts(n).astype(np.int64)
    keep = (size % 2 == 1) & (size >= 3)
    return float(np.sum(c[keep] ** 2 * 3.0 ** -size[keep]))


@_attach(_floor, "P1 §5 (zero-bias dense models; P1-EXPERIMENTS.md §2.2, DERIVED)")
def zero_bias_floor_polynomial(exponents, coefs):
    r"""The exact zero-bias dense MSE floor of a polynomial :math:`\sum_\alpha c_\alpha x^\alpha` under :math:`U([-1,1]^d)`.

    :math:`f_{\mathrm{odd}}` is the sum of the odd-degree terms; its projection on the
    linear functions is :math:`\sum_i\beta_ix_i` with
    :math:`\beta_i=3E[f_{\mathrm{odd}}x_i]`, so the floor is
    :math:`E[f_{\mathrm{odd}}^2]-3\sum_iE[f_{\mathrm{odd}}x_i]^2`, every expectation a moment
    :math:`E[x^\alpha]=\prod_i1/(\alpha_i+1)` (even :math:`\alpha_i`; 0 otherwise).  See
    :func:`zero_bias_floor_hypercube` for why no zero-bias model goes below it.

    >>> round(zero_bias_floor_polynomial([[3]], [1.0]), 12)   # x**3: 1/7 - 3 (1/5)**2 = 4/175
    0.022857142857
    """
    E = np.asarray(exponents)
    c = np.asarray(coefs, dtype=np.float64)
    if E.ndim != 2 or not np.issubdtype(E.dtype, np.integer) or np.any(E < 0):
        raise ValueError(f"exponents must be a 2-d array of non-negative integers; got "
                         f"{np.asarray(exponents).dtype} of shape {E.shape}")
    if c.shape != (E.shape[0],) or not np.all(np.isfinite(c)):
        raise ValueError(f"coefs must be {E.shape[0]} finite numbers (one per row of "
                         f"exponents); got shape {c.shape}")
    odd = E.sum(axis=1) % 2 == 1
    Eo, co = E[odd], c[odd]
    second = co @ _cube_moments(Eo[:, None] + Eo[None]) @ co
    cross = np.array([co @ _cube_moments(Eo + np.eye(E.shape[1], dtype=np.int64)[i])
                      for i in range(E.shape[1])])
    return float(max(second - 3.0 * np.sum(cross ** 2), 0.0))


def zero_bias_floor_quadrature(target, dim, degree, *, max_bytes=None):
    r"""The zero-bias dense floor of a polynomial ``target`` under :math:`U([-1,1]^d)`, exactly, by quadrature.

    ``target`` is a black box (called on arrays of points), polynomial of degree at most
    ``degree`` **in each coordinate**.  Then :math:`f_{\mathrm{odd}}(x)x_i` and
    :math:`(f_{\mathrm{odd}}-\beta^\top x)^2` have degree at most ``2 * degree`` in each
    coordinate, and the tensor-product Gauss–Legendre rule with ``degree + 1`` nodes per
    coordinate (exact to degree ``2 * degree + 1``) integrates both exactly: the floor
    :math:`E[(f_{\mathrm{odd}}-\beta^\top x)^2]` with :math:`\beta=3E[f_{\mathrm{odd}}x]`
    comes out to round-off, with no Fourier coefficients or moments of ``target`` used.  It
    is the independent check of :func:`zero_bias_floor_hypercube` (``degree = 1``: a
    multilinear target, :math:`2^d` nodes) and :func:`zero_bias_floor_polynomial`; for a
    target that is not a polynomial use :func:`zero_bias_floor_mc`.

    Parameters
    ----------
    target : callable
        ``target(X)`` for ``X`` of shape ``(n, dim)`` returns ``n`` finite values.
    dim : int
        Input dimension ``d``.
    degree : int
        The largest power of any one coordinate in ``target`` (not its total degree).
    max_bytes : int, optional
        Memory budget for the ``(degree + 1) ** dim`` nodes (default
        :data:`pactools.DEFAULT_MAX_BYTES`).

    >>> round(zero_bias_floor_quadrature(lambda X: X[:, 0] ** 3, 1, 3), 12)   # 4/175
    0.022857142857
    """
    d = check_int("dim", dim, low=1)
    m = check_int("degree", degree, low=0) + 1
    if not callable(target):
        raise TypeError(f"target must be callable; got {type(target).__name__}")
    n_nodes = float(m) ** d
    check_memory(8.0 * n_nodes * (2 * d + 4), f"Gauss-Legendre rule with {m}**{d} nodes",
                 max_bytes, hint="or use zero_bias_floor_mc")
    t, w = np.polynomial.legendre.leggauss(m)
    X = np.stack(np.meshgrid(*([t] * d), indexing="ij"), axis=-1).reshape(-1, d)
    W = np.prod(np.stack(np.meshgrid(*([w / 2.0] * d), indexing="ij"), axis=-1).reshape(-1, d),
                axis=1)
    fx, fm = (check_finite_output("target", target(Z), X.shape[0]) for Z in (X, -X))
    odd = (fx - fm) / 2.0
    beta = 3.0 * ((W * odd) @ X)
    return float(W @ (odd - X @ beta) ** 2)


def zero_bias_floor_mc(target, dim, n_samples, *, confidence_level=0.99, n_batches=64,
                       rng=None):
    r"""Monte Carlo estimate of the zero-bias dense floor of ``target`` under :math:`U([-1,1]^d)`.

    Half the samples estimate the projection :math:`\hat\beta=3\,\overline{f_{\mathrm{odd}}(x)x}`,
    the other half average :math:`(f_{\mathrm{odd}}(x)-\hat\beta^\top x)^2`.  The squared
    residuals are strongly right-skewed, and a Student-t interval on skewed samples
    under-covers on its low side (a low mean comes with a low sample variance): measured
    here, 2 of 160 intervals at 99.75 % missed low.  So the interval is a Student-t over
    ``n_batches`` batch means (the method of batch means), whose skew is smaller by the
    square root of the batch size.  Its expectation is the floor plus
    :math:`\|\hat\beta-\beta\|^2/3\ge0`, an excess of order ``dim / n_samples`` times the
    odd part's variance: the interval leans high by that much.  Returns a
    :class:`~pactools.stats.MonteCarloResult` whose ``n_samples`` is ``n_batches``.
    """
    from .stats import mean_estimate
    d = check_int("dim", dim, low=1)
    b = check_int("n_batches", n_batches, low=2)
    n = check_int("n_samples", n_samples, low=4 * b)
    rng = np.random.default_rng(rng)
    check_memory(8.0 * n * (d + 4), f"{n} Monte Carlo samples in dimension {d}",
                 hint="use fewer n_samples", settable=False)
    X = rng.uniform(-1.0, 1.0, size=(n, d))
    odd = (check_finite_output("target", target(X), n)
           - check_finite_output("target", target(-X), n)) / 2
    h = n // 2
    beta = 3.0 * (odd[:h] @ X[:h]) / h
    sq = (odd[h:] - X[h:] @ beta) ** 2
    per = sq.size // b
    return mean_estimate(sq[:b * per].reshape(b, per).mean(axis=1), confidence_level)
