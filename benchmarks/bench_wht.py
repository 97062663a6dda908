"""Speed of pactools.fourier.wht against references measured in the same run.

References: a plain radix-2 NumPy loop (the textbook vectorised FWHT) and,
when installed (``pip install fht-cpu``, the ``bench`` extra), the compiled
SIMD transform ``fht_cpu.fht``.  Runs are interleaved and medians compared,
since absolute times drift 20-40 % on shared machines (PERFORMANCE.md); one
untimed round first, since the first allocations of a 128 MB array can stall
for hundreds of milliseconds while the kernel assembles huge pages.

Targets: at n = 24, wht >= 5x faster than radix-2 (issue 2; CI's hard limit 3x)
and within 1.8x of the compiled transform (issue 16; CI's hard limit 3x).  Exit status 1 if a hard
limit is missed.  Also times exact AS and NS of a 24-variable table (reported beside the
in-run wht time; wall-clock seconds are not asserted).

    python benchmarks/bench_wht.py [--quick]
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def radix2(x):
    """Plain radix-2 loop: n passes of reshape(-1, 2, h) butterflies."""
    y = np.array(x, dtype=np.float64)
    size, h = y.shape[-1], 1
    while h < size:
        v = y.reshape(-1, 2, h)
        a = v[:, 0, :].copy()
        v[:, 0, :] += v[:, 1, :]
        v[:, 1, :] = a - v[:, 1, :]
        h *= 2
    return y


def _median_times(fns, repeats, warmup=True):
    """Median seconds of each of ``fns`` over ``repeats`` interleaved rounds, after one
    untimed round (``warmup``: first touch and huge-page assembly of new arrays)."""
    for fn in fns.values() if warmup else ():
        fn()
    times = {k: [] for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t0)
    return {k: float(np.median(v)) for k, v in times.items()}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="n in {20, 24}, 3 repeats")
    args = ap.parse_args(argv)
    import pactools
    from pactools.fourier import average_sensitivity, noise_sensitivity, wht
    try:
        import fht_cpu
    except ImportError:
        fht_cpu = None
    from threadpoolctl import threadpool_info
    blas = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}"
            for i in threadpool_info() if i.get("user_api") == "blas"]
    print(f"pactools {pactools.__version__}, numpy {np.__version__}, BLAS {blas}, "
          f"fht-cpu {'present' if fht_cpu else 'not installed'}")
    grid = (20, 24) if args.quick else (16, 18, 20, 22, 24)
    repeats = 3 if args.quick else 7
    ok = True
    print(f"{'n':>3} {'wht ms':>9} {'radix2 ms':>10} {'fht ms':>8} {'x radix2':>9} "
          f"{'/ fht':>7} {'wht(out=) ms':>13} {'fht(out=) ms':>13} {'/ fht':>7}")
    for n in grid:
        x = np.random.default_rng(n).standard_normal(1 << n)
        y = wht(x)
        ref = radix2(x)
        assert np.max(np.abs(y - ref)) <= 1e-12 * np.max(np.abs(ref))
        o1, o2 = np.empty_like(x), np.empty_like(x)
        fns = {"wht": lambda: wht(x), "radix2": lambda: radix2(x),
               "wht_out": lambda: wht(x, out=o1)}
        if fht_cpu is not None:
            fns["fht"] = lambda: fht_cpu.fht(x, inplace=False)
            fns["fht_out"] = lambda: fht_cpu.fht(x, out=o2)
        t = _median_times(fns, repeats)
        r2 = t["radix2"] / t["wht"]
        if fht_cpu is not None:
            rf, rfo = t["wht"] / t["fht"], t["wht_out"] / t["fht_out"]
            fht_txt = f"{t['fht'] * 1e3:8.2f} {r2:9.1f} {rf:7.2f} {t['wht_out'] * 1e3:13.2f} " \
                      f"{t['fht_out'] * 1e3:13.2f} {rfo:7.2f}"
        else:
            rf = rfo = None
            fht_txt = f"{'—':>8} {r2:9.1f} {'—':>7} {t['wht_out'] * 1e3:13.2f} {'—':>13} {'—':>7}"
        print(f"{n:3d} {t['wht'] * 1e3:9.2f} {t['radix2'] * 1e3:10.2f} {fht_txt}")
        if n == 24:
            t24 = t["wht"]
            # both allocate their 128 MB result: when the kernel must compact memory for
            # huge pages, each call stalls (CI: 355 against 81 ms with out=), so the gate sits
            # far below the target, like the others
            if r2 < 3:
                ok = False
                print(f"MISSED: wht only {r2:.1f}x faster than radix-2 at n=24 "
                      f"(target >= 5x, limit 3x)")
            elif r2 < 5:
                print(f"note: wht {r2:.1f}x faster than radix-2 at n=24 (target >= 5x, limit 3x)")
            if rf is not None and min(rf, rfo) > 3:
                ok = False
                print(f"MISSED: wht {min(rf, rfo):.2f}x the compiled FWHT (target 1.8x, limit 3x)")
            elif rf is not None and min(rf, rfo) > 1.8:
                print(f"note: wht {min(rf, rfo):.2f}x the compiled FWHT (target 1.8x, limit 3x)")
    t = np.random.default_rng(0).standard_normal(1 << 24)
    t0 = time.perf_counter()
    average_sensitivity(t)
    t1 = time.perf_counter()
    noise_sensitivity(t, 0.9)
    t2 = time.perf_counter()
    # wall-clock seconds depend on the machine and its load: reported beside the in-run
    # wht time, never asserted (a ratio target belongs to the performance issue)
    print(f"exact AS of a real 24-variable table: {t1 - t0:.3f} s; NS: {t2 - t1:.3f} s; "
          f"together {(t2 - t0) / t24:.1f}x one wht at n=24 in this run")
    # Boolean tables (issue 16): exact AS within 3x of a bare bit-packed XOR + popcount pass
    # over the same table, and exact NS within 1.5x of one wht plus its degree profile
    from pactools.fourier import level_weights
    b = np.sign(t)
    assert average_sensitivity(b) == packed_as_reference(b)
    tb = _median_times({"as": lambda: average_sensitivity(b),
                        "packed": lambda: packed_as_reference(b),
                        "ns": lambda: noise_sensitivity(b, 0.9),
                        "wht_profile": lambda: level_weights(wht(b, norm="forward"))}, repeats)
    r_as, r_ns = tb["as"] / tb["packed"], tb["ns"] / tb["wht_profile"]
    print(f"Boolean n=24: AS {tb['as'] * 1e3:.1f} ms = {r_as:.2f}x the bit-packed reference "
          f"({tb['packed'] * 1e3:.1f} ms; target 3x); NS {tb['ns'] * 1e3:.1f} ms = {r_ns:.2f}x "
          f"one wht + degree profile (target 1.5x)")
    if r_as > 6:
        ok = False
        print(f"MISSED: Boolean AS {r_as:.1f}x the bit-packed reference (target 3x, limit 6x)")
    if r_ns > 3:
        ok = False
        print(f"MISSED: NS {r_ns:.1f}x one wht + profile (target 1.5x, limit 3x)")
    return 0 if ok else 1


def packed_as_reference(table):
    """The bare bit-packed pass (PERFORMANCE.md's anchor): pack ``table > 0``, then count
    differing partners per coordinate by XOR and popcount; a +-1 table's AS."""
    n = table.size.bit_length() - 1
    words = np.packbits(table > 0, bitorder="little").view("<u8")
    masks = (0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F,
             0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF, 0x00000000FFFFFFFF)
    total = 0
    for i in range(6):
        total += int(np.bitwise_count((words ^ (words >> np.uint64(1 << i)))
                                      & np.uint64(masks[i])).sum())
    for i in range(6, n):
        w = words.reshape(-1, 2, 1 << (i - 6))
        total += int(np.bitwise_count(w[:, 0, :] ^ w[:, 1, :]).sum())
    return 2.0 * total / table.size


if __name__ == "__main__":
    sys.exit(main())
