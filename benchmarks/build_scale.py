"""How the strict build grows with the site: 1x and 10x pages, and the cost of each added page.

Usage: .venv/bin/python benchmarks/build_scale.py [--factor 10] [--runs 1] [--warm]
                                                  [--pages affine.md softmax.md ...]

The 10x site is synthetic: in a temporary folder, a copy of docs/ plus FACTOR - 1 copies of every
checked page (a page with a display formula) under new names beside the original (so relative
links and snippet paths still resolve), listed in the nav of its own mkdocs.yml, which INHERITs the
project's. --pages copies only the pages named (e.g. the 11 checked pages the site had when the
target was set, to compare like with like). Both sites are built with `mkdocs build --strict` from the project folder, each in a
fresh process, and the wall time is printed with the added cost per added page:

    (time at FACTOR x - time at 1x) / (pages at FACTOR x - pages at 1x)

By default the formula checker's results cache (formulacheck.pages.cache, under .cache/) is
emptied before each build, so every page is checked: the figure a fresh clone (and CI) pays.
With --warm the cache of the previous build is kept, the figure of a rebuild.
Target: at most half of the cost measured before the build was optimised (0.098 s per added page:
14.3 s at 10x vs 4.5 s at 1x, 100 pages added). The machine may be shared: take the median of a few
runs (--runs) and say how loaded it was.
"""

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BEFORE_SECONDS_PER_PAGE = (14.3 - 4.5) / 100
DISPLAY_MATH = re.compile(r"^\s*\$\$", re.MULTILINE)


def checked_pages():
    """Markdown pages with at least one display formula (the pages the checker reads)."""
    return sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")
                  if "vendor" not in path.parts and DISPLAY_MATH.search(path.read_text("utf-8")))


def write_site(folder: Path, factor: int, pages=None) -> int:
    """A docs folder and an mkdocs.yml with FACTOR x the checked pages (or x ``pages``); returns
    the page count."""
    docs = folder / "docs"
    shutil.copytree(DOCS, docs)
    copies = []
    for source in pages or checked_pages():
        stem = source[:-len(".md")]
        for number in range(2, factor + 1):
            target = f"{stem}-copy{number}.md"
            shutil.copyfile(docs / source, docs / target)
            copies.append(target)
    project = _project_config()
    # Hook paths are relative to the config file: the project's, made absolute.
    hooks = [str(ROOT / hook) for hook in project.get("hooks", [])]
    config = f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {docs}\n"
    config += yaml.safe_dump({"hooks": hooks}, sort_keys=False)
    if copies:  # INHERIT replaces a list: the project's nav, then the copies
        nav = project["nav"] + copies
        config += yaml.safe_dump({"nav": nav}, sort_keys=False, allow_unicode=True)
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    pages = sum(1 for path in docs.rglob("*") if path.suffix in (".md", ".ipynb")
                and "vendor" not in path.parts)
    return pages


class _NavLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its nav and hooks only: tags such as !ENV become None."""


_NavLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _project_config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_NavLoader)


def clear_check_cache() -> None:
    shutil.rmtree(ROOT / ".cache" / "formulacheck", ignore_errors=True)


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_seconds(folder: Path, warm: bool) -> tuple:
    """(wall seconds, CPU seconds of the build and its child processes)."""
    if not warm:
        clear_check_cache()
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(folder / "mkdocs.yml"),
               "-d", str(folder / "site")]
    start, cpu = time.perf_counter(), children_cpu_seconds()
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - start, children_cpu_seconds() - cpu
    if result.returncode != 0:
        sys.exit(f"the build of {folder} failed:\n{result.stdout}{result.stderr}")
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--runs", type=int, default=1, help="builds per size (median shown)")
    parser.add_argument("--warm", action="store_true",
                        help="keep the checker's results cache between builds (a rebuild)")
    parser.add_argument("--pages", nargs="+", metavar="PAGE",
                        help="copy only these pages of docs/ (default: every checked page)")
    options = parser.parse_args()
    unknown = [page for page in options.pages or [] if not (DOCS / page).is_file()]
    if unknown:
        parser.error(f"no such page in docs/: {', '.join(unknown)}")
    with tempfile.TemporaryDirectory(prefix="build-scale-") as temporary:
        sizes = {}
        for factor in (1, options.factor):
            folder = Path(temporary) / f"x{factor}"
            folder.mkdir()
            pages = write_site(folder, factor, options.pages)
            if options.warm:
                build_seconds(folder, warm=True)  # fill the cache
            runs = [build_seconds(folder, options.warm) for _ in range(options.runs)]
            times = [wall for wall, _ in runs]
            cpu = statistics.median(cpu for _, cpu in runs)
            sizes[factor] = (pages, statistics.median(times), times, cpu)
    (pages_1, seconds_1, _, cpu_1), (pages_n, seconds_n, _, cpu_n) = sizes[1], sizes[options.factor]
    per_page = (seconds_n - seconds_1) / (pages_n - pages_1)
    cache = "warm" if options.warm else "cold (emptied before each build)"
    print(f"mkdocs build --strict, checker cache {cache}, median of {options.runs}:")
    for factor, (pages, seconds, times, cpu) in sizes.items():
        runs = ", ".join(f"{t:.1f}" for t in times)
        print(f"  {factor:>2}x: {pages:>4} pages  {seconds:6.1f} s wall  {cpu:6.1f} s CPU"
              f"   (runs: {runs})")
    target = BEFORE_SECONDS_PER_PAGE / 2
    verdict = "meets" if per_page <= target else "MISSES"
    print(f"cost per added page: {per_page:.3f} s; target <= {target:.3f} s "
          f"(half of {BEFORE_SECONDS_PER_PAGE:.3f} s before): {verdict} it")
    print(f"CPU per added page: {(cpu_n - cpu_1) / (pages_n - pages_1):.3f} s (CPU time counts"
          f" the parallel checks of all processes; load average now {os.getloadavg()[0]:.1f})")
    print(f"ratio {options.factor}x / 1x: {seconds_n / seconds_1:.2f}")


if __name__ == "__main__":
    main()
