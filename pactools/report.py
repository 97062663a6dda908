"""Write a statement's result as ``result.json``, ``report.md`` and PNG figures."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from . import bounds as _bounds

__all__ = ["write_report", "reproduce_command", "format_value", "report_dirname"]


def report_dirname(theorem_id):
    """Directory name of a statement's report: its id with ``:`` as ``_`` (portable file names).

    >>> report_dirname("awasthi2024:4.2")
    'awasthi2024_4.2'
    """
    return str(theorem_id).replace(":", "_")


def reproduce_command(result):
    quick = " --quick" if result.quick else ""
    return f"pactools verify --theorem {result.theorem}{quick} --seed {result.seed}"


def format_value(v):
    if v is None:
        return "—"
    if isinstance(v, (bool, np.bool_)):
        return str(v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if v == 0 or 1e-3 <= abs(v) < 1e5:
            return f"{v:.4g}"
        return f"{v:.3e}"
    return str(v)


def _fig_lines(names):
    return [f"![{n}]({n})" for n in names]


def write_report(statement, result, directory, *, reference=False):
    """Write ``result.json``, ``report.md`` and the figures of ``result`` into ``directory``.

    Returns the directory.  ``reference=True`` marks ``result.json`` as a
    committed bound-regression reference.
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    data = result.to_dict()
    data["reference"] = bool(reference)
    data["reproduce"] = reproduce_command(result)
    names = []
    figs = statement.figures(result)
    if figs:
        import matplotlib.pyplot as plt
        for name, fig in figs:
            fig.savefig(d / name, dpi=110)
            plt.close(fig)
            names.append(name)
    data["figures"] = names
    (d / "result.json").write_text(json.dumps(data, indent=2) + "\n")
    (d / "report.md").write_text(_markdown(statement, result, data, names))
    return d


def _markdown(statement, result, data, figure_names):
    c = result.counts()
    lines = [
        f"# `{result.theorem}` — {statement.title}",
        "",
        f"**Verdict: {result.verdict.upper()}** — {c['claims_pass']}/{c['claims']} claim checks "
        f"pass, {c['controls_caught']}/{c['controls']} negative controls caught.",
        "",
        f"*{statement.paper}, {statement.item}.*",
        "",
        f"> {result.statement}",
        "",
        "## Checks",
        "",
        "| check | role | kind | measured | bound | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for ch in result.checks:
        lines.append(f"| `{ch.name}` | {ch.role} | {ch.kind} | {format_value(ch.measured)} | "
                     f"{format_value(ch.bound)} | **{ch.verdict}** |")
    lines += ["", "What each check asserts (measured/bound: worst ratio and 1 for inequalities,",
              "largest relative error and its tolerance for identities, fitted slope and its",
              "limit for rates, estimate and exact value for Monte Carlo identities):", ""]
    for ch in result.checks:
        lines.append(f"- `{ch.name}` ({ch.role}): {ch.description}")
    rel = list(statement.bounds)
    if rel:
        lines += ["", "## Bounds used", ""]
        for f in rel:
            lines.append(f"- `{f.__name__}` ({f.reference}): $${_bounds.formula_latex(f)}$$")
    if figure_names:
        lines += ["", "## Figures", ""] + _fig_lines(figure_names)
    lines += ["", "## Parameters", "", "```json",
              json.dumps(data["parameters"], indent=1), "```", "",
              "## Reproduce", "", "```", data["reproduce"], "```", "",
              f"Mode: {data['mode']}; seed {result.seed}; wall time {result.wall_time_s:.2f} s.",
              "", "Versions: " + ", ".join(f"{k} {v}" for k, v in data["versions"].items()
                                           if k != "blas"), ""]
    if result.notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in result.notes] + [""]
    return "\n".join(lines)
