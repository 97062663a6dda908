"""Sphinx extension: one page per registered statement, generated from the registry and the
committed quick-mode reference run (``reports/<id>/result.json`` and its figures).

Nothing is computed at build time: the page shows the statement as declared (``pactools show``)
and the reference run as committed, so the docs say what ``pytest``'s regression tests check.
The notebooks are copied beside the pages for myst-nb; ``PACTOOLS_DOCS_NOTEBOOKS`` names a
directory of already-executed copies (CI executes each notebook once and reuses it here).
"""
from __future__ import annotations

import json
import re
import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: the modules of the API reference, in reading order
API_MODULES = ("hypercube", "fourier", "stats", "bounds", "networks", "lowdegree", "lsh",
               "targets", "hardfamily", "dense", "sparse_models", "rademacher", "statement",
               "regression", "executors", "calibration", "cache", "plotting", "report", "cli")


def _rst_escape(text):
    """Plain text as reST: markup characters escaped, and a leading "(a)" or "1." not read
    as an enumerated list."""
    out = str(text).replace("\\", "\\\\").replace("*", r"\*").replace("|", r"\|") \
        .replace("`", r"\`").replace("_", r"\_")
    return "\\" + out if re.match(r"\(?[A-Za-z0-9]{1,3}[.)]\s", out) else out


def _table(header, rows):
    """A list-table (cells escaped, never empty)."""
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        out.append("   * - " + (_rst_escape(row[0]) or "-"))
        out.extend("     - " + (_rst_escape(c) or "-") for c in row[1:])
    return out + [""]


def _fmt(x):
    if isinstance(x, float):
        return f"{x:.4g}"
    if x is None:
        return "-"
    return str(x)


def _heading(text, char):
    text = _rst_escape(text)
    return [text, char * len(text), ""]


def statement_page(st, reports, images):
    """The reST source of one statement's page; copies its reference figures to ``images``."""
    from pactools.report import report_dirname as _dirname
    lines = [f".. _statement-{st.id.replace(':', '-')}:", ""]
    lines += _heading(f"{st.id} ({st.item})", "=")
    where = f"{st.paper}, {st.item}" + (f", THEORY.md {st.section}" if st.section else "")
    lines += [f"**{_rst_escape(st.title)}**", "", f"*{_rst_escape(where)}*", "",
              _rst_escape(st.text), ""]
    if st.math:
        lines += [".. math::", "", f"   {st.math}", ""]
    if st.aliases:
        lines += ["Also reachable as " + ", ".join(f"``{a}``" for a in st.aliases) + ".", ""]
    levels = st.budget()
    lines += [f"Run it: ``pactools verify --theorem {st.id}`` (``--quick`` for the small "
              f"sweeps); ``pactools show {st.id}`` prints this declaration. Default seed "
              f"{st.seed}; false-alarm budget {100 * st.false_alarm:g} % split (Bonferroni) "
              f"over {len(levels)} stochastic claim(s)."
              + (" This statement is **inconclusive by nature**." if st.inconclusive_by_nature
                 else ""), ""]
    from pactools.cli import _expected_run_time, _grid_text
    lines += [_rst_escape(_expected_run_time(st.id).capitalize()) + ".", ""]
    for mode, why in st.expected_inconclusive.items():
        lines += [f"Expected inconclusive in {mode} mode: {_rst_escape(why)}", ""]
    for role, title in (("claim", "Claims"), ("control", "Negative controls")):
        lines += _heading(title, "-")
        rows = [(c.name, c.kind, f"{100 * levels[c.name]:.4g} %" if c.name in levels else
                 "exact", c.description) for c in st.checks if c.role == role]
        lines += _table(("check", "kind", "level", "what it checks"), rows)
    lines += _heading("Sweeps", "-")
    rows = []
    for sw in st.sweeps:
        rows.append((sw.name, f"{sw.trial.__name__}()", _grid_text(sw)))
    lines += _table(("sweep", "trial", "grid"), rows)
    ref = reports / _dirname(st.id) / "result.json"
    lines += _heading("Reference run (quick mode, committed)", "-")
    if not ref.is_file():
        return lines + ["No committed reference for this statement.", ""]
    data = json.loads(ref.read_text())
    lines += [f"Verdict **{data['verdict']}** at seed {data['seed']} in {data['mode']} mode "
              f"({data['wall_time_s']:.3g} s on pactools {data['versions']['pactools']}, "
              f"numpy {data['versions']['numpy']}). The regression tests compare every run "
              f"with this reference.", ""]
    rows = [(c["name"], c["role"], _fmt(c.get("measured")), _fmt(c.get("bound")), c["verdict"])
            for c in data["checks"]]
    lines += _table(("check", "role", "measured", "bound", "outcome"), rows)
    for name in data.get("figure_files", []):
        src = ref.parent / name
        if src.is_file():
            dst = images / f"{_dirname(st.id)}-{name}"
            shutil.copyfile(src, dst)
            lines += [f".. figure:: /_generated/images/{dst.name}", "   :width: 90%", "",
                      f"   ``{name}`` of the reference run.", ""]
    return lines


def generate(app):
    from pactools.theorems import _registry
    src = Path(app.srcdir)
    gen = src / "_generated"
    images = gen / "images"
    shutil.rmtree(gen, ignore_errors=True)
    images.mkdir(parents=True)
    (gen / "api").mkdir()
    for mod in API_MODULES:
        (gen / "api" / f"{mod}.rst").write_text("\n".join(
            _heading(f"pactools.{mod}", "=")
            + [f".. automodule:: pactools.{mod}", "   :members:", ""]) + "\n")
    reports = ROOT / "reports"
    names = []
    for tid in sorted(_registry.all_ids()):
        st = _registry.get(tid)
        if st.source != "built in":
            continue
        name = tid.replace(":", "-")
        (gen / f"{name}.rst").write_text("\n".join(statement_page(st, reports, images)) + "\n")
        names.append((st.paper, name))
    index = _heading("Statements", "=") + [
        "One page per statement of the two papers, generated from the registry "
        "(``pactools list``) and the committed quick-mode reference runs.", ""]
    for paper in sorted({p for p, _ in names}):
        index += _heading(paper, "-") + [".. toctree::", "   :maxdepth: 1", ""]
        index += [f"   {name}" for p, name in sorted(names) if p == paper] + [""]
    (gen / "index.rst").write_text("\n".join(index) + "\n")
    # notebooks: executed copies if CI made them, else the sources (myst-nb executes them)
    nbdir = src / "notebooks"
    shutil.rmtree(nbdir, ignore_errors=True)
    nbdir.mkdir()
    executed = os.environ.get("PACTOOLS_DOCS_NOTEBOOKS")
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        done = Path(executed) / nb.name if executed else None
        shutil.copyfile(done if done is not None and done.is_file() else nb, nbdir / nb.name)


def setup(app):
    app.connect("builder-inited", generate)
    return {"parallel_read_safe": True, "version": "1"}
