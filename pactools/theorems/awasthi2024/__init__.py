"""P2 — Awasthi et al. 2024, *Learning Neural Networks with Sparse Activations*.

One file per statement, named after its id; ``STATEMENTS`` is what the entry point
``pactools.statements: awasthi2024`` provides.
"""
from .claim_1 import claim_1
from .conj_5_5 import conj_5_5
from .eq_15 import eq_15
from .lemma_2_1 import lemma_2_1
from .lemma_3_2 import lemma_3_2
from .lemma_3_4 import lemma_3_4
from .lemma_5_2 import lemma_5_2
from .section_4 import section_4
from .theorem_3_1 import theorem_3_1
from .theorem_5_3 import theorem_5_3

STATEMENTS = [claim_1, lemma_2_1, lemma_3_2, lemma_3_4, theorem_3_1, section_4,
              theorem_5_3, eq_15, conj_5_5, lemma_5_2]
