"""Transitional: statements still written as one ``run(ctx)`` function.

They are wrapped in :class:`LegacyStatement`, which has the interface of
:class:`pactools.statement.Statement` (and registers through the same entry
points), until each is ported to sweeps and declared checks.
"""
from __future__ import annotations

import time

import numpy as np

from ..statement import (CAUGHT, CLAIM, CONTROL, MISSED, Check, Result, Statement,
                         overall_verdict, versions)
from ..stats import FAIL, RuleOutcome

__all__ = ["RunContext", "LegacyStatement", "register", "LEGACY"]

LEGACY = []


class RunContext:
    """What a statement's ``run`` function gets: mode, seed, rng, and sinks."""

    def __init__(self, statement, *, quick, seed, progress=None):
        self.statement = statement
        self.quick = quick
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.checks = []
        self.parameters = {}
        self.series = {}
        self.notes = []
        self._progress = progress

    def progress(self, message):
        if self._progress is not None:
            self._progress(f"[{self.statement.id}] {message}")

    def _add(self, name, role, kind, outcome: RuleOutcome, description, tolerance):
        if role == CLAIM:
            verdict = outcome.verdict
        elif role == CONTROL:
            verdict = CAUGHT if outcome.verdict == FAIL else MISSED
        else:
            raise ValueError(f'role must be "claim" or "control"; got {role!r}')
        if any(c.name == name for c in self.checks):
            raise ValueError(f"duplicate check name {name!r}")
        check = Check(name, role, kind, outcome.measured, outcome.bound, verdict,
                      dict(outcome.details), description, tolerance)
        self.checks.append(check)
        return check

    def claim(self, name, kind, outcome, description="", tolerance=None):
        return self._add(name, CLAIM, kind, outcome, description, tolerance)

    def control(self, name, kind, outcome, description="", tolerance=None):
        return self._add(name, CONTROL, kind, outcome, description, tolerance)


class LegacyStatement(Statement):
    """A statement whose sweeps and checks live in one ``run(ctx)`` function."""

    def __init__(self, id, paper, item, title, text, run_fn, figures_fn, aliases, seed, bounds,
                 inconclusive_by_nature):
        self.id, self.paper, self.item, self.title, self.text = id, paper, item, title, text
        self.section, self.sweeps, self.checks, self.figures = "", [], [], ()
        self.series_fn = self.notes_fn = None
        self.constants = {}
        self.run_fn, self.figures_fn = run_fn, figures_fn
        self.aliases, self.seed, self.bounds = tuple(aliases), int(seed), tuple(bounds)
        self.inconclusive_by_nature = bool(inconclusive_by_nature)
        self.source = "built in"

    def run(self, *, quick=False, seed=None, progress=None, session=None):
        seed = self.seed if seed is None else int(seed)
        ctx = RunContext(self, quick=quick, seed=seed, progress=progress)
        t0 = time.perf_counter()
        self.run_fn(ctx)
        wall = time.perf_counter() - t0
        return Result(self, overall_verdict(ctx.checks), ctx.checks, ctx.parameters, seed,
                      quick, versions(), wall, ctx.series, ctx.notes)

    def legacy_figures(self, result):
        """``[(file_name, matplotlib Figure), ...]`` drawn by the statement's own code."""
        return [] if self.figures_fn is None else list(self.figures_fn(result))


def register(*, id, paper, item, title, statement, aliases=(), default_seed=0, figures=None,
             bounds=(), inconclusive_by_nature=False):
    """Decorator wrapping a ``run(ctx)`` function as a :class:`LegacyStatement`."""
    def deco(fn):
        LEGACY.append(LegacyStatement(id, paper, item, title, statement, fn, figures, aliases,
                                      default_seed, bounds, inconclusive_by_nature))
        return fn
    return deco


