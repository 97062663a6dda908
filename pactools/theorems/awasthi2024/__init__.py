"""P2 — Awasthi et al. 2024, *Learning Neural Networks with Sparse Activations*.

One file per statement, named after its id; ``STATEMENTS`` is what the entry point
``pactools.statements: awasthi2024`` provides.
"""
from .. import _framework
from .claim_1 import claim_1
from .lemma_2_1 import lemma_2_1
from .lemma_3_2 import lemma_3_2
from .lemma_3_4 import lemma_3_4
from .section_4 import section_4
from .. import theorem_3_1  # noqa: F401
from .. import theorem_5_3  # noqa: F401

STATEMENTS = [claim_1, lemma_2_1, lemma_3_2, lemma_3_4, section_4] + [
    s for s in _framework.LEGACY if s.paper.startswith("P2")]
