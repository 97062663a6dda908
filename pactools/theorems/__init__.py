"""Verifiable statements of the two papers, one module per statement, and their registry.

Identifiers follow THEORY.md §0.2: short numbers in the arXiv numbering
(``lemma-2.1``, ``claim-1``) and qualified ones (``awasthi2024:lemma-2.1``).
"""
from ._framework import (CAUGHT, CONSISTENT, INCONCLUSIVE_VERDICT, MISSED, VIOLATED, Check,
                         Statement, TheoremResult, all_ids, compare_with_reference, get,
                         register, resolve)
from . import (claim_1, lemma_2_1, lemma_3_2, lemma_3_4, lemma_4_2, section_4,  # noqa: F401
               theorem_3_1, theorem_4_1, theorem_4_3, theorem_5_3, theorem_b_1, theorem_c_1)

__all__ = ["Check", "Statement", "TheoremResult", "all_ids", "compare_with_reference", "get",
           "register", "resolve",
           "CONSISTENT", "VIOLATED", "INCONCLUSIVE_VERDICT", "CAUGHT", "MISSED"]
