"""P1 — Baykal et al. 2022, *A Theoretical View on Sparsely Activated Networks*.

One file per statement, named after its id; ``STATEMENTS`` is what the entry point
``pactools.statements: baykal2022`` provides.
"""
from .dense_floor import dense_floor
from .eq_1 import eq_1
from .fig_1a import fig_1a
from .fig_2 import fig_2
from .fig_3 import fig_3
from .fig_4 import fig_4
from .fig_8 import fig_8
from .theorem_4_1 import theorem_4_1
from .theorem_4_3 import theorem_4_3
from .lemma_4_2 import lemma_4_2
from .theorem_b_1 import theorem_b_1
from .table_1 import table_1
from .theorem_c_1 import theorem_c_1

STATEMENTS = [theorem_4_1, lemma_4_2, theorem_4_3, eq_1, theorem_b_1, theorem_c_1, table_1,
              fig_1a, fig_2, fig_3, fig_4, fig_8, dense_floor]