"""Notebooks: the display math of Markdown cells, one scope per notebook, locations in the JSON."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import formulacheck
from formulacheck.faces.cli import main
from formulacheck.pages.notebook import Notebook, NotebookError
from formulacheck.pages.markdown import RawBlock

TRAIN = Path(__file__).resolve().parents[3] / "docs" / "train.ipynb"


def markdown(*lines: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": [l + "\n" for l in lines[:-1]] + [lines[-1]]}


def code(*lines: str) -> dict:
    return {"cell_type": "code", "execution_count": 1, "metadata": {},
            "outputs": [{"name": "stdout", "output_type": "stream", "text": ["$$\n", "Q = 1\n", "$$\n"]}],
            "source": [l + "\n" for l in lines[:-1]] + [lines[-1]]}


def notebook_text(*cells: dict, ensure_ascii: bool = False, indent=1) -> str:
    """A notebook written the way Jupyter and nbformat write one."""
    nb = {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=indent, ensure_ascii=ensure_ascii, sort_keys=True) + "\n"


DECLARE = markdown("The data:", "", "$$", r"X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}", "$$")
CODE = code('print("$$")', "$$", "F = X W", "$$")
CLAIM = markdown("Scores:", "", "$$", r"F \coloneqq X W", "$$", "", "and", "", "$$",
                 r"\underbrace{F^\top}_{K \times N} = W^\top X^\top", "$$")


def json_line_of(text: str, fragment: str) -> int:
    """The 1-based line of the JSON file that holds `fragment` as JSON writes it."""
    encoded = json.dumps(fragment, ensure_ascii=False)[1:-1]
    return next(n for n, line in enumerate(text.splitlines(), 1) if encoded in line)


def test_markdown_cells_are_one_page_in_one_scope_and_code_cells_are_not_read(tmp_path):
    text = notebook_text(DECLARE, CODE, CLAIM)
    path = tmp_path / "nb.ipynb"
    path.write_text(text, encoding="utf-8")
    result = formulacheck.check_page(path)
    assert [b.status for b in result.blocks] == ["declared", "defined", "checked"]
    assert result.blocks[-1].links == 2  # the claim and its shape annotation
    # each block's line is the JSON line of its first source line
    assert [b.line for b in result.blocks] == [
        json_line_of(text, r"X \in \mathbb{R}^{N \times D}"),
        json_line_of(text, r"F \coloneqq X W"),
        json_line_of(text, r"\underbrace{F^\top}_{K \times N} = W^\top X^\top")]
    # the source is the TeX as written, not the padded stand-in
    assert result.blocks[-1].source == r"\underbrace{F^\top}_{K \times N} = W^\top X^\top"


@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_an_error_points_at_the_json_line_and_column_of_the_token(tmp_path, ensure_ascii):
    # backslashes, quotes and a non-ASCII letter before the mistake all change the JSON columns
    wrong = markdown("$$", r'\underbrace{X W}_{\text{"é" scores}} = \frac{X W}{1} + Q', "$$")
    text = notebook_text(DECLARE, wrong, ensure_ascii=ensure_ascii)
    path = tmp_path / "nb.ipynb"
    path.write_text(text, encoding="utf-8")
    block = formulacheck.check_page(path).blocks[-1]
    assert block.status == "error"
    line = json_line_of(text, r"\underbrace{X W}") if not ensure_ascii else next(
        n for n, l in enumerate(text.splitlines(), 1) if "underbrace" in l)
    json_line = text.splitlines()[line - 1]
    column = json_line.index("+ Q") + 3  # 1-based column of Q
    assert block.message.startswith(f"{path}:{line}:{column}: error: undeclared symbol Q")
    assert f"    {json_line}\n    {' ' * (column - 1)}^" in block.message  # caret under Q
    assert "formula:\n    " + wrong["source"][1].rstrip("\n") in block.message


def test_a_line_break_and_a_command_after_it_keep_their_meaning(tmp_path):
    aligned = markdown("$$", r"\begin{aligned}", r"W^\top X^\top &= (X W)^\top \\", r"&= \left( X W \right)^\top",
                       r"\end{aligned}", "$$")
    path = tmp_path / "nb.ipynb"
    path.write_text(notebook_text(DECLARE, aligned), encoding="utf-8")
    block = formulacheck.check_page(path).blocks[-1]
    assert (block.status, block.links) == ("checked", 2), block.message


def test_each_cell_is_read_on_its_own(tmp_path):
    open_fence = markdown("```python", "x = 1")
    open_math = markdown("$$", "X = X")
    path = tmp_path / "nb.ipynb"
    path.write_text(notebook_text(DECLARE, open_fence, open_math, CLAIM), encoding="utf-8")
    statuses = [b.status for b in formulacheck.check_page(path).blocks]
    assert statuses == ["declared", "error", "defined", "checked"]


def test_a_code_marker_with_quotes_is_read_from_the_notebook(tmp_path):
    tied = markdown("$$", r"b \in \mathbb{R}^{K}", "$$", "",
                    '<!-- code: fc_fake_impl.affine_forward(X, W, b)[0] -->', "$$",
                    r"F \coloneqq X W + \mathbf{1}_N b^\top", "$$", "",
                    '<!-- code: builtins.dict({"F": F})["F"] -->', "$$", r"G \coloneqq F", "$$")
    path = tmp_path / "nb.ipynb"
    path.write_text(notebook_text(DECLARE, tied), encoding="utf-8")
    blocks = formulacheck.check_page(path).blocks
    assert [b.status for b in blocks] == ["declared", "declared", "checked", "checked"], blocks[-1].message
    assert blocks[-1].code == 'builtins.dict({"F": F})["F"]'


@pytest.mark.parametrize("text, expected", [
    ("{not json", "not valid JSON"),
    ('{"cells": 3}', "no list of cells"),
    (notebook_text(DECLARE, indent=None), "cannot find each cell on its own lines"),
    (notebook_text(DECLARE).replace('"source": [', '"source" : ['), "cannot find the source of cell 1"),
    (notebook_text({"cell_type": "markdown", "metadata": {}, "source": "$$\nX = X\n$$"}),
     "does not keep one source line per JSON line"),
])
def test_a_notebook_the_checker_cannot_locate_is_refused_with_the_reason(text, expected):
    with pytest.raises(NotebookError, match=expected):
        Notebook(text, "bad.ipynb")


def test_check_page_accepts_md_and_ipynb_only(tmp_path):
    other = tmp_path / "page.txt"
    other.write_text("$$\nx = x\n$$\n")
    with pytest.raises(ValueError, match=r"expected a Markdown \(\.md\) or notebook \(\.ipynb\) file"):
        formulacheck.check_page(other)


def test_cli_checks_notebooks_and_refuses_unreadable_ones(tmp_path, capsys):
    good, bad, minified = tmp_path / "good.ipynb", tmp_path / "bad.ipynb", tmp_path / "min.ipynb"
    good.write_text(notebook_text(DECLARE, CLAIM))
    bad.write_text(notebook_text(DECLARE, markdown("$$", "X W = W X", "$$")))
    minified.write_text(notebook_text(DECLARE, indent=None))
    assert main([str(good)]) == 0
    assert f"{good}: 3 blocks: 1 checked, 1 declared, 1 defined" in capsys.readouterr().out
    assert main([str(bad)]) == 1
    assert f"{bad}:{json_line_of(bad.read_text(), 'X W = W X')}:" in capsys.readouterr().out
    assert main([str(minified)]) == 2
    assert "one source line per JSON line" in capsys.readouterr().err


def test_pytest_collects_notebook_blocks_and_reports_unreadable_notebooks(tmp_path):
    (tmp_path / "nb.ipynb").write_text(notebook_text(DECLARE, CLAIM))
    (tmp_path / "broken.ipynb").write_text("{not json")
    (tmp_path / "no_math.ipynb").write_text(notebook_text(markdown("Words only.")))
    run = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider",
                          "--continue-on-collection-errors",
                          "--rootdir", str(tmp_path), "-c", "/dev/null", str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    out = run.stdout
    assert "3 passed" in out and "1 error" in out, out
    assert "nb.ipynb::line " in out and "no_math.ipynb" not in out
    assert "broken.ipynb" in out and "not valid JSON" in out


def test_every_display_formula_of_the_site_notebook_is_checked():
    result = formulacheck.check_page(TRAIN)
    statuses = [b.status for b in result.blocks]
    assert "unchecked" not in statuses and result.ok, [b.message for b in result.blocks if not b.ok]
    assert statuses.count("checked") >= 3
    tied = [b.code for b in result.blocks if b.code]
    assert any('[1]["W"]' in c for c in tied) and any('[1]["b"]' in c for c in tied)
    assert not any("leftarrow" in b.source for b in result.blocks)  # an update is not an equation


@pytest.mark.parametrize("right, wrong", [
    (r"\frac{\partial L}{\partial W} = X^\top G + \lambda W", r"\frac{\partial L}{\partial W} = X^\top G"),
    (r"\frac{\partial L}{\partial b} = G^\top \mathbf{1}_N", r"\frac{\partial L}{\partial b} = G \mathbf{1}_K"),
    (r"L \coloneqq -\frac{1}{N} \sum_{i=1}^{N} \log P_{i y_i} + \frac{\lambda}{2} \|W\|_F^2",
     r"L \coloneqq -\frac{1}{N} \sum_{i=1}^{N} \log P_{i y_i} + \lambda \|W\|_F^2"),
    (r"G \coloneqq \frac{1}{N} (P - Y)", r"G \coloneqq \frac{1}{N} (Y - P)"),
])
def test_a_wrong_formula_in_the_site_notebook_fails(tmp_path, right, wrong):
    text = TRAIN.read_text(encoding="utf-8")
    encoded = json.dumps(right + "\n", ensure_ascii=False)[1:-1]  # the display line, not inline math
    assert text.count(encoded) == 1
    path = tmp_path / "train.ipynb"
    path.write_text(text.replace(encoded, json.dumps(wrong + "\n", ensure_ascii=False)[1:-1]),
                    encoding="utf-8")
    statuses = [b.status for b in formulacheck.check_page(path).blocks]
    # a wrong claim fails itself (or its code: tie); a wrong definition fails the claims using it
    assert "failed" in statuses
    assert set(statuses) <= {"checked", "declared", "defined", "failed"}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet='ab\\"{}é\t $_^&😀', max_size=12), min_size=1, max_size=4),
       st.booleans())
def test_the_stand_in_page_keeps_every_line_and_every_unescaped_column(lines, ensure_ascii):
    text = notebook_text(markdown(*lines), ensure_ascii=ensure_ascii)
    notebook = Notebook(text, "p.ipynb")
    stand_in = notebook.cells[0].split("\n")
    json_lines = text.splitlines()
    for row, (padded, original) in enumerate(zip(stand_in, json_lines)):
        if padded:
            assert notebook.clean(RawBlock(row + 1, 1, padded)) == json.loads(
                original.strip().rstrip(",")).rstrip("\n")
            for column, char in enumerate(padded):
                written_as_is = char not in ' \\"\t' and (char.isascii() or not ensure_ascii)
                if written_as_is:  # (an escaped character sits inside its escape)
                    assert original[column] == char
