r"""P1 Figure 3 (random hypercube function): DSM and LSH against dense, P1-EXPERIMENTS.md E3.

Caption (L192): "Both DSM and LSH models outperform corresponding dense models with the same
number of activated units (note: # activ. units <= width)."  The claims of
:mod:`~pactools.theorems.baykal2022.fig_2` on P1's random hypercube function
(:math:`f(x)=\sum_yv_y\prod_i(1+y_ix_i)/2`, ``d = 8``): DSM 25 % below dense at equal
active units, DSM improving with total width, LSH with 16 tables below the widest dense
model at ``>= 2048`` buckets and improving with buckets; controls: one LSH table and random
hash 25 % claimed below dense.
"""
from .fig_2 import figure_statement

fig_3 = figure_statement(
    3, "hypercube", item="Figure 3 (L192)", section="P1-EXPERIMENTS.md E3, K6, K7",
    caption="Both DSM and LSH models outperform the corresponding dense models with the same "
            "number of activated units (the hypercube function; as Figure 2's panels).",
    expected_inconclusive={
        "quick": "16 LSH tables of 2^8 buckets vs dense at t = 1024 on 2^14 samples, over 6 "
                 "instances: the interval straddles 0",
        "full": "16 LSH tables vs the widest dense model: below it on average over 8 "
                "instances, but an interval straddles 0"},
    seed=20255)
