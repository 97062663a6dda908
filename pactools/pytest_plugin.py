"""pytest plugin: bound-regression tests of statements in anyone's CI.

Installed with pactools (entry point ``pytest11: pactools``).  The fixture
``pactools_regression`` runs a statement in quick mode — once per test session for
each (statement, seed), however many tests ask — and compares it with a committed
reference ``result.json``: the verdict and the set of checks exactly, each
``measured`` within its check's tolerance, the pre-registered constants exactly
(:func:`pactools.regression.compare_with_reference`).  ``pytest --pactools-update``
rewrites the references on purpose, as pytest-regressions' ``--force-regen`` does.

Example
-------
.. code-block:: python

    def test_my_bound(pactools_regression):
        pactools_regression.check("my-lemma", load="my_statements.py")

The reference defaults to ``references/<id>.json`` beside the test file; pass
``reference=PATH`` to choose.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

__all__ = ["RegressionFixture", "pytest_addoption", "pactools_regression", "pactools_runs"]


def pytest_addoption(parser):
    group = parser.getgroup("pactools", "pactools bound regression")
    group.addoption("--pactools-update", action="store_true", default=False,
                    help="rewrite pactools reference results instead of comparing with them")


class _Runs:
    """Quick runs of statements, one per (id, seed, quick) for the whole test session."""

    def __init__(self):
        from .statement import Session
        self._session = Session()
        self._results = {}

    def get(self, statement, *, seed=None, quick=True):
        from . import theorems
        st = theorems.get(statement) if isinstance(statement, str) else statement
        key = (st.id, st.seed if seed is None else int(seed), bool(quick))
        if key not in self._results:
            self._results[key] = st.run(quick=quick, seed=key[1], session=self._session)
        return self._results[key]


class RegressionFixture:
    """What ``pactools_regression`` gives a test: :meth:`check` and :meth:`run`."""

    def __init__(self, runs, request):
        self._runs = runs
        self._request = request
        self.update = request.config.getoption("pactools_update")

    def run(self, statement, *, seed=None, quick=True, load=None):
        """The (session-cached) result of a statement id or object."""
        from . import theorems
        if load is not None:
            theorems.load(Path(self._request.path).parent / load
                          if str(load).endswith(".py") else load)
        return self._runs.get(statement, seed=seed, quick=quick)

    def reference_path(self, statement_id):
        from .report import report_dirname
        return Path(self._request.path).parent / "references" / f"{report_dirname(statement_id)}.json"

    def check(self, statement, *, reference=None, seed=None, load=None):
        """Run ``statement`` in quick mode and compare it with ``reference``.

        Without ``reference`` the file is ``references/<id>.json`` beside the test.
        With ``--pactools-update`` (or when the reference is missing) the reference
        is written and the test fails, so a new reference is never accepted silently.
        Returns the result.
        """
        from .regression import compare_with_reference, read_result
        path = Path(reference) if reference is not None else None
        ref = read_result(path) if path is not None and path.exists() and not self.update \
            else None
        if seed is None and ref is not None:
            seed = ref["seed"]
        res = self.run(statement, seed=seed, load=load)
        if path is None:
            path = self.reference_path(res.theorem)
            ref = read_result(path) if path.exists() and not self.update else None
        data = json.loads(res.to_json())
        if ref is None:
            _write_reference(res, data, path)
            pytest.fail(f"pactools reference {path} {'rewritten' if self.update else 'created'}"
                        "; check it and commit it, then run again", pytrace=False)
        diffs = compare_with_reference(data, ref)
        if diffs:
            pytest.fail(f"{res.theorem} differs from its reference {path}:\n  " +
                        "\n  ".join(diffs), pytrace=False)
        return res


def _write_reference(res, data, path):
    """A ``result.json`` reference gets its whole report beside it; any other name, the JSON."""
    if path.name == "result.json":
        from .report import write_report
        write_report(res, path.parent, reference=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({**data, "reference": True}, indent=2) + "\n")


@pytest.fixture(scope="session")
def pactools_runs():
    """Session-wide cache of quick runs (one run per statement and seed)."""
    return _Runs()


@pytest.fixture
def pactools_regression(pactools_runs, request):
    """Compare a statement's quick run with its committed reference (see the module)."""
    return RegressionFixture(pactools_runs, request)
