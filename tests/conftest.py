"""Session-wide pieces: the one local server of the site under test, and where the time went.

The browser tests (tests/site) look at one strict build of the site, served on 127.0.0.1. The
build needs the server's port before it starts (Material's instant navigation compares origins,
port included), and under pytest-xdist (`make test` runs `pytest -n auto`) every worker must see
the same site at the same origin. So the process that runs the session (xdist's controller, or
pytest itself without workers) binds the server over an empty folder here, and tells the workers
its folder and origin; the first test that needs the site builds it into that folder, under a file
lock, and the others wait for it (tests/site/conftest.py: `served_site`).

Under xdist, which tests run together in one worker is decided by tests/work_units.py (its hook
is in the root conftest.py, so that a run of docs/ or src/ alone groups them too).

At the end of a run, a short table gives the summed test time per group of tests (tests/site per
file), so a slow gate shows where to look.
"""

import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "site"))
from browser_support import SITE_UNDER_TEST, LocalSiteServer  # noqa: E402


def pytest_configure(config):
    if hasattr(config, "workerinput"):  # an xdist worker: the controller serves the site
        config.stash[SITE_UNDER_TEST] = config.workerinput["site_under_test"]
        return
    folder = Path(tempfile.mkdtemp(prefix="site-under-test-"))
    server = LocalSiteServer(folder / "site").__enter__()
    config.stash[SITE_UNDER_TEST] = {"dir": str(folder / "site"), "origin": server.origin}
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    config.add_cleanup(lambda: server.__exit__(None, None, None))
    config.pluginmanager.register(TimeByGroup(), "time-by-group")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """xdist, in the controller: each worker gets the folder and origin of the one server."""
    node.workerinput["site_under_test"] = node.config.stash[SITE_UNDER_TEST]


def time_group(nodeid: str) -> str:
    """The group a test's time is counted in: tests/site per file, other folders whole.

    >>> [time_group(n) for n in ["tests/site/test_site_pages.py::test_x[a.md]",
    ...     "tests/backprop/test_backprop_relu.py::test_y", "src/backprop/relu.py::backprop.relu",
    ...     "docs/affine.md::line:12,column:1"]]
    ['tests/site/test_site_pages.py', 'tests/backprop', 'src (doctests)', 'docs (page examples)']
    """
    path = nodeid.split("::", 1)[0]
    parts = path.split("/")
    if parts[:2] == ["tests", "site"] and len(parts) > 2:
        return path
    if parts[0] == "tests" and len(parts) > 2:
        return "/".join(parts[:2])
    return {"src": "src (doctests)", "docs": "docs (page examples)"}.get(parts[0], parts[0])


class TimeByGroup:
    """Sums setup, call and teardown time per group; under xdist the controller gets every
    worker's reports, so the table covers the whole run."""

    def __init__(self):
        self.started = time.perf_counter()
        self.groups = defaultdict(lambda: [0, 0.0])  # group -> [tests, seconds]

    def pytest_runtest_logreport(self, report):
        entry = self.groups[time_group(report.nodeid)]
        entry[1] += report.duration
        if report.when == "call" or (report.when == "setup" and not report.passed):
            entry[0] += 1

    def pytest_terminal_summary(self, terminalreporter, config):
        if not self.groups:
            return
        wall = time.perf_counter() - self.started
        total = sum(seconds for _, seconds in self.groups.values()) or 1e-9
        workers = getattr(config.option, "numprocesses", None) or 0
        write = terminalreporter.write_line
        terminalreporter.section("where the time went")
        write(f"{'group':<44} {'tests':>6} {'seconds':>8} {'share':>6}")
        for name, (count, seconds) in sorted(self.groups.items(), key=lambda item: -item[1][1]):
            write(f"{name:<44} {count:>6} {seconds:>8.1f} {seconds / total:>6.0%}")
        spread = f", summed over {workers} workers" if workers else ""
        write(f"test time {total:.1f} s (setup + call + teardown{spread}); "
              f"pytest wall time {wall:.1f} s")
