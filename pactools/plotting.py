"""Figures for reports.  matplotlib is imported here only, lazily, and only its
object-oriented :class:`~matplotlib.figure.Figure` (no pyplot): drawing a report never
selects or switches a backend, and in Jupyter a returned figure displays inline."""
from __future__ import annotations

import numpy as np


#: the figure kinds a statement may declare (:class:`pactools.statement.Figure`)
KINDS = ("bound_scatter", "level_weights_plot", "rate_plot", "interval_plot", "curves_plot",
         "histogram", "errorbar_plot")


def render(spec, series):
    """The matplotlib Figure of a declared figure ``spec`` (a dict with ``kind``, ``data``:
    ``{argument: series key}``, and ``options``) drawn from ``series``."""
    kind = spec["kind"]
    if kind not in KINDS:
        raise ValueError(f"figure kind must be one of {', '.join(KINDS)}; got {kind!r}")
    missing = [k for k in spec["data"].values() if k not in series]
    if missing:
        raise KeyError(f"figure {spec['file']!r} draws series {missing} that the result lacks")
    args = {arg: series[key] for arg, key in spec["data"].items()}
    return globals()[kind](**args, **spec.get("options", {}))


#: Okabe & Ito's colour-blind-safe palette (black last: it is the reference lines' colour)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")


def save(fig, path, dpi=200):
    """Write ``fig`` to ``path`` (raster formats at ``dpi``; the format from the suffix).
    PDF and SVG files carry no creation date, so identical runs write identical bytes."""
    suffix = str(path).rsplit(".", 1)[-1].lower()
    metadata = {"pdf": {"CreationDate": None}, "svg": {"Date": None}}.get(suffix)
    fig.savefig(path, dpi=dpi, **({"metadata": metadata} if metadata else {}))


def _subplots(figsize):
    """A figure and its axes without pyplot: no backend is selected or changed, so
    rendering a report inside Jupyter leaves the notebook's inline backend alone, and a
    returned figure displays inline there."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=figsize)
    ax = fig.subplots()
    ax.set_prop_cycle(color=PALETTE)
    return fig, ax


def bound_scatter(bound, measured, *, xlabel, ylabel, title, extra_line=None):
    """Measured against bound, log-log, with the line measured = bound."""
    fig, ax = _subplots((5.5, 4.5))
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
    fig, ax = _subplots((5.5, 4.0))
    for lab, w in examples.items():
        w = np.asarray(w, float)
        ax.semilogy(np.arange(len(w)), np.maximum(w, 1e-18), ".-", label=lab)
    ax.set_xlabel("level |T|")
    ax.set_ylabel("weight $W^{|T|}$")
    ax.set_title("Fourier weight by level", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def rate_plot(series, *, xlabel, ylabel, title, hline=None, loglog=True, legend_loc="best"):
    """Several curves ``{label: (x, y)}``, optionally with a horizontal reference line;
    ``legend_loc`` is matplotlib's ``loc`` (a name, or the legend's lower left corner in axes
    fractions), for where "best" would cover a curve."""
    fig, ax = _subplots((5.5, 4.2))
    for lab, (x, y) in series.items():
        (ax.loglog if loglog else ax.semilogx)(x, y, "o-", ms=4, label=lab)
    if hline is not None:
        val, lab = hline
        ax.axhline(val, color="k", ls="--", lw=1, label=lab)
    return _finish(fig, ax, xlabel, ylabel, title, legend_loc=legend_loc)


def _tick_label(v, _pos=None):
    """A log-axis tick: a plain number between 1e-3 and 1e5, else a x 10^b."""
    if v <= 0:
        return ""
    if 1e-3 <= v < 1e5:
        return f"{v:g}"
    b = int(np.floor(np.log10(v) + 1e-9))
    a = v / 10.0 ** b
    return f"$10^{{{b}}}$" if abs(a - 1) < 1e-9 else f"${a:g}\\times10^{{{b}}}$"


def _clean_log_ticks(ax):
    """Log axes spanning less than about two decades get labelled ticks at 1, 2 and 5 times
    powers of ten (plain numbers) and unlabelled minor ticks: matplotlib's default labels
    every minor tick there, and the labels overlap."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
    for axis, scale, lim in ((ax.xaxis, ax.get_xscale(), ax.get_xlim()),
                             (ax.yaxis, ax.get_yscale(), ax.get_ylim())):
        if scale != "log" or getattr(axis.get_transform(), "base", 10) != 10 or \
                min(lim) <= 0 or np.log10(max(lim) / min(lim)) > 2.2:
            continue
        axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(FuncFormatter(_tick_label))
        axis.set_minor_formatter(NullFormatter())


def _finish(fig, ax, xlabel, ylabel, title, legend=True, legend_loc="best"):
    _clean_log_ticks(ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    if legend:
        ax.legend(fontsize=7, loc=legend_loc)
    fig.tight_layout()
    return fig


def interval_plot(exact, estimate, low, high, *, xlabel, ylabel, title):
    """Monte Carlo estimates with their intervals against the exact values (identity line)."""
    fig, ax = _subplots((5.5, 4.5))
    x = np.asarray(exact, float)
    est = np.asarray(estimate, float)
    err = np.vstack([est - np.asarray(low, float), np.asarray(high, float) - est])
    ax.errorbar(x, est, yerr=err, fmt="o", ms=3, capsize=2, label="estimate, interval")
    lim = np.array([min(x.min(), np.min(low)), max(x.max(), np.max(high))])
    ax.plot(lim, lim, "k-", lw=1, label="estimate = exact")
    ax.set_xscale("log")
    ax.set_yscale("log")
    return _finish(fig, ax, xlabel, ylabel, title)


def curves_plot(series, *, xlabel, ylabel, title, logx=True, logy=True, styles=None):
    """Curves ``{label: (x, y)}``; ``styles`` maps a label, or the start of labels, to a
    matplotlib format string (default ``"o-"``)."""
    fig, ax = _subplots((5.5, 4.2))
    styles = styles or {}
    for lab, (x, y) in series.items():
        style = styles.get(lab) or next((v for k, v in styles.items() if lab.startswith(k)),
                                        "o-")
        ax.plot(x, y, style, ms=4, label=lab)
    ax.set_xscale("log" if logx else "linear")
    ax.set_yscale("log" if logy else "linear")
    return _finish(fig, ax, xlabel, ylabel, title)


def histogram(values, *, xlabel, ylabel, title, vline=None, bins=40):
    """A histogram of ``values``, optionally with a vertical reference line ``(x, label)``."""
    fig, ax = _subplots((5.5, 4.0))
    ax.hist(np.asarray(values, float), bins=bins)
    if vline is not None:
        val, lab = vline
        ax.axvline(val, color="k", ls="--", label=lab)
    return _finish(fig, ax, xlabel, ylabel, title, legend=vline is not None)


def errorbar_plot(series, *, xlabel, ylabel, title, hlines=None, logx=True, logy=True,
                  paired=False):
    """Curves with intervals ``{label: (x, y, low, high)}`` and horizontal reference lines
    ``hlines`` (a list of ``(value, label)``), e.g. measured MSEs with their confidence
    intervals against a floor.  A series given as ``(x, y)`` is a bound or a reference rate,
    drawn as a line without markers: dashed in the next colour, or with ``paired=True`` in
    the colour of the measured series before it (dashed, then dotted, then dash-dot), so each
    measurement and its bounds read as one group.  The legend keeps the series' order."""
    fig, ax = _subplots((8.2, 4.4))
    handles, colour, n_refs = [], None, 0
    for lab, values in series.items():
        if len(values) == 2:
            style = ("--", ":", "-.")[n_refs % 3] if paired else "--"
            kw = {"color": colour} if paired and colour is not None else {}
            h, = ax.plot(np.asarray(values[0], float), np.asarray(values[1], float), style,
                         lw=1.2, label=lab, **kw)
            n_refs += 1
            handles.append(h)
            continue
        x, y, low, high = values
        y = np.asarray(y, float)
        err = np.vstack([y - np.asarray(low, float), np.asarray(high, float) - y])
        h = ax.errorbar(np.asarray(x, float), y, yerr=np.maximum(err, 0), fmt="o-", ms=4,
                        capsize=3, label=lab)
        colour, n_refs = h[0].get_color(), 0
        handles.append(h)
    for i, (val, lab) in enumerate(hlines or []):
        handles.append(ax.axhline(val, color="k", ls=("--", ":", "-.")[i % 3], lw=1, label=lab))
    if logx:
        ax.set_xscale("log", base=2)
    ax.set_yscale("log" if logy else "linear")
    _clean_log_ticks(ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(handles=handles, fontsize=7, loc="upper left",
              bbox_to_anchor=(1.01, 1.0))   # beside, not over
    fig.tight_layout()
    return fig
