"""How much of the tolerance the site's true claims use, and what branch-aware sampling costs.

Usage: .venv/bin/python benchmarks/tolerance_headroom.py [--seeds 3]

For every `=` link of every page of the site (docs/*.md, docs/train.ipynb) and of the formula
corpus, on every trial the checker runs (default seed, then a few more seeds), it prints the
largest ratio

    |left - right| / (steps x 2^-53 x magnitude)

that is, the difference in units of the first-order rounding bound n u M of GRAMMAR.md
("Tolerance"); the checker allows SAFETY times that bound. A ratio near SAFETY would mean the rule
is too tight for the site; a true claim with ratio above it would be a false alarm.
Then, per page: the blocks that needed extra instances for branch-aware sampling, how many, and the
checker's time per page (median of 3; the machine is shared, so times are noisy).
"""

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from formulacheck import check_page
from formulacheck.evaluation import compare as compare_module, named_arrays as na
from formulacheck.pages import blocks as checker

ROOT = Path(__file__).resolve().parents[1]
# The corpus of tests/formulacheck is the acceptance corpus with its two scope marks.
PAGES = (sorted((ROOT / "docs").glob("*.md")) + [ROOT / "docs" / "train.ipynb",
         ROOT / "tests" / "formulacheck" / "corpus.md"])
worst = {"ratio": 0.0, "where": ""}


def recording_compare(left, right, tok, scope, heading, trial, op="=", *more, **options):
    if op == "=" and left.pos == right.pos:
        try:
            a, b, _ = na.align(left, right)
            traces = compare_module.trace_of(left), compare_module.trace_of(right)
            bound = ((sum(t.steps for t in traces) + 1) * compare_module.UNIT_ROUNDOFF
                     * max(t.magnitude for t in traces))
            difference = float(np.max(np.abs(np.real(a) - np.real(b)), initial=0.0))
            ratio = difference / bound if bound else (0.0 if difference == 0 else float("inf"))
            if ratio > worst["ratio"] and np.all(np.isfinite(np.real(a))):
                worst.update(ratio=ratio, where=f"{tok.line}:{tok.col} {heading[:70]}")
        except Exception:  # noqa: BLE001 - the real compare reports shape problems
            pass
    return original(left, right, tok, scope, heading, trial, op, *more, **options)


original = checker.compare
checker.compare = recording_compare


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    seeds = range(parser.parse_args().seeds)
    per_page = {}
    for path in PAGES:
        if not path.exists():
            continue
        worst.update(ratio=0.0, where="")
        for seed in seeds:
            result = check_page(path, seed=seed)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            result = check_page(path)
            times.append(time.perf_counter() - start)
        extra = [(b.line, b.extra_trials) for b in result.blocks if b.extra_trials]
        one_sided = sum(len(b.one_sided) for b in result.blocks)
        per_page[path.name] = (worst["ratio"], worst["where"], statistics.median(times), extra, one_sided)
    print(f"tolerance = {compare_module.SAFETY} x n u M; largest |left - right| / (n u M) per page "
          f"(seeds 0..{len(seeds) - 1}):")
    for name, (ratio, where, seconds, extra, one_sided) in per_page.items():
        print(f"  {name:28s} ratio {ratio:6.3f}  at {where}")
    print("branch-aware sampling (default seed): blocks with extra instances, and time per page:")
    for name, (ratio, where, seconds, extra, one_sided) in per_page.items():
        drawn = sum(count for _, count in extra)
        print(f"  {name:28s} {seconds * 1000:7.1f} ms  {len(extra)} blocks, {drawn} extra instances, "
              f"{one_sided} branches on one side only")


if __name__ == "__main__":
    main()
