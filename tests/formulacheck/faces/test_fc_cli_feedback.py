"""Fast feedback from the command line: problems in page order, caret, both values, no traceback."""

import subprocess
import sys

import pytest

import formulacheck.pages.cache
import formulacheck.pages.check
from formulacheck.faces.cli import main
from formulacheck.pages.cache import ResultsCache

# Three mistakes, in this order on the page: a wrong value (line 8), an unreadable formula
# (line 12) and a wrong shape (line 16). A correct claim sits between them.
PAGE = r"""$$
X \in \mathbb{R}^{N \times D}, \quad G \in \mathbb{R}^{N \times K}
$$

Text.

$$
\sum_{i=1}^{N} X_{id} G_{ik} = \frac{1}{N} \sum_{i=1}^{N} X_{id} G_{ik}
$$

$$
Q + 1 = X
$$

$$
\underbrace{X^\top G}_{K \times D} = X^\top G
$$

$$
(X^\top G)^\top = G^\top X
$$
"""


def test_problems_come_in_page_order_with_caret_values_and_no_traceback(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(PAGE)
    run = subprocess.run([sys.executable, "-m", "formulacheck", "-q", str(page)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    out = run.stdout
    assert "Traceback" not in out + run.stderr
    heads = [line for line in out.splitlines() if line.startswith(str(page) + ":")]
    assert [head.split(":")[1:3] for head in heads[:3]] == [["8", "30"], ["12", "1"], ["16", "1"]]
    assert heads[0].endswith("does not hold") and "undeclared symbol Q" in heads[1]
    assert "the shape written is K x D but the value is 3 x 4 (D x K)" in heads[2]
    assert out.splitlines()[0] == heads[0]  # -q: the first line printed is the first problem
    first = out.split(heads[1])[0]
    assert "left = " in first and "right = " in first and "difference" in first and "tolerance" in first
    assert "\n                                 ^\n" in first  # the caret under the '=' at column 30
    assert heads[-1] == f"{page}: 5 blocks: 1 checked, 1 declared, 2 failed, 1 error"


def test_several_pages_are_reported_in_the_order_given(tmp_path, capsys):
    first, second = tmp_path / "b.md", tmp_path / "a.md"
    first.write_text("$$\n1 = 2\n$$\n")
    second.write_text("$$\n3 = 4\n$$\n")
    assert main(["-q", str(first), str(second)]) == 1
    out = capsys.readouterr().out
    assert out.index(f"{first}:2:3: failed") < out.index(f"{second}:2:3: failed")


@pytest.mark.parametrize("options", [[], ["--no-cache"]])
def test_a_bug_in_the_checker_is_one_line_with_status_3_not_a_traceback(tmp_path, capsys,
                                                                      monkeypatch, options):
    page = tmp_path / "page.md"
    page.write_text(PAGE)

    def broken(*args, **kwargs):
        raise IndexError("index 8 is out of bounds for axis 0 with size 7")

    # The checker's loop over a page's items breaks, under the cache and without it; the cache
    # starts empty (in memory only), so the page is not found checked by an earlier test.
    monkeypatch.setattr(formulacheck.pages.check, "check_items", broken)
    monkeypatch.setattr(formulacheck.pages.cache, "_shared", ResultsCache(folder=None))
    assert main(options + [str(page)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{page}: internal error in the checker (IndexError: index 8" in err


def test_a_page_checked_before_is_not_checked_again_unless_asked(tmp_path, capsys, monkeypatch):
    """The command line shares the results cache with the site's build: checking a page again
    costs a lookup, and an edited page is checked only where it changed (pages/incremental.py);
    --no-cache checks from scratch."""
    page = tmp_path / "page.md"
    page.write_text(PAGE)
    cache = ResultsCache(folder=tmp_path / "cache")
    monkeypatch.setattr(formulacheck.pages.cache, "_shared", cache)
    checked_items = []
    original = formulacheck.pages.check.check_item

    def counting(*args, **kwargs):
        checked_items.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(formulacheck.pages.check, "check_item", counting)
    assert main([str(page)]) == 1
    first = capsys.readouterr().out
    assert (cache.misses, cache.hits) == (1, 0) and checked_items
    assert list((tmp_path / "cache").glob("*.pickle")), "nothing was filed"
    checked_items.clear()
    assert main([str(page)]) == 1
    assert capsys.readouterr().out == first  # the same report, from the cache
    assert (cache.misses, cache.hits) == (1, 1) and not checked_items
    assert main(["--no-cache", str(page)]) == 1
    assert capsys.readouterr().out == first and checked_items
    assert (cache.misses, cache.hits) == (1, 1)


def test_usage_mistakes_are_status_2_with_one_clear_line(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert f"{tmp_path} is a folder; expected .md or .ipynb files" in capsys.readouterr().err
    (tmp_path / "latin1.md").write_bytes("$$\nx \\in \\mathbb{R} \xe9\n$$\n".encode("latin-1"))
    assert main([str(tmp_path / "latin1.md")]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err
