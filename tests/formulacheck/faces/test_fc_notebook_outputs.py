"""Math in a notebook cell's output is refused at the cell (faces/site/notebook_outputs.py).

The HTML comes from mkdocs-jupyter's own converter on a notebook written by nbformat with saved
outputs (not executed), so the tests read the markup the site's build reads.
"""

import logging

import nbformat
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs_jupyter.nbconvert2 import nb2html
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from formulacheck.faces.site.notebook_outputs import math_outputs, output_math_problems
from formulacheck.pages.notebook import code_cell_places

LATEX = r"$\displaystyle G = 3 Y$"


def notebook_with_outputs(path):
    """A notebook whose second code cell displays TeX and third Markdown with math."""
    printed = new_output("stream", name="stdout", text="$H = 4 Z$\n")  # text, shown as code
    latex = new_output("display_data", data={"text/latex": LATEX,
                                             "text/plain": "<IPython.core.display.Math object>"})
    prose = new_output("display_data", data={"text/markdown": "So $F = 2 X W$ here.",
                                             "text/plain": "<IPython.core.display.Markdown object>"})
    notebook = new_notebook(cells=[
        new_markdown_cell("# A notebook\n\nSome prose."),
        new_code_cell("x = 1\nprint('$H = 4 Z$')", outputs=[printed]),
        new_markdown_cell("More prose: $j \\neq k$ is a formula of the page."),  # not an output
        new_code_cell("from IPython.display import Math\ndisplay(Math('G = 3 Y'))",
                      outputs=[latex]),
        new_code_cell("from IPython.display import Markdown\n"
                      "display(Markdown('So $F = 2 X W$ here.'))", outputs=[prose]),
    ])
    nbformat.write(notebook, str(path))
    return path.read_text(encoding="utf-8")


def first_line_of(text, words):
    return next(n for n, row in enumerate(text.splitlines(), start=1) if words in row)


def test_math_in_an_output_is_refused_at_its_code_cells_first_source_line(tmp_path):
    text = notebook_with_outputs(tmp_path / "n.ipynb")
    outputs = math_outputs(nb2html(str(tmp_path / "n.ipynb"), execute=False))
    latex, markdown = first_line_of(text, "import Math"), first_line_of(text, "import Markdown")
    col = text.splitlines()[latex - 1].index('"') + 1

    # the second and third code cells; the printed `$H = 4 Z$` is text, not math
    assert outputs == [(2, "latex", LATEX, True), (3, "markdown", "F = 2 X W", False)]
    assert output_math_problems(outputs, code_cell_places(text), "docs/n.ipynb") == [
        f"docs/n.ipynb:{latex}:{col}: error: a code cell shows TeX in its output (text/latex, as "
        "IPython.display.Math writes it), which the site does not typeset and the formula checker "
        f"does not read: {LATEX}; expected the formula in a Markdown cell, or the value printed "
        "as text",
        f"docs/n.ipynb:{markdown}:{col}: error: a code cell shows math in its output "
        "(text/markdown, as IPython.display.Markdown writes it), which the formula checker does "
        "not read: F = 2 X W; expected the formula in a Markdown cell, or the value printed as "
        "text"]


def test_printed_dollars_are_text_not_math(tmp_path):
    path = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("print('$x$')", outputs=[
        new_output("stream", name="stdout", text="$x$\n")])]), str(path))
    assert math_outputs(nb2html(str(path), execute=False)) == []


def test_the_build_stops_at_the_code_cells(tmp_path, caplog):
    """The MkDocs hook runs the check on every notebook page (faces/site/plugin.py)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    text = notebook_with_outputs(tmp_path / "docs" / "n.ipynb")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Outputs\ntheme: {name: mkdocs}\nnav: [index.md, n.ipynb]\n"
        "markdown_extensions:\n  - pymdownx.arithmatex: {generic: true}\n"
        "plugins:\n  - mkdocs-jupyter: {execute: false}\n  - formulacheck\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(config)

    for words, shown in (("import Math", "TeX"), ("import Markdown", "math")):
        assert (f"docs/n.ipynb:{first_line_of(text, words)}:5: error: a code cell shows {shown} "
                "in its output") in caplog.text, caplog.text
    # the Markdown output's formula has that message only, not a second one as math from nowhere
    assert "did not read" not in caplog.text and "Traceback" not in caplog.text
