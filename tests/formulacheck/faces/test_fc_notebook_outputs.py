"""TeX in a notebook cell's output is refused at the cell (faces/site/notebook_outputs.py).

The HTML comes from mkdocs-jupyter's own converter on a notebook written by nbformat with saved
outputs (not executed), so the test reads the markup the site's build reads.
"""

import logging

import nbformat
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs_jupyter.nbconvert2 import nb2html
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from formulacheck.faces.site.notebook_outputs import latex_output_problems, latex_outputs
from formulacheck.pages.notebook import code_cell_places


def notebook_with_outputs(path):
    plain = new_output("stream", name="stdout", text="$H = 4 Z$\n")  # text, shown as code
    latex = new_output("display_data", data={"text/latex": "$\\displaystyle G = 3 Y$",
                                             "text/plain": "<IPython.core.display.Math object>"})
    notebook = new_notebook(cells=[
        new_markdown_cell("# A notebook\n\nSome prose."),
        new_code_cell("x = 1\nprint('$H = 4 Z$')", outputs=[plain]),
        new_markdown_cell("More prose."),
        new_code_cell("from IPython.display import Math\ndisplay(Math('G = 3 Y'))",
                      outputs=[latex]),
    ])
    nbformat.write(notebook, str(path))
    return path.read_text(encoding="utf-8")


def test_a_latex_output_is_refused_at_its_code_cells_first_source_line(tmp_path):
    text = notebook_with_outputs(tmp_path / "n.ipynb")
    page_html = nb2html(str(tmp_path / "n.ipynb"), execute=False)
    lines = text.splitlines()
    line = next(n for n, row in enumerate(lines, start=1) if "from IPython.display" in row)
    col = lines[line - 1].index('"') + 1

    assert latex_outputs(page_html) == [(2, "$\\displaystyle G = 3 Y$")]
    assert latex_output_problems(page_html, code_cell_places(text), "docs/n.ipynb") == [
        f"docs/n.ipynb:{line}:{col}: error: a code cell shows TeX in its output (text/latex, as "
        "IPython.display.Math writes it), which the site does not typeset and the formula checker "
        "does not read: $\\displaystyle G = 3 Y$; expected the formula in a Markdown cell, or the "
        "value printed as text"]


def test_a_notebook_without_latex_outputs_has_no_problem(tmp_path):
    path = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("print('$x$')", outputs=[
        new_output("stream", name="stdout", text="$x$\n")])]), str(path))
    assert latex_output_problems(nb2html(str(path), execute=False),
                                 code_cell_places(path.read_text(encoding="utf-8")), "n.ipynb") == []


def test_the_build_stops_at_the_code_cell(tmp_path, caplog):
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

    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "from IPython" in row)
    assert f"docs/n.ipynb:{line}:5: error: a code cell shows TeX in its output" in caplog.text
    assert "Traceback" not in caplog.text
