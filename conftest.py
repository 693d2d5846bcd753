"""Root pytest configuration: a fixed, printed Hypothesis seed, and the pages' `>>>` examples.

Hypothesis: every run draws the same examples, from one seed printed in the pytest header
(``hypothesis: seed 0 ...``), and no example database is read or written, so a test cannot fail
on one fresh clone and pass on the next, or replay an old failure from ``.hypothesis/``. Another
seed: ``HYPOTHESIS_SEED=7 make test`` or ``pytest --hypothesis-seed=7``; a failure names the seed
that reproduces it (it is in the header). ``--hypothesis-profile=explore`` draws fresh examples
on every run (for a developer looking for new failures, never for the gate).

Under pytest-xdist, tests that share state run together in one worker (tests/work_units.py): the
hook is here, not in tests/conftest.py, so that `pytest -n 2 docs/` keeps each page's examples in
one worker as `make test` does (a page's later example uses an earlier one's names).

Under pytest-xdist each worker gets one thread of numpy's linear algebra (`ONE_THREAD_EACH`).

Page examples: only fenced Python blocks that start with `>>>` are examples; other code blocks
only show code (often embedded from src/ by snippets) and are not executed. Module docstrings are
covered by pytest's --doctest-modules (see pyproject.toml).
"""

import os
import sys
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path

import pytest
from hypothesis import settings

from sybil import Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

sys.path.insert(0, str(Path(__file__).parent / "tests"))
from work_units import WorkUnitScheduling  # noqa: E402


#: The seed of every Hypothesis test unless HYPOTHESIS_SEED or --hypothesis-seed says otherwise.
DEFAULT_HYPOTHESIS_SEED = 0

# database=None: no replay of examples saved by an earlier run; print_blob: a failure prints the
# @reproduce_failure line that replays it exactly.
settings.register_profile("fixed-seed", database=None, derandomize=False, print_blob=True)
settings.register_profile("explore", database=None, derandomize=False, print_blob=True)
settings.load_profile("fixed-seed")


def _hypothesis_seed(config) -> int | None:
    """The seed given by --hypothesis-seed, else HYPOTHESIS_SEED, else the default; None to explore."""
    given = config.getoption("hypothesis_seed", default=None)
    if given is None:
        given = os.environ.get("HYPOTHESIS_SEED", "").strip() or None
    if given is None:
        if config.getoption("hypothesis_profile", default=None) == "explore":
            return None
        return DEFAULT_HYPOTHESIS_SEED
    try:
        return int(given)
    except ValueError:
        raise pytest.UsageError(
            f"HYPOTHESIS_SEED / --hypothesis-seed must be an integer; got {given!r}"
        ) from None


# Under pytest-xdist the workers already keep every processor busy, so each worker, and each
# process a test starts (a site build, a command line), gets one thread of numpy's linear algebra
# (OpenBLAS starts one per processor otherwise; what that cost is measured in the docstring of
# formulacheck.pages.cache.one_blas_thread, which does the same for the build's parallel check).
# A value set by the user is kept. Set before the workers start, which read it when numpy loads.
ONE_THREAD_EACH = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    # Runs before the Hypothesis plugin's own pytest_configure, which applies --hypothesis-seed.
    seed = _hypothesis_seed(config)
    config.option.hypothesis_seed = None if seed is None else str(seed)
    if config.getoption("numprocesses", default=None) and not hasattr(config, "workerinput"):
        for variable in ONE_THREAD_EACH:
            os.environ.setdefault(variable, "1")


def pytest_report_header(config):
    seed = config.option.hypothesis_seed
    if seed is None:
        return "hypothesis: no fixed seed (profile 'explore': fresh examples on every run)"
    return (
        f"hypothesis: seed {seed} (fixed; HYPOTHESIS_SEED=n or --hypothesis-seed=n for another), "
        "no example database"
    )


class MarkdownDocTestParser:
    """Doctest regions of fenced ```python / ```pycon blocks whose first line starts with >>>."""

    def __init__(self, optionflags):
        self.lexer = FencedCodeBlockLexer(language=r"python|py|pycon")
        self.doctest_parser = DocTestStringParser(DocTestEvaluator(optionflags))

    def __call__(self, document):
        for block in self.lexer(document):
            source = block.lexemes["source"]
            if source.lstrip().startswith(">>>"):
                for example in self.doctest_parser(source, document.path):
                    example.adjust(block, source)
                    yield example


# The stdlib flags only: pytest's NUMBER flag (pyproject) does not exist outside pytest's own
# doctest runner, so page examples print rounded numbers.
pytest_collect_file = Sybil(
    parsers=[MarkdownDocTestParser(optionflags=NORMALIZE_WHITESPACE | ELLIPSIS)],
    path="docs",
    patterns=["*.md"],
).pytest()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist, in the controller: split the tests into work units (tests/work_units.py), except
    under ``--dist each`` (every test in every worker)."""
    if config.getoption("dist") != "each":
        return WorkUnitScheduling(config, log)
    return None
