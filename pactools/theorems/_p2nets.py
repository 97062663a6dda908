"""Network families and exact facts shared by the P2 §3 statements (THEORY.md §C.1, §C.2)."""
from __future__ import annotations

import numpy as np

from .. import fourier, networks


def facts(net, n_active, *, rho=(), coefficients=False):
    """Exact facts of a network on the whole cube: one enumeration, one transform.

    Returns a dict with ``n, s, k, W, B`` (canonical ``W*, B*``), ``as`` (exact),
    ``weighted`` (``4k sum p_j u_j^2 ||w_j||^2``), ``max_active``, ``margin``,
    ``certified`` (exhaustive certificate), ``table`` (the truth table), ``ns`` (per
    ``rho``) and, on request,
    the Fourier coefficients.
    """
    e = networks.enumerate_network(net)
    cert = networks.certify_exhaustive(net, n_active, enumeration=e)
    out = {"n": net.n_vars, "s": net.n_hidden, "k": n_active, "W": net.W_star, "B": net.B_star,
           "as": fourier.average_sensitivity(e.table),
           "weighted": 4.0 * n_active * float(np.sum(e.active_probability
                                                      * net.output_weights ** 2
                                                      * net.weight_norms ** 2)),
           "max_active": e.max_active, "margin": e.min_margin, "certified": cert.holds,
           "variance": float(np.var(e.table)), "table": e.table}
    if len(rho) or coefficients:
        c = fourier.fourier_coefficients(e.table)
        w = fourier.level_weights(c)
        out["ns"] = [float(fourier.noise_sensitivity_from_weights(w, r)) for r in rho]
        if coefficients:
            out["coefficients"] = c
            out["level_weights"] = w
    return out


def gated_fixed_support(n_vars, n_active, rng, *, n_gate=2, support=4):
    """Gated net whose free weights have a fixed support: ``W*`` does not grow with ``n``."""
    return networks.gated_network(n_vars, n_gate, n_active, support=support, rng=rng)


def gated_dense(n_vars, n_active, rng, *, n_gate=2):
    """App. A-style gated net with dense free weights: ``W*`` grows like ``n``."""
    return networks.gated_network(n_vars, n_gate, n_active, rng=rng)


def caps_antipodal(n_vars, n_active, rng):
    """``n_active`` layers of two antipodal Hamming caps, ``beta = 1/sqrt(n)`` (``W* = 1``).

    The radius ``floor(n/2 - sqrt(n)/2)`` keeps each cap's mass near 0.16 at
    every ``n`` (two antipodal caps are the only way to fit large disjoint caps).
    """
    radius = max(1, int(np.floor(n_vars / 2 - np.sqrt(n_vars) / 2)))
    return networks.hamming_caps_network(n_vars, 2, radius, n_layers=n_active, rng=rng,
                                         antipodal=True)


FAMILIES = {"gated-fixed-support": gated_fixed_support, "caps-antipodal": caps_antipodal,
            "gated-dense": gated_dense}


def certificate_outcome(rows):
    """Claim outcome: every network's exhaustive certificate holds (max active <= k, no ties).

    ``measured`` is the largest ``max_active / k``; ``details`` gives the smallest
    margin among networks with more units than ``k`` (those where ties matter).
    """
    from ..stats import FAIL, PASS, RuleOutcome
    ok = [f["certified"] for f in rows]
    ratio = max(f["max_active"] / f["k"] for f in rows)
    margins = [f["margin"] for f in rows if f["s"] > f["k"]]
    return RuleOutcome(PASS if all(ok) else FAIL, float(ratio), 1.0,
                       {"n_networks": len(rows), "n_not_certified": int(len(ok) - sum(ok)),
                        "min_margin_nontrivial": float(min(margins)) if margins else None})
