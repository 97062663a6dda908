r"""Published bounds as vectorised functions (THEORY.md is the contract).

Each function states its formula, the paper and item, and refuses arguments
outside the theorem's domain.  Each carries ``.formula`` (a :mod:`sympy`
expression for display in reports) and ``.reference`` (paper and item), the
way :func:`sklearn.random_projection.johnson_lindenstrauss_min_dim` carries
its Johnson–Lindenstrauss formula.

Paper keys: **P2** = Awasthi, Dikkala, Kamath, Meka, *Learning Neural
Networks with Sparse Activations*, COLT 2024 (arXiv 2406.17989), numbered as
in arXiv v1.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ._validation import check_real_array

__all__ = ["claim_1_tail_bound", "tail_bound_from_average_sensitivity",
           "noise_sensitivity_bound_from_average_sensitivity", "kos_tail_bound",
           "lemma_2_1_rate", "lemma_2_1_explicit", "formula_latex"]

_p, _n, _rho, _d, _NS, _AS = sp.symbols(r"p n \rho d \mathrm{NS}_\rho \mathrm{AS}", positive=True)


def _attach(formula, reference):
    def deco(fn):
        fn.formula = formula
        fn.reference = reference
        return fn
    return deco


def _out(x):
    return float(x) if np.ndim(x) == 0 else x


def _degree(d, name="degree", low=1):
    arr = np.asarray(d)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer) or np.any(arr < low):
        raise ValueError(f"{name} must be integers >= {low}; got {d!r}")
    return arr


def formula_latex(fn):
    """LaTeX of a bound function's sympy formula (``"bound = ..."``)."""
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
    d = _degree(degree)
    return _out(2.0 * ns / (1.0 - r ** d))


@_attach(sp.Le(sp.Symbol(r"\sum_{|T|>d}\hat f(T)^2"), _AS / (_d + 1)),
         "THEORY.md §A.4 (DERIVED from AS = sum |T| f(T)^2)")
def tail_bound_from_average_sensitivity(average_sensitivity, degree):
    r""":math:`\sum_{|T|>d}\hat f(T)^2\le\mathrm{AS}(f)/(d+1)` (DERIVED, THEORY.md §A.4)."""
    a = check_real_array("average_sensitivity", average_sensitivity, low=0.0)
    d = _degree(degree, low=0)
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
    n = np.asarray(n_vars)
    if n.dtype == bool or not np.issubdtype(n.dtype, np.integer) or np.any(n < 1):
        raise ValueError(f"n_vars must be integers >= 1; got {n_vars!r}")
    return p, n


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
