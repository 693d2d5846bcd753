"""How `make test` splits the tests between pytest-xdist workers: units of work, heaviest first.

A unit is a set of tests that must run in one worker, in order, because they share state:

- the `>>>` examples of one page share the page's namespace (a later example uses an earlier
  name), so a page under ``docs/`` is one unit;
- a test module's module-scoped fixtures are set up once per worker that runs its tests, so a test
  module is one unit, except that tests taking a page of the site as a parameter are split by
  page: a module's tests of one page are one unit, and in tests/site the browser tests of one page
  from all modules are one unit, because they share one load of the page (`shared_page` in
  tests/site/conftest.py). The pages are spread over the workers.

xdist's own ``--dist loadgroup`` would express the first rule with marks, but with pytest 9 it
groups nothing (it renames ``item._nodeid``, which pytest 9 no longer reads:
https://github.com/pytest-dev/pytest-xdist/issues/1386), and ``--dist loadfile`` keeps a whole
module in one worker, so the browser tests of all pages ran in one worker. `WorkUnitScheduling`
is xdist's ``loadscope`` scheduler with these units, given to xdist through its public hook
``pytest_xdist_make_scheduler`` (the root conftest.py).

Heaviest first (the longest-processing-time rule), so that no long unit starts last while the
other worker idles: a browser test costs about a hundred times a unit test (it loads a page in
Chromium), and the estimate is the number of tests, weighted by that factor for tests/site.
"""

import re
from xdist.scheduler import LoadScopeScheduling

# A page of the site as a test parameter: `index.md`, `reference/data.md`, `train.ipynb`.
PAGE_PARAMETER = re.compile(r"(?:^|-)([\w/.-]*?\w\.(?:md|ipynb))(?=-|$)")
BROWSER_TESTS = "tests/site/"
BROWSER_TEST_WEIGHT = 100


def work_unit(nodeid: str) -> str:
    """The unit a test belongs to (tests of one unit run in one worker, in collection order).

    >>> work_unit("docs/affine.md::line:12,column:1")
    'docs/affine.md'
    >>> work_unit("tests/site/test_site_pages.py::test_no_serious_accessibility_violations"
    ...           "[reference/data.md-dark]")
    'tests/site/[reference/data.md]'
    >>> work_unit("tests/site/test_site_formula_visibility.py::test_the_page_does_not_scroll"
    ...           "_sideways[two-layer.md-phone-320]")
    'tests/site/[two-layer.md]'
    >>> work_unit("tests/formulacheck/test_fc_page_mutants.py::test_mutants_fail[affine.md]")
    'tests/formulacheck/test_fc_page_mutants.py[affine.md]'
    >>> work_unit("tests/backprop/test_backprop_relu.py::test_kink[0.5]")
    'tests/backprop/test_backprop_relu.py'
    """
    module, _, rest = nodeid.partition("::")
    parameters = re.search(r"\[(.*)\]$", rest)
    if not module.startswith("docs/") and parameters:
        page = PAGE_PARAMETER.search(parameters.group(1))
        if page:
            shared_by = BROWSER_TESTS if module.startswith(BROWSER_TESTS) else module
            return f"{shared_by}[{page.group(1)}]"
    return module


def estimated_cost(unit: str, tests: int) -> int:
    """Tests in the unit, a browser test counting as `BROWSER_TEST_WEIGHT` unit tests."""
    return tests * (BROWSER_TEST_WEIGHT if unit.startswith(BROWSER_TESTS) else 1)


class WorkUnitScheduling(LoadScopeScheduling):
    """xdist's loadscope scheduling over `work_unit`s, the heaviest unit handed out first."""

    def _split_scope(self, nodeid: str) -> str:
        return work_unit(nodeid)

    def _assign_work_unit(self, node) -> None:
        # super() hands out the first queued unit: put the heaviest first.
        heaviest = max(self.workqueue,
                       key=lambda unit: estimated_cost(unit, len(self.workqueue[unit])))
        self.workqueue.move_to_end(heaviest, last=False)
        super()._assign_work_unit(node)
