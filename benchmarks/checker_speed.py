"""How long the formula checker takes per page (prints the figures; no test times anything).

Usage: .venv/bin/python benchmarks/checker_speed.py
The reference page is the acceptance corpus (40 display blocks, 3 trials each); the site's pages
are timed too. Each figure is the median of 5 runs in a fresh scope (nothing cached across runs).

Then the contributor's view: the wall time of `formulacheck docs/affine.md` from a fresh process
(Python start, imports, checking, printing), next to a bare Python start and a bare numpy import,
so the part the checker itself adds is visible: with --no-cache (every formula checked) and
through the results cache (what a second check of an unchanged page costs; the cache is a
temporary folder, filled by the first run). Median of 7 runs each.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from formulacheck import check_page

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "tests" / "formulacheck" / "corpus.md"] + sorted((ROOT / "docs").glob("*.md"))


def median_seconds(path: Path, runs: int = 5) -> tuple:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = check_page(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def fresh_process_seconds(args: list, runs: int = 7) -> float:
    """Median wall time of `args` run as a new process from the project folder."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def command_line() -> None:
    python = sys.executable
    command = str(Path(python).with_name("formulacheck"))
    rows = [("python -c pass", [python, "-c", "pass"]),
            ("python -c 'import numpy'", [python, "-c", "import numpy"]),
            ("formulacheck new --help (no numpy)", [command, "new", "--help"]),
            ("formulacheck --no-cache docs/affine.md", [command, "--no-cache", "docs/affine.md"]),
            ("formulacheck --no-cache docs/two-layer.md",
             [command, "--no-cache", "docs/two-layer.md"]),
            ("formulacheck docs/two-layer.md (cached)", [command, "docs/two-layer.md"])]
    print(f"\n{'fresh process':<42} {'median':>9}")
    with tempfile.TemporaryDirectory(prefix="checker-speed-cache-") as cache:
        os.environ["FORMULACHECK_CACHE_DIR"] = cache  # the runs' children inherit it
        for label, args in rows:
            print(f"{label:<42} {fresh_process_seconds(args) * 1000:>7.0f} ms")


def main() -> None:
    check_page(PAGES[0])  # import numpy and warm caches once
    print(f"{'page':<36} {'blocks':>6} {'links':>6} {'median':>9} {'per block':>10}")
    for path in PAGES:
        seconds, result = median_seconds(path)
        blocks = len(result.blocks)
        if not blocks:
            continue
        links = sum(b.links for b in result.blocks)
        print(f"{str(path.relative_to(ROOT)):<36} {blocks:>6} {links:>6} {seconds * 1000:>7.0f} ms"
              f" {seconds * 1000 / blocks:>7.1f} ms  {'ok' if result.ok else 'NOT OK'}")
    command_line()


if __name__ == "__main__":
    main()
