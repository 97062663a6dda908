"""Figures for reports.  matplotlib is imported here only, lazily, with the Agg backend."""
from __future__ import annotations

import numpy as np


def _plt():
    import matplotlib
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    return plt


def bound_scatter(bound, measured, *, xlabel, ylabel, title, extra_line=None):
    """Measured against bound, log-log, with the line measured = bound."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    b = np.asarray(bound, float)
    m = np.asarray(measured, float)
    ok = (b > 0) & (m > 0)
    ax.loglog(b[ok], m[ok], ".", ms=3, alpha=0.6, label="instances")
    lo, hi = min(b[ok].min(), m[ok].min()), max(b[ok].max(), m[ok].max())
    xs = np.array([lo, hi])
    ax.loglog(xs, xs, "k-", lw=1, label="measured = bound")
    if extra_line is not None:
        f, lab = extra_line
        ax.loglog(xs, f * xs, "r--", lw=1, label=lab)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def level_weights_plot(examples):
    """Fourier weight by level for a few named functions."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5.5, 4.0))
    for lab, w in examples.items():
        w = np.asarray(w, float)
        ax.semilogy(np.arange(len(w)), np.maximum(w, 1e-18), ".-", label=lab)
    ax.set_xlabel("level |T|")
    ax.set_ylabel("weight $W^{|T|}$")
    ax.set_title("Fourier weight by level", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def rate_plot(series, *, xlabel, ylabel, title, hline=None, loglog=True):
    """Several curves ``{label: (x, y)}``, optionally with a horizontal reference line."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    for lab, (x, y) in series.items():
        (ax.loglog if loglog else ax.semilogx)(x, y, "o-", ms=4, label=lab)
    if hline is not None:
        val, lab = hline
        ax.axhline(val, color="k", ls="--", lw=1, label=lab)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
