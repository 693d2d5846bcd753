"""Fast feedback from the command line: problems in page order, caret, both values, no traceback."""

import subprocess
import sys

import formulacheck.pages.check
from formulacheck.faces.cli import main

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


def test_a_bug_in_the_checker_is_one_line_with_status_3_not_a_traceback(tmp_path, capsys,
                                                                      monkeypatch):
    page = tmp_path / "page.md"
    page.write_text(PAGE)

    def broken(*args, **kwargs):
        raise IndexError("index 8 is out of bounds for axis 0 with size 7")

    monkeypatch.setattr(formulacheck.pages.check, "check_page", broken)
    assert main([str(page)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{page}: internal error in the checker (IndexError: index 8" in err


def test_usage_mistakes_are_status_2_with_one_clear_line(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert f"{tmp_path} is a folder; expected .md or .ipynb files" in capsys.readouterr().err
    (tmp_path / "latin1.md").write_bytes("$$\nx \\in \\mathbb{R} \xe9\n$$\n".encode("latin-1"))
    assert main([str(tmp_path / "latin1.md")]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err
