"""Write a result as ``result.json``, ``report.md`` and PNG figures — from data only.

:func:`write_report` takes a result (or the dict saved in a ``result.json``) and
renders the figures it declares with :mod:`pactools.plotting`; it never calls
statement code, so ``pactools report RESULT.json`` rebuilds a report without
rerunning anything.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import tempfile
import threading
from pathlib import Path

import numpy as np

__all__ = ["write_report", "render_markdown", "render_html", "reproduce_command", "format_value",
           "report_dirname", "run_dirname", "point_latest"]


def run_dirname(result):
    """Directory of one run inside its statement's report directory: ``<mode>-seed<seed>``.

    >>> run_dirname({"theorem": "lemma-2.1", "mode": "quick", "seed": 20241, "verdict": "consistent", "checks": []})
    'quick-seed20241'
    """
    data = _result_dict(result.to_dict() if hasattr(result, "to_dict") else result, "result")
    return f"{data['mode']}-seed{int(data['seed'])}"


def point_latest(directory, name):
    """Make ``directory/latest`` point to the run ``directory/name`` (a relative symbolic
    link, replaced atomically; where links are unavailable, a ``latest.txt`` naming it).
    A ``latest`` that is a real directory (the layout before pactools 0.2) is left alone."""
    if not isinstance(name, str) or not name.strip() or "/" in name or name in (".", ".."):
        raise ValueError(f"name must be a run directory's name (no '/'); got {name!r}")
    if not isinstance(directory, (str, os.PathLike)) or not Path(directory).is_dir():
        raise ValueError(f"directory must be an existing directory; got {directory!r}")
    d = Path(directory)
    link = d / "latest"
    if link.is_dir() and not link.is_symlink():
        return None
    tmp = d / f".latest.{os.getpid()}"
    try:
        tmp.unlink(missing_ok=True)
        os.symlink(name, tmp, target_is_directory=True)
        os.replace(tmp, link)
        return link
    except OSError:
        tmp.unlink(missing_ok=True)
        txt = _temporary(d, "latest.txt")
        txt.write_text(name + "\n")
        os.replace(txt, d / "latest.txt")
        return d / "latest.txt"


def report_dirname(theorem_id):
    """Directory name of a statement's report: its id with ``:`` as ``_`` (portable file names).

    >>> report_dirname("awasthi2024:4.2")
    'awasthi2024_4.2'
    """
    if not isinstance(theorem_id, str) or not theorem_id.strip() or "/" in theorem_id:
        raise ValueError(f"theorem_id must be a non-empty statement id without '/'; got "
                         f"{theorem_id!r}")
    return theorem_id.replace(":", "_")


def reproduce_command(data):
    """The command that reproduces a result (a result dict or object)."""
    d = _result_dict(data)
    quick = " --quick" if d["mode"] == "quick" else ""
    load = ""
    src = d.get("source", "built in")
    if src.startswith("file ") or src.startswith("module "):
        load = f" --load {src.split(' ', 1)[1]}"
    return f"pactools verify{load} --theorem {d['theorem']}{quick} --seed {d['seed']}"


_RESULT_KEYS = ("theorem", "verdict", "checks", "mode", "seed")


def _result_dict(data, name="data"):
    """A result (object or dict) as a dict that has the keys every report needs."""
    if hasattr(data, "to_dict") and not isinstance(data, dict):
        data = data.to_dict()
    if not isinstance(data, dict):
        raise TypeError(f"{name} must be a pactools Result or a result dict; got "
                        f"{type(data).__name__}")
    missing = [k for k in _RESULT_KEYS if k not in data]
    if missing:
        raise ValueError(f"{name} must be a result dict with the keys "
                         f"{', '.join(_RESULT_KEYS)}; it lacks {', '.join(missing)}")
    return data


def _blank(v):
    """A table cell: ``format_value`` of a number, empty for what does not apply."""
    return "" if v is None else format_value(v)


def format_value(v):
    if v is None:
        return "undefined"
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


_RANK = {"fail": 0, "inconclusive": 1, "pass": 2}


def _deciding(details, measured):
    """(label, details) of the part that decided a combined check: the first failing part,
    else the first inconclusive one, else the one whose measured value is the headline."""
    parts = [(k, v) for k, v in details.items() if isinstance(v, dict) and "verdict" in v]
    if not parts:
        return "", details
    parts.sort(key=lambda kv: (_RANK.get(kv[1]["verdict"], 3), kv[1].get("measured") != measured))
    label, part = parts[0]
    inner_label, inner = _deciding(part, part.get("measured"))
    return ", ".join(x for x in (label, inner_label) if x), inner


def check_margin(check):
    """``(tolerance, margin, pre_asymptotic)`` of a check, from the part that decided it.

    ``margin`` is how far the deciding quantity lies inside the range that passes it, in
    the quantity's own units (negative: outside, as for a caught control): for a rate, the
    distance of its slope interval from the nearest end of the accepted range; for an
    inequality, ``1 + rtol - max(measured / bound)`` (rtol: the round-off allowed); for an
    identity, the tolerance left; for a probability claim, the distance of the interval from
    ``p0 - tolerance`` (or, failed, below ``p0``); for a Monte Carlo check, the distance of
    the bound from the interval's deciding end.  ``tolerance`` is the rate's tau, the
    inequality's or identity's relative tolerance, or the probability claim's margin.
    ``pre_asymptotic`` is True for a passing upper or tight rate whose slope interval lies
    wholly above the claimed exponent (inside the tolerance, but not yet at the rate).
    Returns ``None`` for what does not apply.

    >>> check_margin({"kind": "inequality", "verdict": "pass", "measured": 0.75,
    ...               "details": {"max_ratio": 0.75, "rtol": 0.0}})
    (0.0, 0.25, False)
    """
    _, d = _deciding(check.get("details", {}), check.get("measured"))
    kind = check.get("kind")
    if isinstance(d.get("fit"), dict) and d.get("accepted"):
        ci = d["fit"]["confidence_interval"]
        lo, hi = d["accepted"]
        gaps = ([ci["low"] - lo] if lo is not None else []) + \
               ([hi - ci["high"]] if hi is not None else [])
        return d.get("tau"), (min(gaps) if gaps else None), _pre_asymptotic(check)
    if "max_ratio" in d:
        return d.get("rtol"), 1.0 + (d.get("rtol") or 0.0) - d["max_ratio"], False
    if kind == "identity" and isinstance(check.get("bound"), (int, float)) and \
            isinstance(check.get("measured"), (int, float)):
        return check["bound"], check["bound"] - check["measured"], False
    ci = d.get("confidence_interval")
    if not (isinstance(ci, dict) and isinstance(ci.get("low"), (int, float))):
        return None, None, False
    b = d.get("bound", check.get("bound"))
    if not isinstance(b, (int, float)):
        return None, None, False
    if kind == "probability":        # pass: low >= p0 - tolerance; fail: high < p0
        tol = d.get("margin", 0.0)
        return tol, (ci["high"] - b if ci["high"] < b else ci["low"] - (b - tol)), False
    if kind == "mc-upper":
        return None, b - ci["high"], False
    return None, min(b - ci["low"], ci["high"] - b), False


def _pre_asymptotic(check):
    """A passing upper or tight rate with some part's slope interval wholly above the
    claimed exponent (the accepted range's upper end less tau, or the tight exponent)."""
    if check.get("verdict") != "pass":
        return False
    d = check.get("details", {})
    parts = [v for v in d.values() if isinstance(v, dict) and "fit" in v] or [d]
    for p in parts:
        if not (isinstance(p.get("fit"), dict) and p.get("accepted")):
            continue
        lo, hi = p["accepted"]
        tau = p.get("tau")
        claimed = (p.get("bound") if p.get("direction") == "tight" else
                   hi - tau if lo is None and hi is not None and tau is not None else None)
        if claimed is not None and p["fit"]["confidence_interval"]["low"] > claimed:
            return True
    return False


def _verdict_text(check, pre_asymptotic):
    return check["verdict"] + (" (pre-asymptotic)" if pre_asymptotic else "")


def interval_text(check):
    """The interval that decided ``check`` and the range it was judged against, e.g.
    ``1.30 [0.96, 1.64] vs >= 1.9 (intrinsic_dim=2)``; ``""`` for exact checks."""
    label, d = _deciding(check.get("details", {}), check.get("measured"))
    accepted = d.get("accepted")
    if "fit" in d and isinstance(d["fit"], dict):
        ci = d["fit"]["confidence_interval"]
        text = f"slope [{ci['low']:.3g}, {ci['high']:.3g}]"
        if accepted:
            lo, hi = accepted
            text += (f" vs [{lo:.3g}, {hi:.3g}]" if lo is not None and hi is not None else
                     f" vs <= {hi:.3g}" if hi is not None else f" vs >= {lo:.3g}")
    elif isinstance(d.get("confidence_interval"), dict):
        ci = d["confidence_interval"]
        if not isinstance(ci.get("low"), (int, float)):
            return ""
        text = f"[{ci['low']:.4g}, {ci['high']:.4g}]"
        if d.get("confidence_level"):
            text += f" at {100 * d['confidence_level']:.4g} %"
    else:
        return ""
    return text + (f" ({label})" if label else "")


def write_report(result, directory, *, reference=False):
    """Write ``result.json``, ``report.md`` and the figures of ``result`` into ``directory``.

    ``result`` is a :class:`pactools.statement.Result` or a saved result dict; the
    figures are drawn from its declared specs and series only (no statement code
    runs).  ``reference=True`` marks ``result.json`` as a committed
    bound-regression reference.  Returns the directory.
    """
    from . import plotting
    if not isinstance(result, dict) and hasattr(result, "to_json"):
        result = json.loads(result.to_json())     # exactly what result.json will hold
    data = dict(_result_dict(result, "result"))
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    data["reference"] = bool(reference)
    data["reproduce"] = reproduce_command(data)
    # every file is written in full under a temporary name first, then all are renamed
    # into place (result.json last): an interrupted or failed write (Ctrl-C, full disk)
    # leaves the previous report intact, never a truncated or mixed one.  SIGINT and
    # SIGTERM are held while the report is written (a second or two) and delivered after:
    # an interrupt cannot land inside matplotlib (where Python may swallow it in a
    # finaliser) nor between two renames
    staged = []
    with _signals_deferred():
        try:
            names, vector = [], []
            for spec in data.get("figures", []):
                if isinstance(spec, dict):
                    fig = plotting.render(spec, data["series"])
                    tmp = _temporary(d, spec["file"])
                    staged.append((tmp, d / spec["file"]))
                    plotting.save(fig, tmp)
                    names.append(spec["file"])
                    if spec["file"].endswith(".png"):     # a vector copy for papers
                        pdf = spec["file"][:-4] + ".pdf"
                        tmp = _temporary(d, pdf)
                        staged.append((tmp, d / pdf))
                        plotting.save(fig, tmp)
                        vector.append(pdf)
            data["figure_files"] = names
            data["figure_vector_files"] = vector
            images = {final.name: tmp.read_bytes() for tmp, final in staged
                      if final.name in names}
            for name, text in (("report.md", render_markdown(data)),
                               ("report.html", render_html(data, images)),
                               ("result.json", json.dumps(data, indent=2) + "\n")):
                tmp = _temporary(d, name)
                staged.append((tmp, d / name))
                tmp.write_text(text)
            for tmp, final in staged:
                os.replace(tmp, final)
            staged = []
        finally:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
    return d


@contextlib.contextmanager
def _signals_deferred(signums=(signal.SIGINT, signal.SIGTERM)):
    """Hold SIGINT and SIGTERM until the block ends, then deliver them: the block is not
    cut in the middle by Ctrl-C or a termination request.  (Python handlers run in the main
    thread only; elsewhere the block runs as is.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught, previous = [], {}
    for signum in signums:
        previous[signum] = signal.signal(signum, lambda n, f: caught.append(n))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)


def _temporary(directory, name):
    """A fresh temporary path beside ``directory / name``, with the same suffix (matplotlib
    picks the figure format from it)."""
    stem, suffix = os.path.splitext(name)
    fd, path = tempfile.mkstemp(prefix=f".{stem}.", suffix=suffix, dir=directory)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)        # mkstemp's 0600 would survive the rename
    return Path(path)


_CSS = ("body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45;color:#222}table{border-collapse:collapse;margin:1rem 0}"
        "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
        "th{background:#f3f3f3}code,pre{background:#f6f6f6}pre{padding:.5rem;overflow:auto}"
        "img{max-width:100%}.consistent{color:#009E73}.violated{color:#D55E00}"
        ".inconclusive{color:#0072B2}blockquote{border-left:4px solid #ccc;margin:0;"
        "padding-left:1rem}")


def _where(data):
    """Paper, item and THEORY.md section of a result, as one line."""
    return ", ".join(x for x in (data.get("paper", ""), data.get("item", ""),
                                 f"THEORY.md {data['section']}" if data.get("section") else "")
                     if x)


def render_html(data, images=None):
    """``report.html`` of a result dict: one self-contained page (no external files or
    scripts; the figures embedded as data URIs from ``images``, ``{file name: bytes}``)."""
    import base64
    from html import escape as e
    data = _result_dict(data)
    images = images or {}
    checks = data["checks"]
    where = _where(data)

    def table(columns, rows):
        head = "".join(f"<th>{e(c)}</th>" for c in columns)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><tr>{head}</tr>{body}</table>"

    verdict = data["verdict"]
    out = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
           f"<title>{e(data['theorem'])}: {e(verdict)}</title><style>{_CSS}</style></head><body>",
           f"<h1><code>{e(data['theorem'])}</code> — {e(data.get('title', ''))}</h1>",
           f"<p><strong class='{e(verdict)}'>Verdict: {e(verdict.upper())}</strong></p>",
           f"<p><em>{e(where)}</em></p>", f"<blockquote>{e(data['statement'])}</blockquote>",
           *([f"<p>In LaTeX:</p><pre>{e(data['statement_math'])}</pre>"]
             if data.get("statement_math") else []),
           "<h2>Checks</h2>",
           table(["check", "role", "kind", "measured", "bound", "deciding interval", "tolerance",
                  "margin", "verdict", "what it asserts"],
                 [[f"<code>{e(c['name'])}</code>", e(c["role"]), e(c["kind"]),
                   e(format_value(c["measured"])), e(format_value(c["bound"])),
                   e(interval_text(c)), e(_blank(tol)), e(_blank(margin)),
                   f"<strong>{e(_verdict_text(c, flag))}</strong>",
                   e(c.get("description", ""))]
                  for c in checks for tol, margin, flag in [check_margin(c)]])]
    for tab in data.get("report_tables", []):
        out += [f"<h3>{e(tab['title'])}</h3>",
                table(tab["columns"], [[e(v if isinstance(v, str) else format_value(v))
                                        for v in row] for row in tab["rows"]])]
        if tab.get("caption"):
            out.append(f"<p>{e(tab['caption'])}</p>")
    if data.get("bounds"):
        out += ["<h2>Bounds used</h2><ul>"] + [
            f"<li><code>{e(b['name'])}</code> ({e(b['reference'])}): "
            f"<code>{e(b['formula'])}</code></li>" for b in data["bounds"]] + ["</ul>"]
    names = data.get("figure_files", [])
    if names:
        out.append("<h2>Figures</h2>")
        for n in names:
            if n in images:
                kind = "svg+xml" if n.endswith(".svg") else n.rsplit(".", 1)[-1]
                src = f"data:image/{kind};base64," + base64.b64encode(images[n]).decode()
                out.append(f"<p><img alt='{e(n)}' src='{src}'></p>")
    out += ["<h2>Parameters</h2><p>Full values in result.json.</p>",
            table(["parameter", "value"], [[f"<code>{e(k)}</code>", f"<code>{e(_compact(v))}</code>"]
                                           for k, v in data.get("parameters", {}).items()])]
    if data.get("notes"):
        out += ["<h2>Notes</h2><ul>"] + [f"<li>{e(n)}</li>" for n in data["notes"]] + ["</ul>"]
    out += ["<h2>Reproduce</h2>", f"<pre>{e(data.get('reproduce', ''))}</pre>",
            f"<p>Mode: {e(data['mode'])}; seed {e(str(data['seed']))}; wall time "
            f"{data.get('wall_time_s', 0):.2f} s.</p>",
            "<p>Versions: " + e(", ".join(f"{k} {v}" for k, v in data.get("versions", {}).items()
                                          if k != "blas")) + "</p>", "</body></html>", ""]
    return "\n".join(out)


def _compact(value, limit=160):
    """A parameter's value as one line for a table cell: a sweep's grid as its points'
    count and each key's values (more than six numbers as their count and range), anything
    else as JSON (shortened beyond ``limit``; the full value is in result.json)."""
    if isinstance(value, dict) and isinstance(value.get("points"), list) and value["points"] \
            and all(isinstance(p, dict) for p in value["points"]):
        pts, keys = value["points"], dict.fromkeys(k for p in value["points"] for k in p)
        parts = []
        for k in keys:
            vals = list(dict.fromkeys(json.dumps(p.get(k)) for p in pts))
            raw = [p.get(k) for p in pts]
            if len(vals) <= 6:
                parts.append(f"{k} " + ", ".join(vals))
            elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw):
                # several grids concatenated (e.g. one per dimension) are not in one order:
                # the range, not the first and last values
                parts.append(f"{k} {len(vals)} values from {json.dumps(min(raw))} to "
                             f"{json.dumps(max(raw))}")
            else:
                parts.append(f"{k} {len(vals)} values, {vals[0]} ... {vals[-1]}")
        rest = {k: v for k, v in value.items() if k != "points"}
        value_text = f"{len(pts)} points; " + "; ".join(parts)
        if rest:
            value_text += "; " + json.dumps(rest, separators=(", ", ": "))
        return value_text.replace("|", "\\|")
    text = json.dumps(value, separators=(", ", ": "))
    if len(text) > limit:
        text = text[:limit - 5] + " ...]" if text.startswith("[") else text[:limit - 4] + " ..."
    return text.replace("|", "\\|")


def render_markdown(data):
    """``report.md`` of a result dict."""
    data = _result_dict(data)
    checks = data["checks"]
    claims = [c for c in checks if c["role"] == "claim"]
    controls = [c for c in checks if c["role"] == "control"]
    n_pass = sum(c["verdict"] == "pass" for c in claims)
    n_caught = sum(c["verdict"] == "caught" for c in controls)
    where = _where(data)
    lines = [
        f"# `{data['theorem']}` — {data['title']}",
        "",
        f"**Verdict: {data['verdict'].upper()}** — {n_pass}/{len(claims)} claim checks "
        f"pass, {n_caught}/{len(controls)} negative controls caught.",
        "",
        f"*{where}.*",
        "",
        f"> {data['statement']}",
        "",
        *([f"$${data['statement_math']}$$", ""] if data.get("statement_math") else []),
        "## Checks",
        "",
        "| check | role | kind | measured | bound | deciding interval | tolerance | margin "
        "| verdict |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for ch in checks:
        tol, margin, flag = check_margin(ch)
        lines.append(f"| `{ch['name']}` | {ch['role']} | {ch['kind']} | "
                     f"{format_value(ch['measured'])} | {format_value(ch['bound'])} | "
                     f"{interval_text(ch)} | {_blank(tol)} | {_blank(margin)} | "
                     f"**{_verdict_text(ch, flag)}** |")
    lines += ["", "What each check asserts (measured/bound: worst ratio and 1 for inequalities,",
              "largest relative error and its tolerance for identities, fitted slope and its",
              "limit for rates, estimate and exact value for Monte Carlo identities; the",
              "deciding interval is the one the verdict rests on, with the range it had to lie",
              "in: a rate passes only if its slope interval lies wholly inside the range, fails",
              "only if wholly outside, and is inconclusive otherwise; tolerance is the rate's",
              "tau or the identity's relative tolerance; margin is how far the deciding",
              "quantity lies inside its passing range, negative outside, as for a caught",
              "control; a pre-asymptotic pass is a rate whose slope interval lies wholly above",
              "the claimed exponent, within the tolerance):", ""]
    for ch in checks:
        lines.append(f"- `{ch['name']}` ({ch['role']}): {ch['description']}")
    for tab in data.get("report_tables", []):
        lines += ["", f"### {tab['title']}", "",
                  "| " + " | ".join(tab["columns"]) + " |",
                  "|" + "---|" * len(tab["columns"])]
        lines += ["| " + " | ".join(format_value(v) if not isinstance(v, str) else v
                                    for v in row) + " |" for row in tab["rows"]]
        if tab.get("caption"):
            lines += ["", tab["caption"]]
    fa = data.get("parameters", {}).get("false_alarm")
    if fa:
        levels = fa.get("claim_levels", {})
        lines += ["", f"False-alarm budget: P(violated | the statement is true) <= "
                      f"{100 * fa['level']:g} %, split ({fa['split']}) over "
                      f"{len(levels)} stochastic claim(s)"
                  + (": " + ", ".join(f"`{n}` at {100 * v:.4g} %" for n, v in levels.items())
                     if levels else "; every claim is exact.")
                  + (". Exact checks are exact; controls use their intervals' nominal levels."
                     if levels else "")]
    if data.get("bounds"):
        lines += ["", "## Bounds used", ""]
        for b in data["bounds"]:
            lines.append(f"- `{b['name']}` ({b['reference']}): $${b['formula']}$$")
    names = data.get("figure_files", [])
    if names:
        lines += ["", "## Figures", ""] + [f"![{n}]({n})" for n in names]
        if data.get("figure_vector_files"):
            lines += ["", "Vector (PDF) versions: " + ", ".join(
                f"[{n}]({n})" for n in data["figure_vector_files"]) + "."]
    lines += ["", "## Parameters", "", "Full values in result.json.", "",
              "| parameter | value |", "|---|---|"]
    lines += [f"| `{k}` | `{_compact(v)}` |" for k, v in data["parameters"].items()]
    lines += ["", "## Reproduce", "", "```", data["reproduce"], "```", "",
              f"Mode: {data['mode']}; seed {data['seed']}; wall time {data['wall_time_s']:.2f} s.",
              "", "Versions: " + ", ".join(f"{k} {v}" for k, v in data["versions"].items()
                                           if k != "blas"), ""]
    if data.get("notes"):
        lines += ["## Notes", ""] + [f"- {n}" for n in data["notes"]] + [""]
    return "\n".join(lines)
