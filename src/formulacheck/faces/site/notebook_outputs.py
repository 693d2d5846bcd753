r"""Math in the outputs of a notebook's code cells: math the reader sees that nobody checks.

The formula checker reads a notebook's Markdown cells; what a code cell prints is a value of the
run, not a formula of the page. Two kinds of output would still show math:

- `text/latex` (`IPython.display.Math(...)`, a SymPy result, any object with a `_repr_latex_`):
  nbconvert writes the TeX itself in a `jp-RenderedLatex` element, which the site does not typeset
  (it typesets the classes `html_math.PROCESS_CLASS` names), so it would reach the reader raw;
- `text/markdown` (`IPython.display.Markdown(...)`): a `jp-RenderedMarkdown` element, typeset
  like a Markdown cell, so its formulas would be shown unchecked.

The MkDocs hook refuses either at the code cell's first source line, with the formula: a formula
belongs in a Markdown cell, a value in an output as text.
"""

from __future__ import annotations

import html
import re

from .html_math import math_in_html

# nbconvert's element for an output of a MIME type (a Markdown cell is `text/markdown` too, but not
# `jp-OutputArea-output`), and mkdocs-jupyter's copy button of each code cell, numbered from 1 over
# the code cells in page order (`for="cell-3"`: the third code cell).
_MIME_ELEMENT = re.compile(r'<div\b[^>]*\bdata-mime-type="text/(latex|markdown)"[^>]*>')
_OUTPUT_CLASS = re.compile(r'\bclass="(?:[^"]* )?jp-OutputArea-output[ "]')
_DIV = re.compile(r"<(/?)div\b[^>]*>")
_CODE_CELL = re.compile(r'<clipboard-copy\b[^>]*\bfor="cell-(\d+)"')


def math_outputs(page_html: str) -> list:
    r"""`(code cell number or None, MIME subtype, tex, display)` for the math of each text/latex
    output (its whole TeX) and each text/markdown output (each formula MathJax would typeset).

    >>> math_outputs('<clipboard-copy for="cell-2"></clipboard-copy><div class="jp-RenderedLatex '
    ...              'jp-OutputArea-output" data-mime-type="text/latex">\n$\\displaystyle a &lt; b$\n</div>'
    ...              '<div class="jp-RenderedMarkdown jp-OutputArea-output" data-mime-type='
    ...              '"text/markdown"><div><p>So $x$.</p></div></div>')
    [(2, 'latex', '$\\displaystyle a < b$', True), (2, 'markdown', 'x', False)]
    """
    found = []
    for output in _MIME_ELEMENT.finditer(page_html):
        if not _OUTPUT_CLASS.search(output.group(0)):
            continue
        cells = _CODE_CELL.findall(page_html, 0, output.start())
        cell = int(cells[-1]) if cells else None
        inner = page_html[output.end():_closing_div(page_html, output.end())]
        if output.group(1) == "latex":
            found.append((cell, "latex", html.unescape(inner).strip(), True))
        else:
            wrapped = f'<div class="jp-RenderedMarkdown">{inner}</div>'
            found += [(cell, "markdown", tex, display) for tex, display in math_in_html(wrapped)]
    return found


def _closing_div(page_html: str, position: int) -> int:
    """Where the `</div>` that closes the element whose content starts at `position` begins."""
    depth = 1
    for tag in _DIV.finditer(page_html, position):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.start()
    return len(page_html)


def output_math_problems(outputs: list, code_cell_places: list, name: str) -> list:
    r"""One message per formula of `outputs` (`math_outputs`); `code_cell_places` holds `(line,
    col)` of each code cell's first source line in the notebook file
    (`pages.notebook.code_cell_places`).

    >>> output_math_problems([(1, "latex", "$G = 3 Y$", True)], [(20, 5)], "docs/n.ipynb")[0][:61]
    'docs/n.ipynb:20:5: error: a code cell shows TeX in its output'
    """
    problems = []
    for number, kind, tex, _ in outputs:
        known = number is not None and 0 < number <= len(code_cell_places)
        line, col = code_cell_places[number - 1] if known else (1, 1)
        shown = (" (text/latex, as IPython.display.Math writes it), which the site does not "
                 "typeset and the formula checker does not read" if kind == "latex" else
                 " (text/markdown, as IPython.display.Markdown writes it), which the formula "
                 "checker does not read")
        problems.append(f"{name}:{line}:{col}: error: a code cell shows "
                        f"{'TeX' if kind == 'latex' else 'math'} in its output{shown}: "
                        f"{' '.join(tex.split())}; expected the formula in a Markdown cell, or "
                        "the value printed as text")
    return problems
