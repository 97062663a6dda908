"""The ``pactools`` command line: a thin shell over :mod:`pactools.theorems`.

Exit codes
----------
- ``0``: every statement run is consistent, or inconclusive where it declares that expected
  (``calibrate``: the measurement ran)
- ``1``: some statement is violated
- ``2``: usage error (one line on stderr, no traceback)
- ``3``: some statement is inconclusive where it did not declare that expected (``--strict``:
  any inconclusive), and none violated
- ``4``: output error: an unwritable ``--out`` or ``--json``, a full disk (checked before the
  computation where possible; one line on stderr; the previous report is left intact)
- ``130``: interrupted (Ctrl-C or SIGTERM; one line on stderr saying how to resume)
- ``141``: stdout closed by its reader (``pactools list | head``)
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

EXIT_CONSISTENT, EXIT_VIOLATED, EXIT_USAGE, EXIT_INCONCLUSIVE = 0, 1, 2, 3
EXIT_INTERRUPTED = 130           # Ctrl-C: the shell's convention (128 + SIGINT)
EXIT_BROKEN_PIPE = 141           # stdout closed by the reader (128 + SIGPIPE)
EXIT_IO = 4                      # an output or environment error (unwritable --out, ...)


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _parser():
    p = _Parser(prog="pactools",
                description="Test published learning-theory bounds against computation.")
    from . import __version__
    p.add_argument("--version", action="version", version=f"pactools {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    ls = sub.add_parser("list", help="list the verifiable statements")
    sh = sub.add_parser("show", help="print a statement: its text, claims, controls and sweeps")
    sh.add_argument("theorem", metavar="ID")
    sh.add_argument("--load", action="append", default=[], metavar="PATH_OR_MODULE",
                    help="also load statements from a .py file or a module (repeatable)")
    ls.add_argument("--load", action="append", default=[], metavar="PATH_OR_MODULE",
                    help="also load statements from a .py file or a module (repeatable)")
    r = sub.add_parser("report", help="rebuild report.md and figures from a saved result.json")
    r.add_argument("result", metavar="RESULT.json")
    r.add_argument("--out", metavar="DIR", default=None,
                   help="directory to write into (default: the result's own directory)")
    v = sub.add_parser("verify", help="run statements and report verdicts")
    g = v.add_mutually_exclusive_group()
    g.add_argument("--theorem", metavar="ID", action="append",
                   help="statement id, e.g. lemma-2.1 or awasthi2024:lemma-2.1 (see `pactools "
                        "list`); repeatable: the statements run in the order given")
    g.add_argument("--all", action="store_true", help="run every registered statement")
    v.add_argument("--load", action="append", default=[], metavar="PATH_OR_MODULE",
                   help="load statements from a .py file or an importable module (repeatable)")
    v.add_argument("--quick", action="store_true",
                   help="small sweeps: from under a second to about 40 s per statement, about "
                        "3 minutes for --all on 2 cores (used by CI)")
    v.add_argument("--strict", action="store_true",
                   help="exit 3 on every inconclusive verdict, also where the statement "
                        "declares it expected (`pactools show ID` says why)")
    v.add_argument("--seed", type=_seed, default=None, help="seed (default: the statement's own)")
    v.add_argument("--out", default="reports", metavar="DIR",
                   help="report directory; files go to DIR/<id>/ (default: reports)")
    v.add_argument("--json", metavar="PATH", help="also write the result object (a list with "
                   "--all) to PATH")
    v.add_argument("--no-report", action="store_true", help="print verdicts only")
    v.add_argument("--jobs", type=_count_named("--jobs"), default=1, metavar="N",
                   help="run trials on N local worker processes (default 1: in this process); "
                        "results are identical whatever runs them")
    v.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run trials on the Dask cluster whose scheduler is at ADDRESS "
                        "(e.g. tcp://host:8786; needs pip install 'pactools[dask]')")
    v.add_argument("--cache", metavar="DIR", default=None,
                   help="keep finished trials in DIR so an interrupted run resumes (default: "
                        "$PACTOOLS_CACHE_DIR or ~/.cache/pactools)")
    v.add_argument("--no-cache", action="store_true", help="compute every trial afresh")
    v.add_argument("--quiet", action="store_true", help="no progress output on stderr")
    v.add_argument("--update-reference", action="store_true",
                   help="refresh the committed bound-regression reference in DIR/<id>/ "
                        "(needs --quick); without it a run never overwrites a reference")
    v.add_argument("--progress", action="store_true", help="print progress lines to stderr")
    c = sub.add_parser("calibrate", help="run statements over many seeds: verdict frequencies "
                       "(false violations) and how often each control is caught")
    g = c.add_mutually_exclusive_group()
    g.add_argument("--theorem", metavar="ID", action="append",
                   help="statement id (see `pactools list`); repeatable")
    g.add_argument("--all", action="store_true", help="every registered statement")
    c.add_argument("--load", action="append", default=[], metavar="PATH_OR_MODULE",
                   help="load statements from a .py file or an importable module (repeatable)")
    c.add_argument("--seeds", type=_count_named("--seeds"), default=100, metavar="N",
                   help="number of seeds (default: 100)")
    c.add_argument("--first-seed", type=_seed, default=0, metavar="S",
                   help="seeds run S, S+1, ..., S+N-1 (default: 0)")
    c.add_argument("--full", action="store_true", help="full mode (default: quick)")
    c.add_argument("--jobs", type=_count_named("--jobs"), default=1, metavar="J",
                   help="seeds run in J worker processes (joblib; default 1)")
    c.add_argument("--json", metavar="PATH", help="also write the counts to PATH")
    c.add_argument("--progress", action="store_true", help="print a line per run to stderr")
    return p


def _count_named(flag):
    def parse(text):
        try:
            val = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} must be an integer >= 1; got {text!r}")
        if val < 1:
            raise argparse.ArgumentTypeError(f"{flag} must be an integer >= 1; got {val}")
        return val
    return parse


def _seed(text):
    try:
        val = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed must be an integer in [0, 2**63 - 1]; "
                                         f"got {text!r}")
    if not 0 <= val < 2 ** 63:
        raise argparse.ArgumentTypeError(f"--seed must be an integer in [0, 2**63 - 1]; "
                                         f"got {val}")
    return val


def _is_reference(path):
    try:
        return bool(json.loads(Path(path).read_text()).get("reference"))
    except (OSError, ValueError):
        return False


def _list(theorems):
    rows = [("id", "paper", "item", "source", "title")]
    for tid in theorems.all_ids():
        st = theorems.get(tid)
        rows.append((tid, st.paper, st.item, st.source, st.title))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[4])
    return EXIT_CONSISTENT


def _grid_text(sweep):
    """A sweep's grid as declared, in one line (``pactools show`` and the docs pages)."""
    if callable(sweep.grid):
        return "a grid computed at run time (from the seed and the sweeps before it)"
    if isinstance(sweep.grid, dict):
        return ", ".join(f"{k}={v!r}" for k, v in sweep.grid.items())
    return f"{len(sweep.grid)} explicit point(s)"


def _show(theorems, tid):
    """The statement as declared: what it claims, how it is checked, on which grids."""
    st = theorems.get(tid)
    levels = st.budget()
    lines = [f"{st.id} — {st.title}", f"{st.paper}, {st.item}"
             + (f", THEORY.md {st.section}" if st.section else ""), "", f"  {st.text}", "",
             f"seed {st.seed}; false-alarm budget {100 * st.false_alarm:g} % over "
             f"{len(levels)} stochastic claim(s)"
             + ("; inconclusive by nature" if st.inconclusive_by_nature else ""), ""]
    for mode, why in st.expected_inconclusive.items():
        lines += [f"expected inconclusive in {mode} mode: {why}", ""]
    lines += [_expected_run_time(st.id), ""]
    for role in ("claim", "control"):
        lines.append(f"{role}s:")
        for c in st.checks:
            if c.role == role:
                lvl = f", at {100 * levels[c.name]:.4g} %" if c.name in levels else ""
                lines.append(f"  {c.name} [{c.kind}{lvl}]: {c.description}")
        lines.append("")
    lines.append("sweeps:")
    for sw in st.sweeps:
        grid = _grid_text(sw)
        rep = f"; repeats {sw.repeats!r}" if sw.repeats is not None else ""
        lines.append(f"  {sw.name}: {sw.trial.__name__}() on {grid}{rep}")
    print("\n".join(lines))
    return EXIT_CONSISTENT


def _duration(seconds):
    return ("under 0.1 s" if seconds < 0.1 else f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s" if seconds < 120 else
            f"{seconds / 60:.1f} min")


def _expected_run_time(tid):
    """The measured run times of a built-in statement (``benchmarks/bench_run_times.py``)."""
    from importlib import resources
    try:
        data = json.loads(resources.files("pactools.theorems").joinpath("run_times.json")
                          .read_text())
    except (FileNotFoundError, ValueError):
        return "expected run time: not measured"
    times = data.get("statements", {}).get(tid)
    if not times:
        return "expected run time: not measured (not a built-in statement)"
    on = data.get("measured_on", {})
    modes = ", ".join(f"{m} {_duration(times[m])}" for m in ("quick", "full") if m in times)
    return (f"expected run time: {modes} (one process, no cache; measured on "
            f"{on.get('machine', '?')}, pactools {on.get('pactools', '?')}, "
            f"{on.get('date', '?')})")


def _report(args):
    from .regression import NotAResultError, read_result
    from .report import write_report
    try:
        data = read_result(args.result)
    except NotAResultError as e:
        raise UsageError(str(e))
    out = Path(args.out) if args.out else Path(args.result).parent
    # a reference rebuilt in its own directory stays a reference; a copy elsewhere is not one
    in_place = out.resolve() == Path(args.result).resolve().parent
    write_report(data, out, reference=in_place and bool(data.get("reference")))
    print(f"wrote {out / 'report.md'}")
    return EXIT_CONSISTENT


class OutputError(Exception):
    """An output path that cannot be written (exit code 4, never the violated code)."""


def _check_directory(option, path):
    """``path`` is, or can be created as, a writable directory; raises OutputError."""
    p = Path(path)
    probe = p
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise OutputError(f"{option} {path}: {probe} is a file, not a directory")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {path}: {probe} is not writable")


def _check_file(option, path):
    p = Path(path)
    if p.is_dir():
        raise OutputError(f"{option} {path}: is a directory, not a file")
    if not p.parent.is_dir():
        raise OutputError(f"{option} {path}: directory {p.parent} does not exist")
    if not os.access(p.parent, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise OutputError(f"{option} {path}: not writable")
    if p.name == "result.json" and _is_reference(p):
        raise UsageError(f"{option} {path}: is a committed bound-regression reference; "
                         "write elsewhere (references change only with --update-reference)")


def _terminate(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    import signal
    try:
        # SIGTERM stops a run as Ctrl-C does: workers stopped, no partial report, exit 130
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:           # not the main thread (e.g. inside a test runner's worker)
        previous = None
    try:
        return _main(argv)
    except KeyboardInterrupt as e:
        print(f"pactools: {e.args[0] if e.args else 'interrupted'}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (``pactools list | head``): stop quietly, as Unix tools do
        # on SIGPIPE, never with a traceback or the violated code (Python docs' recipe)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OutputError as e:
        print(f"pactools: output error: {e}", file=sys.stderr)
        return EXIT_IO
    except OSError as e:      # a write that failed after the checks (disk full, ...)
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        print(f"pactools: output error: {where}{e.strerror or e}", file=sys.stderr)
        return EXIT_IO
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv):
    from . import theorems

    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            raise UsageError("a command is required: list, verify, calibrate or report")
        if args.command == "report":
            return _report(args)
        for target in args.load:
            theorems.load(target)
        if args.command == "list":
            return _list(theorems)
        if args.command == "show":
            return _show(theorems, _resolve(theorems, args.theorem))
        if not args.all and not args.theorem:
            raise UsageError(f"{args.command} needs --theorem ID or --all")
        ids = theorems.all_ids() if args.all else list(dict.fromkeys(
            _resolve(theorems, t) for t in args.theorem))
        if args.command == "calibrate":
            return _calibrate(args, ids, theorems)
        if args.update_reference and not args.quick:
            raise UsageError("--update-reference needs --quick: references are quick-mode runs")
        if args.update_reference and args.no_report:
            raise UsageError("--update-reference writes a report; drop --no-report")
        # output paths are checked before any computation, not after it
        if not args.no_report:
            _check_directory("--out", args.out)
        if args.json:
            _check_file("--json", args.json)
        if args.update_reference and not (Path(args.out).resolve().parent
                                          / "pyproject.toml").is_file():
            raise UsageError(f"--update-reference writes committed references: --out must be "
                             f"the reports/ directory of a pactools checkout; got {args.out}")
    except (UsageError, theorems.StatementError) as e:
        print(f"pactools: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return _verify(args, ids, theorems)
    except (UsageError, theorems.StatementError) as e:
        print(f"pactools: error: {e}", file=sys.stderr)
        return EXIT_USAGE


def _resolve(theorems, name):
    try:
        return theorems.resolve(name)
    except KeyError as e:
        raise UsageError(str(e.args[0]))


def _calibrate(args, ids, theorems):
    from .calibration import calibrate, to_markdown
    progress = (lambda m: print(m, file=sys.stderr, flush=True)) if args.progress else None
    if args.json:
        _check_file("--json", args.json)
    cals = calibrate([theorems.get(t) for t in ids], args.seeds, first_seed=args.first_seed,
                     quick=not args.full, n_jobs=args.jobs, loads=args.load, progress=progress)
    print(to_markdown(cals), end="")
    if args.json:
        payload = [c.to_dict() for c in cals]
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n")
    return EXIT_CONSISTENT


def _verify(args, ids, theorems):
    from .executors import make_executor
    if args.scheduler is not None and args.jobs > 1:
        raise UsageError("give --jobs N (local processes) or --scheduler ADDRESS (Dask), "
                         "not both")
    try:
        executor = make_executor(args.jobs, args.scheduler)
    except ImportError as e:
        raise UsageError(str(e))
    except OSError as e:
        raise UsageError(f"--scheduler {args.scheduler}: {e}")
    cache = None
    if not args.no_cache:
        from .cache import TrialCache, default_cache_dir
        try:
            cache = TrialCache(args.cache or default_cache_dir())
        except OSError as e:
            executor.close()
            raise UsageError(f"--cache: {e} (give --cache DIR or --no-cache)")
    from .statement import Session
    session = Session(executor, cache, None if args.quiet else _TrialProgress())
    try:
        return _verify_with(args, ids, theorems, session)
    except KeyboardInterrupt:
        where = (f"; the finished trials are cached in {cache.location}: run the same "
                 "command again to resume" if cache else "")
        raise KeyboardInterrupt(f"interrupted{where}") from None
    finally:
        if session.on_trial is not None:
            session.on_trial.close()
        executor.close()


class _TrialProgress:
    """Trials done / total per sweep: a tqdm bar with an ETA on a terminal, a plain line
    per finished sweep otherwise."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.prefix, self._bar, self._t0 = "", None, 0.0

    def __call__(self, sweep, done, total):
        if done == 0:
            self._t0 = time.perf_counter()
            if self.tty:
                from tqdm import tqdm
                self._bar = tqdm(total=total, desc=f"{self.prefix}{sweep}", unit="trial",
                                 file=self.stream, leave=False, dynamic_ncols=True)
            return
        if self._bar is not None:
            self._bar.update(1)
        if done == total:
            if self._bar is not None:
                self._bar.close()
                self._bar = None
            else:
                print(f"  {self.prefix}{sweep}: {total}/{total} trials, "
                      f"{time.perf_counter() - self._t0:.1f} s", file=self.stream, flush=True)

    def close(self):
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _verify_with(args, ids, theorems, session):
    from .report import point_latest, report_dirname, reproduce_command, run_dirname, write_report

    progress = (lambda m: print(m, file=sys.stderr, flush=True)) if args.progress else None
    results = []
    for tid in ids:
        st = theorems.get(tid)
        if not args.progress and not args.quiet:
            print(f"running {tid} ...", file=sys.stderr, flush=True)
        if session.on_trial is not None:
            session.on_trial.prefix = f"[{tid}] "
        res = st.run(quick=args.quick, seed=args.seed, progress=progress, session=session)
        results.append(res)
        where = ""
        if not args.no_report:
            base = Path(args.out) / report_dirname(tid)
            if args.update_reference:
                d = base                 # the committed reference: DIR/<id>/result.json
            else:
                # every run in its own directory, DIR/<id>/<mode>-seed<seed>/, so that no run
                # clobbers another's report (or a reference); DIR/<id>/latest points to it
                d = base / run_dirname(res)
            write_report(res, d, reference=args.update_reference)
            if not args.update_reference:
                point_latest(base, d.name)
            where = f"  -> {d / 'report.md'}"
        c = res.counts()
        print(f"{tid:24s} {res.verdict.upper():13s} claims {c['claims_pass']}/{c['claims']} pass, "
              f"controls {c['controls_caught']}/{c['controls']} caught, "
              f"{res.wall_time_s:.1f} s{where}")
        print(f"  reproduce: {reproduce_command(res)}")
    if args.json:
        payload = [r.to_dict() for r in results] if args.all else results[0].to_dict()
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n")
    expected = {r.theorem for r in results if r.verdict == theorems.INCONCLUSIVE_VERDICT
                and theorems.get(r.theorem).expects_inconclusive(args.quick)}
    if len(results) > 1:
        counts = {v: sum(r.verdict == v for r in results)
                  for v in ("consistent", "inconclusive", "violated")}
        print(f"{len(results)} statements: " + ", ".join(
            f"{n} {v}" + (f" ({len(expected)} expected)" if v == "inconclusive" and n else "")
            for v, n in counts.items()))
    if session.cache is not None and not args.quiet:
        print(f"trials: {session.computed} computed, {session.reused} from the cache "
              f"({session.cache.location})", file=sys.stderr)
    verdicts = {r.verdict for r in results}
    if theorems.VIOLATED in verdicts:
        return EXIT_VIOLATED
    # an inconclusive verdict the statement declares expected in this mode (by nature, or
    # sweeps known not to resolve) does not fail a run unless --strict
    if any(r.verdict == theorems.INCONCLUSIVE_VERDICT and (args.strict or r.theorem not in expected)
           for r in results):
        return EXIT_INCONCLUSIVE
    return EXIT_CONSISTENT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
