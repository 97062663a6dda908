"""Verifiable statements of the two papers, and the registry of all statements.

Statements live in ``theorems/awasthi2024/`` (P2) and ``theorems/baykal2022/`` (P1),
one file per statement named after its id, and register through the entry-point
group ``pactools.statements`` like anyone's plug-in. Identifiers follow THEORY.md
§0.2: short numbers in the arXiv numbering (``lemma-2.1``, ``claim-1``) and
qualified ones (``awasthi2024:lemma-2.1``).
"""
from ..regression import compare_with_reference
from ..statement import (CAUGHT, CONSISTENT, INCONCLUSIVE, MISSED, VIOLATED, Check, Result,
                         Statement, StatementError)
from ._registry import add, all_ids, get, load, resolve

INCONCLUSIVE_VERDICT = INCONCLUSIVE

__all__ = ["Check", "Statement", "Result", "StatementError", "all_ids", "compare_with_reference",
           "get", "load", "add", "resolve", "CONSISTENT", "VIOLATED", "INCONCLUSIVE",
           "INCONCLUSIVE_VERDICT", "CAUGHT", "MISSED"]
