"""P1 — Baykal et al. 2022, *A Theoretical View on Sparsely Activated Networks*.

One file per statement, named after its id; ``STATEMENTS`` is what the entry point
``pactools.statements: baykal2022`` provides.
"""
from .. import _framework
from .. import lemma_4_2, theorem_4_1, theorem_4_3, theorem_b_1  # noqa: F401
from .theorem_c_1 import theorem_c_1

STATEMENTS = [s for s in _framework.LEGACY if s.paper.startswith("P1")] + [theorem_c_1]
