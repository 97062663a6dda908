"""pactools.hardfamily and pactools.dense: the lower-bound families and the exact uniform fit."""
from itertools import product
from math import comb

import numpy as np
import pytest

from pactools import dense, hardfamily, targets


@pytest.mark.parametrize("k, d, eps", [(1, 4, 0.1), (2, 4, 0.25), (2, 8, 0.2)])
def test_bump_family_properties(k, d, eps):
    fam = hardfamily.BumpFamily(d, k, eps, rng=0)
    rng = np.random.default_rng(1)
    s1, s2 = fam.random_signs(rng), fam.random_signs(rng)
    X = fam.grid_points(5)
    assert np.max(np.abs(fam(X, s1))) <= eps + 1e-12
    np.testing.assert_allclose(fam(fam.centres, s1), eps * s1, atol=1e-12)
    diff = np.abs(fam(fam.centres, s1) - fam(fam.centres, s2))
    np.testing.assert_allclose(diff, 2 * eps * (s1 != s2), atol=1e-12)
    assert np.max(np.linalg.norm(fam.gradient(X, s1), axis=1)) <= 1.0 + 1e-12
    P = X[rng.integers(0, len(X), 2000)]
    Q = P + rng.normal(size=P.shape) * eps
    assert np.all(np.abs(fam(P, s1) - fam(Q, s1)) <= np.linalg.norm(P - Q, axis=1) + 1e-12)
    # every cell lies inside Gamma
    assert np.all(np.abs(X) <= 1 + 1e-12)


def test_bump_family_matches_direct_sum():
    fam = hardfamily.BumpFamily(4, 2, 0.3, rng=2)
    s = fam.random_signs(3)
    X = targets.sample_subspace(fam.basis, 500, rng=4) + np.random.default_rng(5).normal(
        size=(500, 4)) * 0.05
    direct = sum(s[i] * np.maximum(0, fam.eps - np.linalg.norm(X - fam.centres[i], axis=1))
                 for i in range(fam.n_cells))
    np.testing.assert_allclose(fam(X, s), direct, atol=1e-12)


def test_paper_printed_family_is_unbounded():
    fam = hardfamily.BumpFamily(4, 1, 0.2, rng=0)
    s = -np.ones(fam.n_cells)
    assert np.max(fam.paper_printed(fam.grid_points(5), s)) > 5 * fam.eps


def test_polytope_volume():
    U = targets.random_subspace(4, 1, kind="diagonals", rng=0)
    assert hardfamily.polytope_volume(U) == pytest.approx(4.0)      # the diagonal: 2 sqrt(d)
    U2 = np.eye(3)[:, :2]
    assert hardfamily.polytope_volume(U2) == pytest.approx(4.0)     # the square [-1, 1]^2


def test_coupon_probability_matches_inclusion_exclusion_and_simulation():
    n, p = 8, 0.1
    for N in (8, 20, 40):
        ie = sum((-1) ** j * comb(n, j) * (1 - j * p) ** N for j in range(n + 1))
        assert hardfamily.coupon_all_hit_probability(N, n, p) == pytest.approx(ie, rel=1e-10)
    rng = np.random.default_rng(0)
    draws = rng.choice(n + 1, p=[p] * n + [1 - n * p], size=(20000, 30))
    freq = np.mean([len(set(r) - {n}) == n for r in draws])
    assert abs(freq - hardfamily.coupon_all_hit_probability(30, n, p)) < 0.02


def test_linf_fit_is_the_lp_optimum():
    rng = np.random.default_rng(0)
    Phi = rng.normal(size=(60, 5))
    y = rng.normal(size=60)
    err, coef = dense.linf_fit(Phi, y)
    assert err == pytest.approx(np.max(np.abs(Phi @ coef - y)))
    # no random perturbation of the optimum does better
    for _ in range(200):
        c = coef + rng.normal(size=5) * 1e-3
        assert np.max(np.abs(Phi @ c - y)) >= err - 1e-9
    # the exchange method gives the same optimum as the full LP
    Phi2 = rng.normal(size=(400, 6))
    y2 = np.sin(Phi2[:, 0])
    e_full, _ = dense.linf_fit(Phi2, y2, exchange=False)
    e_ex, _ = dense.linf_fit(Phi2, y2, exchange=True)
    assert e_ex == pytest.approx(e_full, rel=1e-7)


def test_exchange_stops_when_the_gap_is_the_solver_tolerance(monkeypatch):
    # an LP solver reports optima whose constraints hold only to its feasibility tolerance
    # (HiGHS: ~1e-9 relative); simulated here by understating every working-set optimum by
    # 1e-8 relative, the exchange loop once re-added rows it already had, forever (P1 4.3's
    # seed 7 hung so).  It must stop, returning the error of its coefficients on every row
    rng = np.random.default_rng(3)
    Phi = rng.normal(size=(400, 6))
    y = np.sin(Phi[:, 0])
    exact, _ = dense.linf_fit(Phi, y, exchange=False)
    real = dense._lp
    calls = []

    def understated(P, t, solver):
        calls.append(len(t))
        lower, coef = real(P, t, solver)
        return lower * (1 - 1e-8), coef
    monkeypatch.setattr(dense, "_lp", understated)
    err, coef = dense.linf_fit(Phi, y, exchange=True)
    assert err == np.max(np.abs(Phi @ coef - y))        # the returned coefficients' own error
    assert err == pytest.approx(exact, rel=1e-7)        # the optimum, to the LP's tolerance
    assert len(calls) < 20 and calls[-1] < 400          # stopped on a working set, not all rows


def test_lp_falls_back_to_no_presolve_when_presolve_fails(monkeypatch):
    # HiGHS's presolve returns status 4 on some rank-deficient fits with more features than
    # points (P1 4.3 --quick --seed 36): simulated by failing every call with presolve on
    import scipy.optimize
    rng = np.random.default_rng(5)
    Phi = rng.normal(size=(30, 50))
    Phi[:, 25:] = Phi[:, :25] @ rng.normal(size=(25, 25))        # rank 25 < 30 points
    y = np.sin(rng.normal(size=30))
    exact, _ = dense.linf_fit(Phi, y)
    real = scipy.optimize.linprog
    seen = []

    class Failed:
        status, message = 4, "(HiGHS Status 0: Not Set)"

    def flaky(*args, options=None, method=None, **kw):
        seen.append((method, options))
        if not options:
            return Failed()
        return real(*args, options=options, method=method, **kw)
    monkeypatch.setattr(scipy.optimize, "linprog", flaky)
    err, coef = dense.linf_fit(Phi, y)
    assert err == pytest.approx(exact, rel=1e-7)
    assert seen[:4] == [("highs", None), ("highs-ds", None), ("highs-ipm", None),
                        ("highs", {"presolve": False})]
    # and when nothing works, the error names every attempt
    monkeypatch.setattr(scipy.optimize, "linprog", lambda *a, **k: Failed())
    with pytest.raises(RuntimeError, match="highs-ipm without presolve: status 4"):
        dense.linf_fit(Phi, y)


def test_min_width_is_minimal():
    fam = hardfamily.BumpFamily(4, 1, 0.2, rng=0)
    X = fam.grid_points(3)
    y = fam(X, fam.random_signs(1))
    feats = dense.RandomReLUFeatures(4, 400, rng=2)
    t, trace = dense.min_width(feats, X, y, 0.1)
    assert t is not None
    assert dense.linf_fit(feats.transform(X, t), y)[0] < 0.1
    assert dense.linf_fit(feats.transform(X, t - 1), y)[0] >= 0.1
    # any guess (far below, just below, exact, just above, far above) brackets the same t
    for guess in (1, t - 3, t, t + 2, 5 * t, 400):
        assert dense.min_width(feats, X, y, 0.1, guess=guess)[0] == t, guess
    near = dense.min_width(feats, X, y, 0.1, guess=t + 1)[1]
    assert len(near) < len(trace)                 # a close guess takes fewer LPs
    assert dense.min_width(feats, X, y, 0.1, guess=t, max_width=t - 1)[0] is None   # no fit


def test_min_width_warm_start_matches_cold_fits():
    # one HiGHS model re-solved warm across the widths of a search (primal simplex when it
    # widens, dual when it narrows) gives each width's LP optimum, as a cold solve does
    fam = hardfamily.BumpFamily(8, 2, 0.3, rng=1)
    X = fam.grid_points(3)
    y = fam(X, fam.random_signs(4))
    feats = dense.RandomReLUFeatures(8, 40 * fam.n_cells + 200, rng=5)
    for guess in (None, 3 * fam.n_cells):
        t_w, warm = dense.min_width(feats, X, y, 0.15, guess=guess, start=fam.n_cells // 2)
        t_c, cold = dense.min_width(feats, X, y, 0.15, guess=guess, start=fam.n_cells // 2,
                                    warm_start=False)
        assert t_w == t_c and [t for t, _ in warm] == [t for t, _ in cold]
        widths = [t for t, _ in warm]
        assert any(b > a for a, b in zip(widths, widths[1:]))      # widened and narrowed
        assert any(b < a for a, b in zip(widths, widths[1:]))
        for (t, e_w), (_, e_c) in zip(warm, cold):
            assert e_w <= e_c * (1 + 1e-9), t
            if e_c < 0.15:
                # both attained by their coefficients; the warm model's tolerances are tighter
                assert e_w == pytest.approx(e_c, rel=1e-5), t
            else:           # a failing width: the optimum, or the dual bound that stopped it
                assert e_w >= 0.15, t


def test_a_dual_bound_stops_a_failing_width_early_and_never_a_passing_one():
    fam = hardfamily.BumpFamily(8, 2, 0.3, rng=1)
    X = fam.grid_points(3)
    y = fam(X, fam.random_signs(4))
    feats = dense.RandomReLUFeatures(8, 40 * fam.n_cells + 200, rng=5)
    wide, narrow = 3 * fam.n_cells, fam.n_cells // 2
    exact = dense.linf_fit(feats.transform(X, narrow), y, exchange=False)[0]
    lp = dense._PrefixLP(feats, X, y)
    lp.error(wide)
    # narrowing from the wide optimum (dual simplex), stopped at the bound: a lower bound
    lower, coef = lp.error(narrow, bound=exact / 2)
    stopped = lp.model.getInfo().simplex_iteration_count
    assert coef is None and lp.bounded == 1
    assert exact / 2 <= lower <= exact * (1 + 1e-9)
    # the same narrowing to the end, from the same basis: more pivots, the optimum
    err, coef = lp.error(narrow)
    assert lp.model.getInfo().simplex_iteration_count > stopped
    assert coef is not None and err == pytest.approx(exact, rel=1e-6)
    # a bound above the optimum never stops the solve
    err, coef = lp.error(narrow, bound=exact * 1.01)
    assert coef is not None and err == pytest.approx(exact, rel=1e-6)
    assert lp.bounded == 1 and lp.cold_solves == 0


def test_warm_lp_falls_back_to_a_cold_solve_when_highs_stops_early():
    fam = hardfamily.BumpFamily(4, 1, 0.1, rng=0)
    X = fam.grid_points(3)
    y = fam(X, fam.random_signs(1))
    feats = dense.RandomReLUFeatures(4, 200, rng=2)
    lp = dense._PrefixLP(feats, X, y)
    lp.error(20)
    lp.model.setOptionValue("simplex_iteration_limit", 0)      # the next solve ends early
    err, coef = lp.error(40)
    assert lp.model is None                                     # rebuilt at the next width
    exact = dense.linf_fit(feats.transform(X, 40), y, exchange=False)[0]
    assert err == pytest.approx(exact, rel=1e-7)
    assert err == np.max(np.abs(feats.transform(X, 40) @ coef - y))
    assert lp.error(30)[0] == pytest.approx(
        dense.linf_fit(feats.transform(X, 30), y, exchange=False)[0], rel=1e-7)


@pytest.mark.slow
def test_warm_lp_first_solve_needs_no_fallback_on_a_large_4_3_lp():
    # Theorem 4.3's k = 2 LPs from ~1400 points: IPX's default (dualized) form fails at its
    # first iteration on this one (and on every eps <= 0.12 search of the full run), and
    # every width then went cold; the model solves it itself, in the primal form (~3 s)
    rng = np.random.default_rng(1)
    fam = hardfamily.BumpFamily(8, 2, 0.14, basis=targets.span_basis(
        targets.random_diagonals(8, 2, rng=rng).astype(int).tolist()))
    X = fam.grid_points(3)
    y = fam(X, fam.random_signs(rng))
    feats = dense.RandomReLUFeatures(8, 40 * fam.n_cells + 200, rng=rng)
    lp = dense._PrefixLP(feats, X, y, "highs-ipm")
    assert len(X) == 1440
    err, coef = lp.error(512)
    assert lp.cold_solves == 0 and lp.model is not None
    assert lp.error(500)[0] >= err and lp.cold_solves == 0          # warm: dual simplex
    assert err == np.max(np.abs(feats.transform(X, 512) @ coef - y))


def test_cosine_family():
    fam = hardfamily.CosineFamily(2, 4, 1.0, constant=8.0)
    assert fam.n_terms == 25
    S = fam.random_signs(3, rng=0)
    g = np.linspace(-1, 1, 41)
    X = np.array(list(product(g, repeat=2)))
    # gradient against finite differences
    h = 1e-6
    e0 = np.array([h, 0.0])
    fd = (fam(X + e0, S) - fam(X - e0, S)) / (2 * h)
    S_ = -np.pi * np.sin(np.pi * X @ fam.freqs.T)
    grad0 = (S * fam.scale) @ (S_ * fam.freqs[:, 0]).T
    np.testing.assert_allclose(fd, grad0, atol=1e-6)
    assert np.all(fam.gradient_norms(X, S) <= 1.0)
