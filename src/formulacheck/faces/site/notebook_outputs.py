r"""TeX in the outputs of a notebook's code cells: math the reader sees that nobody typesets.

A code cell that displays `IPython.display.Math(...)` (or a SymPy result, or any object with a
`_repr_latex_`) leaves a `text/latex` output, which nbconvert writes as the TeX itself in a
`jp-RenderedLatex` element. The site typesets only the math of the pages' text (the classes
`html_math.PROCESS_CLASS` names), and the formula checker reads only a notebook's Markdown cells,
so that TeX would reach the reader raw and unchecked. The MkDocs hook refuses it at the code
cell's first source line: a formula belongs in a Markdown cell, a value in an output as text.
"""

from __future__ import annotations

import html
import re

# nbconvert's element for a text/latex output, and mkdocs-jupyter's copy button of each code cell,
# numbered from 1 over the code cells in page order (`for="cell-3"`: the third code cell).
_LATEX_OUTPUT = re.compile(r'<div\b[^>]*\bdata-mime-type="text/latex"[^>]*>(.*?)</div>', re.DOTALL)
_CODE_CELL = re.compile(r'<clipboard-copy\b[^>]*\bfor="cell-(\d+)"')


def latex_outputs(page_html: str) -> list:
    r"""`(code cell number or None, tex)` for each text/latex output of the page, in order.

    >>> latex_outputs('<clipboard-copy for="cell-2"></clipboard-copy><div class="jp-RenderedLatex" '
    ...               'data-mime-type="text/latex">\n$\\displaystyle a &lt; b$\n</div>')
    [(2, '$\\displaystyle a < b$')]
    """
    found = []
    for output in _LATEX_OUTPUT.finditer(page_html):
        cells = _CODE_CELL.findall(page_html, 0, output.start())
        found.append((int(cells[-1]) if cells else None, html.unescape(output.group(1)).strip()))
    return found


def latex_output_problems(page_html: str, code_cell_places: list, name: str) -> list:
    r"""One message per text/latex output; `code_cell_places` holds `(line, col)` of each code
    cell's first source line in the notebook file (`pages.notebook.code_cell_places`).

    >>> latex_output_problems('<clipboard-copy for="cell-1"></clipboard-copy>'
    ...     '<div data-mime-type="text/latex">$G = 3 Y$</div>', [(20, 5)], "docs/n.ipynb")[0][:61]
    'docs/n.ipynb:20:5: error: a code cell shows TeX in its output'
    """
    problems = []
    for number, tex in latex_outputs(page_html):
        known = number is not None and 0 < number <= len(code_cell_places)
        line, col = code_cell_places[number - 1] if known else (1, 1)
        problems.append(f"{name}:{line}:{col}: error: a code cell shows TeX in its output "
                        f"(text/latex, as IPython.display.Math writes it), which the site does not "
                        f"typeset and the formula checker does not read: {' '.join(tex.split())}; "
                        "expected the formula in a Markdown cell, or the value printed as text")
    return problems
