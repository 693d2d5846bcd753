"""How the strict build grows with the site: 1x and 10x pages, and the cost of each added page.

Usage: .venv/bin/python benchmarks/build_scale.py [--factor 10] [--runs 1] [--warm] [--no-floor]
                                                  [--pages affine.md softmax.md ...]

The 10x site is synthetic: in a temporary folder, a copy of docs/ plus FACTOR - 1 copies of every
checked page (a page with a display formula) under new names beside the original (so relative
links and snippet paths still resolve), listed in the nav of its own mkdocs.yml, which INHERITs the
project's. --pages copies only the pages named (e.g. the 11 checked pages the site had when the
target was set, to compare like with like). Both sites are built with `mkdocs build --strict` from the project folder, each in a
fresh process, and the wall time is printed with the added cost per added page:

    (time at FACTOR x - time at 1x) / (pages at FACTOR x - pages at 1x)

By default the formula checker's results cache (formulacheck.pages.cache, under .cache/) and the
typeset formulas (the prerender_math hook's, under .cache/) are emptied before each build, so
every page is checked and every formula typeset: the figure a fresh clone (and CI) pays. With
--warm the caches of the previous build are kept, the figure of a rebuild.
Target: at most half of the cost measured before the build was optimised (0.098 s per added page:
14.3 s at 10x vs 4.5 s at 1x, 100 pages added). The machine may be shared: take the median of a few
runs (--runs) and say how loaded it was.

The floor: the same two sites are also built by the stack alone (MkDocs, Material, the Markdown
extensions and the other plugins, with no hook and without the formulacheck plugin, so nothing is
checked, marked or typeset at build time; not --strict, since the links to the marks' anchors
then have no target). Its cost per added page is what the site's own work adds to; --no-floor
skips those builds.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "site"))
from browser_support import load_module  # noqa: E402 (the helpers live beside the browser tests)

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PRERENDER_HOOK = ROOT / "overrides" / "hooks" / "prerender_math.py"
BEFORE_SECONDS_PER_PAGE = (14.3 - 4.5) / 100
DISPLAY_MATH = re.compile(r"^\s*\$\$", re.MULTILINE)
CHECKER_PLUGIN = "formulacheck"


def checked_pages():
    """Markdown pages with at least one display formula (the pages the checker reads)."""
    return sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")
                  if "vendor" not in path.parts and DISPLAY_MATH.search(path.read_text("utf-8")))


def write_site(folder: Path, factor: int, pages=None) -> int:
    """A docs folder with FACTOR x the checked pages (or x ``pages``), an mkdocs.yml that builds it
    as the site does, and a bare.yml that builds it with the stack alone (see the floor above);
    returns the page count."""
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
    # INHERIT replaces a list: the project's nav, then the copies. Hook paths are relative to the
    # config file: the project's, made absolute.
    common = {"INHERIT": str(ROOT / "mkdocs.yml"), "docs_dir": str(docs)}
    if copies:
        common["nav"] = project["nav"] + copies
    site = dict(common, hooks=[str(ROOT / hook) for hook in project.get("hooks", [])])
    bare = dict(common, hooks=[],
                plugins=[plugin for plugin in project["plugins"] if plugin != CHECKER_PLUGIN])
    for name, config in (("mkdocs.yml", site), ("bare.yml", bare)):
        text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
        (folder / name).write_text(text, encoding="utf-8")
    pages = sum(1 for path in docs.rglob("*") if path.suffix in (".md", ".ipynb")
                and "vendor" not in path.parts)
    return pages


class _NavLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its nav, hooks and plugins only: tags such as !ENV become None."""


_NavLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _project_config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_NavLoader)


def build_cache_folders() -> list:
    """The folders where the builds (run from the project folder) keep the checker's results and
    the typeset formulas: FORMULACHECK_CACHE_DIR and PRERENDER_MATH_CACHE_DIR, or their defaults,
    read by the code that reads them for the build (none for `off`)."""
    from formulacheck.pages.cache import DEFAULT_FOLDER, cache_setting
    hook = load_module(PRERENDER_HOOK)
    settings = (cache_setting("FORMULACHECK_CACHE_DIR", DEFAULT_FOLDER),
                cache_setting("PRERENDER_MATH_CACHE_DIR", hook.DEFAULT_CACHE_DIR))
    return [ROOT / setting for setting in settings if setting is not None]


def empty_build_caches() -> None:
    """Empty what a build keeps for the next (a fresh clone has neither): the checker's results
    and the typeset formulas."""
    for folder in build_cache_folders():
        shutil.rmtree(folder, ignore_errors=True)


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_seconds(folder: Path, warm: bool, bare: bool = False) -> tuple:
    """(wall seconds, CPU seconds of the build and its child processes); ``bare``: the build by
    the stack alone (bare.yml, not strict)."""
    if not warm and not bare:  # the stack alone checks and typesets nothing
        empty_build_caches()
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    config, strict = ("bare.yml", []) if bare else ("mkdocs.yml", ["--strict"])
    command = [sys.executable, "-m", "mkdocs", "build", *strict, "-f", str(folder / config),
               "-d", str(folder / ("site-bare" if bare else "site"))]
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
                        help="keep the checker's results and the typeset formulas between "
                             "builds (a rebuild)")
    parser.add_argument("--pages", nargs="+", metavar="PAGE",
                        help="copy only these pages of docs/ (default: every checked page)")
    parser.add_argument("--no-floor", action="store_true",
                        help="skip the builds by the stack alone (no hook, no checker)")
    options = parser.parse_args()
    unknown = [page for page in options.pages or [] if not (DOCS / page).is_file()]
    if unknown:
        parser.error(f"no such page in docs/: {', '.join(unknown)}")
    kinds = ("site",) if options.no_floor else ("site", "stack alone")
    sizes = {kind: {} for kind in kinds}
    with tempfile.TemporaryDirectory(prefix="build-scale-") as temporary:
        for factor in (1, options.factor):
            folder = Path(temporary) / f"x{factor}"
            folder.mkdir()
            pages = write_site(folder, factor, options.pages)
            if options.warm:
                build_seconds(folder, warm=True)  # fill the cache
            for kind in kinds:
                sizes[kind][factor] = (pages, [build_seconds(folder, options.warm,
                                                             bare=kind != "site")
                                               for _ in range(options.runs)])
    cache = "warm" if options.warm else "cold (emptied before each build)"
    print(f"mkdocs build --strict, checker cache {cache}, median of {options.runs}:")
    per_page = report(sizes["site"], options.factor)
    target = BEFORE_SECONDS_PER_PAGE / 2
    verdict = "meets" if per_page <= target else "MISSES"
    print(f"cost per added page: {per_page:.3f} s; target <= {target:.3f} s "
          f"(half of {BEFORE_SECONDS_PER_PAGE:.3f} s before): {verdict} it")
    if not options.no_floor:
        print("the floor: the same sites built by the stack alone (mkdocs build, no hook, no "
              "formulacheck plugin: nothing checked, marked or typeset at build time):")
        floor = report(sizes["stack alone"], options.factor)
        print(f"cost per added page: {floor:.3f} s for the stack alone; the site's own work adds "
              f"{per_page - floor:.3f} s")
    print(f"(CPU time counts the parallel checks of all processes; load average now "
          f"{os.getloadavg()[0]:.1f})")


def report(sizes: dict, factor: int) -> float:
    """Print the 1x and FACTOR x lines of one kind of build, each size's (pages, [(wall, CPU)
    seconds of each run]); return its cost per added page, from the medians."""
    medians = {}
    for size, (pages, runs) in sizes.items():
        walls = [wall for wall, _ in runs]
        medians[size] = (pages, statistics.median(walls),
                         statistics.median(cpu for _, cpu in runs))
        print(f"  {size:>2}x: {pages:>4} pages  {medians[size][1]:6.1f} s wall"
              f"  {medians[size][2]:6.1f} s CPU   (runs: {', '.join(f'{t:.1f}' for t in walls)})")
    (pages_1, seconds_1, cpu_1), (pages_n, seconds_n, cpu_n) = medians[1], medians[factor]
    added = pages_n - pages_1
    print(f"  ratio {factor}x / 1x: {seconds_n / seconds_1:.2f}; CPU per added page "
          f"{(cpu_n - cpu_1) / added:.3f} s")
    return (seconds_n - seconds_1) / added

if __name__ == "__main__":
    main()
