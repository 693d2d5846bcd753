"""The thin faces: the command line (exit codes, caret output) and the pytest collector."""

import os
import subprocess
import sys
from pathlib import Path

from formulacheck.faces.cli import main

GOOD = r"""# A page

$$
x \in \mathbb{R}
$$

$$
(x + 1) (x - 1) = x^2 - 1
$$
"""
BAD = GOOD + r"""
$$
(x + 1)^2 = x^2 + x + 1 \label{eq:wrong}
$$

<!-- unchecked: a drawing, not a claim -->
$$
x \approx 0
$$
"""


def test_cli_exit_codes_and_output(tmp_path, capsys):
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(GOOD)
    bad.write_text(BAD)
    assert main([str(good)]) == 0
    out = capsys.readouterr().out
    assert f"{good}:8: checked (1 link x 3 trials)" in out
    assert main([str(bad), "--trials", "2"]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:12:11: failed: the claim, (x + 1)^2 = x^2 + x + 1, does not hold" in out
    assert "    (x + 1)^2 = x^2 + x + 1 \\label{eq:wrong}\n              ^" in out
    assert "left = " in out and "right = " in out
    assert "unchecked (a drawing, not a claim)" in out
    assert main([str(tmp_path / "missing.md")]) == 2
    assert main([]) == 2
    (tmp_path / "notes.txt").write_text("x")
    assert main([str(tmp_path / "notes.txt")]) == 2


def test_pytest_collects_each_block_and_reports_without_traceback(tmp_path):
    (tmp_path / "page.md").write_text(BAD)
    (tmp_path / "plain.md").write_text("No math here.\n")
    run = subprocess.run([sys.executable, "-m", "pytest", "-v", "-rs", "-p", "no:cacheprovider",
                          "--rootdir", str(tmp_path), "-c", "/dev/null", str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    out = run.stdout
    assert run.returncode == 1, out
    assert "2 passed" in out and "1 failed" in out and "1 skipped" in out
    assert "page.md::eq:wrong" in out
    assert "page.md:12:11: failed" in out
    assert "unchecked formula at line 17: a drawing, not a claim" in out
    assert "Traceback" not in out and "def runtest" not in out
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p",
                                "no:cacheprovider", "--rootdir", str(tmp_path), "-c", "/dev/null",
                                str(tmp_path / "page.md")],
                               capture_output=True, text=True, cwd=tmp_path, timeout=120).stdout
    assert "page.md::line 4" in collected and "page.md::line 8" in collected
    assert "plain.md" not in collected


def test_pytest_collect_only_checks_nothing(tmp_path):
    """Collection reads the page; only running an item checks it (once per page)."""
    (tmp_path / "page.md").write_text(BAD)
    (tmp_path / "conftest.py").write_text(
        "import formulacheck.faces.pytest_plugin as face\n"
        "def refuse(*args, **kwargs):\n"
        "    raise RuntimeError('the page was checked')\n"
        "face.cached_check_page = refuse\n")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
               "-c", "/dev/null", str(tmp_path / "page.md")]
    collected = subprocess.run(command + ["--collect-only", "-q"], capture_output=True, text=True,
                               cwd=tmp_path, timeout=120)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert "page.md::eq:wrong" in collected.stdout and "page.md::line 4" in collected.stdout
    ran = subprocess.run(command + ["-q", "-k", "wrong"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert "the page was checked" in ran.stdout  # the same stand-in is called once items run


# Counts the page checks of a pytest run: a conftest.py beside the page wraps the page loop.
COUNTING_CONFTEST = '''
import formulacheck.pages.check as check

original = check.check_items


def counting(*args, **kwargs):
    with open("checks.log", "a") as log:
        log.write("a page checked\\n")
    return original(*args, **kwargs)


check.check_items = counting
'''


def run_pytest(folder: Path, *options, cache="off"):
    """pytest on folder/page.md; `cache` is FORMULACHECK_CACHE_DIR (off: each run checks anew)."""
    environment = dict(os.environ, FORMULACHECK_CACHE_DIR=cache)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p",
                           "no:randomly", "--rootdir", str(folder), "-c", "/dev/null", *options,
                           "page.md"], capture_output=True, text=True, cwd=folder, timeout=120,
                          env=environment)


def test_collecting_reads_the_page_and_checks_nothing(tmp_path):
    (tmp_path / "page.md").write_text(BAD)
    (tmp_path / "conftest.py").write_text(COUNTING_CONFTEST)
    collected = run_pytest(tmp_path, "--collect-only", "-q")
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert "page.md::eq:wrong" in collected.stdout and "page.md::line 8" in collected.stdout
    assert not (tmp_path / "checks.log").exists(), "--collect-only evaluated the page"
    chosen = run_pytest(tmp_path, "-q", "-k", "eq:wrong")  # runs one item: the page is checked
    assert chosen.returncode == 1 and "1 failed" in chosen.stdout, chosen.stdout
    assert (tmp_path / "checks.log").read_text() == "a page checked\n"
    everything = run_pytest(tmp_path, "-q", "-rs")  # the page's items share one check
    assert "1 failed, 2 passed, 1 skipped" in everything.stdout, everything.stdout
    assert (tmp_path / "checks.log").read_text() == "a page checked\n" * 2


def test_a_page_checked_by_an_earlier_run_is_not_checked_again(tmp_path):
    """With the results cache on (the default, shared with the command line and the build), a
    second run of an unchanged page finds its result; an edited page is checked again."""
    (tmp_path / "page.md").write_text(BAD)
    (tmp_path / "conftest.py").write_text(COUNTING_CONFTEST)
    cache = str(tmp_path / "cache")
    for _ in range(2):
        ran = run_pytest(tmp_path, "-q", cache=cache)
        assert "1 failed, 2 passed, 1 skipped" in ran.stdout, ran.stdout
    assert (tmp_path / "checks.log").read_text() == "a page checked\n"
    (tmp_path / "page.md").write_text(BAD + "\nMore prose.\n")
    ran = run_pytest(tmp_path, "-q", cache=cache)
    assert "1 failed, 2 passed, 1 skipped" in ran.stdout, ran.stdout
    assert (tmp_path / "checks.log").read_text() == "a page checked\n" * 2
