"""MkDocs hook: make notebook pages typeset with the site's own MathJax 3.

nbconvert (used by mkdocs-jupyter) writes into every notebook page a MathJax v2 loader pointing at a
CDN and a `MathJax.Hub.Config` script; under Material's instant navigation that script throws a
TypeError, and the loader would ask a CDN. It also writes a Mermaid loader that imports from a CDN
when a diagram is present. This hook removes those blocks from notebook pages only; the site's
`javascripts/mathjax-config.js` typesets the notebook's Markdown cells instead.

A tool that ignores MkDocs hooks still gets a readable page, only without notebook math typeset.
"""

import re

# Each block is delimited by the comments nbconvert's own templates put around it.
_INJECTED_BLOCKS = (
    re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL),
    re.compile(
        r"<script type=\"module\">\s*document\.addEventListener\(\"DOMContentLoaded\", async \(\) => \{"
        r"\s*const diagrams = document\.querySelectorAll\(\"\.jp-Mermaid.*?"
        r"<!-- End of mermaid configuration -->",
        re.DOTALL,
    ),
)


def strip_injected_scripts(html):
    """Return notebook HTML without nbconvert's MathJax v2 and Mermaid loaders.

    >>> strip_injected_scripts('<p>a</p><!-- Load mathjax --><script src="x"></script>'
    ...                        '<!-- End of mathjax configuration --><p>b</p>')
    '<p>a</p><p>b</p>'
    """
    for block in _INJECTED_BLOCKS:
        html = block.sub("", html)
    return html


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        return strip_injected_scripts(html)
    return html
