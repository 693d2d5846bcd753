r"""The math a reader sees in a built page: what MathJax typesets, found the way it finds it.

The site's client MathJax (docs/javascripts/mathjax-config.js) typesets the TeX inside elements of
the classes `arithmatex` (the pages' math, as pymdownx.arithmatex wrote it), `jp-RenderedMarkdown`
(notebook Markdown cells) and `md-ellipsis` (navigation labels), with MathJax's FindTeX
delimiters. `prerender_html` walks a page the same way; the build-time renderer
(overrides/hooks/prerender_math.py) replaces each formula with MathJax's output through it, and
the formula checker's MkDocs hook uses it (`math_in_html`) to prove that the math of every page is
exactly what the checker accounted for.
"""

import html
import re

# Set on the notebook cells this hook typeset: the client then knows a `$` left there is prose.
PRERENDERED_ATTRIBUTE = "data-math-prerendered"

# The client config's choices, as MathJax compiles them (see HTMLDomStrings and FindTeX).
PROCESS_CLASS = re.compile(r"(?:^| )(?:arithmatex|jp-RenderedMarkdown|md-ellipsis)(?: |$)")
IGNORE_CLASS = re.compile(r"(?:^| )(?:.+)(?: |$)")
SKIP_TAGS = {"script", "noscript", "style", "textarea", "pre", "code", "annotation",
             "annotation-xml"}
RAW_TEXT_TAGS = {"script", "style", "textarea", "title"}
# Elements whose content the walk skips to their end tag: raw text, and a <template>, whose content
# is not part of the document (MathJax never sees it, the reader never does).
SKIPPED_CONTENT_TAGS = RAW_TEXT_TAGS | {"template"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
             "track", "wbr"}
DELIMITERS = {"$$": ("$$", True), "\\[": ("\\]", True), "\\(": ("\\)", False), "$": ("$", False)}
# Opening delimiters longest first, environments, escaped `\$` or `\\`, and \ref / \eqref (which
# MathJax typesets even outside math: its processRefs option).
_START = re.compile(r"\$\$|\\\[|\\\(|\$|\\begin\s*\{([^}]*)\}|\\([\\$])|(\\(?:eq)?ref\s*\{[^}]*\})")
_TAG = re.compile(r"<!--.*?-->|<![^>]*>|<(/?)([A-Za-z][\w:-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>",
                  re.DOTALL)
_CLASS = re.compile(r"(?:^|\s)class\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))")
_ATTRIBUTE = re.compile(r"([^\s=/>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_HIDING_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)",
    re.IGNORECASE)


def find_math(text):
    """Split ``text`` into plain strings and ``(tex, display)`` formulas, as MathJax's FindTeX
    does with the site's delimiters, escapes (``\\$``) and environments.

    >>> find_math(r"a $x_1$ and \\[y\\] cost \\$5, {$$} $a{$}b$ \\eqref{e}")
    ['a ', ('x_1', False), ' and ', ('y', True), ' cost $5, {$$} ', ('a{$}b', False), ' ', ('\\\\eqref{e}', False)]
    >>> find_math(r"\\begin{aligned} a &= b \\end{aligned} and $ unclosed")
    [('\\\\begin{aligned} a &= b \\\\end{aligned}', True), ' and $ unclosed']
    """
    pieces, position, search_from = [], 0, 0
    while (start := _START.search(text, search_from)) is not None:
        search_from = start.end()
        opening, environment, escaped, reference = start.group(0, 1, 2, 3)
        if escaped or reference:
            found = (start.end(), escaped or (reference, False))
        elif environment is not None:
            end = _find_end(text, start.end(), rf"\\end\s*\{{{re.escape(environment)}\}}")
            found = end and (end[1], (text[start.start():end[1]], True))
        else:
            close, display = DELIMITERS[opening]
            end = _find_end(text, start.end(), re.escape(close))
            found = end and (end[1], (text[start.end():end[0]], display))
        if not found:
            continue
        position_after, piece = found
        pieces += [text[position:start.start()], piece]
        position = search_from = position_after
    pieces.append(text[position:])
    return _merge_strings(pieces)


def _find_end(text, position, close_pattern):
    """(start, end) of the closing delimiter at brace depth 0 after ``position``, or None."""
    braces = 0
    for match in re.compile(f"({close_pattern})|\\\\.|[{{}}]", re.DOTALL).finditer(text, position):
        if match.group(1) is not None and braces == 0:
            return match.start(), match.end()
        if match.group(0) == "{":
            braces += 1
        elif match.group(0) == "}" and braces:
            braces -= 1
    return None


def _merge_strings(pieces):
    merged = []
    for piece in pieces:
        if piece == "":
            continue
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def prerender_html(page_html, render, *, mark_cells=True, hidden=None):
    """Return ``page_html`` with each formula that the client would typeset replaced by
    ``render(tex, display)``; notebook cells get the ``data-math-prerendered`` attribute (unless
    ``mark_cells`` is false: the checker's hook rewrites notebook math before the renderer runs).
    Formulas inside an element the reader cannot see (`hides`) are also appended to ``hidden``,
    if given, as ``(tex, display)``.

    >>> fake = lambda tex, display: f"<mjx-container display='{display}'>{tex}</mjx-container>"
    >>> prerender_html('<head><title>\\\\(t\\\\)</title></head><body><p class="x">\\\\(a\\\\)</p>'
    ...     '<span class="arithmatex">\\\\(a &lt; b\\\\)</span><code>$c$</code></body>', fake)
    '<head><title>\\\\(t\\\\)</title></head><body><p class="x">\\\\(a\\\\)</p><span class="arithmatex"><mjx-container display=\\'False\\'>a < b</mjx-container></span><code>$c$</code></body>'
    >>> prerender_html('<body><div class="jp-RenderedMarkdown"><p>$x$ <a class="a">$y$</a></p>'
    ...     '<pre>$z$</pre></div></body>', fake)
    '<body><div class="jp-RenderedMarkdown" data-math-prerendered><p><mjx-container display=\\'False\\'>x</mjx-container> <a class="a">$y$</a></p><pre>$z$</pre></div></body>'
    """
    # Only what changes is copied piecewise: `copied` is how far the page has been copied as is.
    output, copied, position = [], 0, 0
    # Each open element: (tag name, whether MathJax visits its children, whether it searches
    # their text: not below an ignored class, or below a processed one, whether the reader is
    # kept from seeing it: `hides`); `names` mirrors the tag names, and `searching` is whether the
    # text under the innermost open element is searched.
    stack, names, searching, index = [], [], False, 0
    render_hidden = render if hidden is None else _recording(render, hidden)
    find_tag = _TAG.search
    while (tag := find_tag(page_html, index)) is not None:
        if searching and tag.start() > position:
            text = page_html[position:tag.start()]
            rendered = _render_text(text, render_hidden if stack[-1][3] else render)
            if rendered is not text:
                output += [page_html[copied:position], rendered]
                copied = tag.start()
        index = tag.end()
        name = tag.group(2)
        if name is None:  # a comment or a declaration
            position = index
            continue
        name = name.lower()
        if tag.group(1):  # a closing tag: closes the innermost open element of its name
            if names and names[-1] == name:
                del stack[-1], names[-1]
            elif name in names:
                innermost = len(names) - 1 - names[::-1].index(name)
                del stack[innermost:], names[innermost:]
            else:
                position = index
                continue
            searching = bool(stack) and stack[-1][1] and stack[-1][2]
            position = index
            continue
        attributes = tag.group(3)
        classes = _class_of(attributes) if "class" in attributes else ""
        processed = bool(classes) and PROCESS_CLASS.search(classes) is not None
        # MathJax searches from the body down (the head is never searched).
        visited, searched, hidden_here = ((True, True, False) if name == "body" else
                                          stack[-1][1:] if stack else (False, False, False))
        if name in SKIPPED_CONTENT_TAGS:
            end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(page_html, index)
            index = end.end() if end else len(page_html)
        elif not (name in VOID_TAGS or attributes.rstrip().endswith("/")):
            searched = (searched and not (classes and IGNORE_CLASS.search(classes))) or processed
            hidden_here = hidden_here or (("hidden" in attributes or "none" in attributes)
                                          and hides(attributes))
            stack.append((name, visited and (processed or name not in SKIP_TAGS), searched,
                          hidden_here))
            names.append(name)
            searching = stack[-1][1] and searched
            if mark_cells and processed and "jp-RenderedMarkdown" in classes.split():
                output += [page_html[copied:index - 1], f" {PRERENDERED_ATTRIBUTE}>"]
                copied = index
        position = index
    output.append(page_html[copied:])
    return "".join(output)


def hides(attributes):
    """Whether a start tag's attributes keep its content from the reader: the ``hidden``
    attribute (but ``hidden="until-found"``, which find-in-page opens, as a reader opens a closed
    ``<details>``), or an inline style of ``display: none`` or ``visibility: hidden``.

    >>> [hides(a) for a in (' hidden', ' style="color: red; display:none"', ' class="a hidden"',
    ...                     ' aria-hidden="true"', ' hidden="until-found"',
    ...                     " style='display: block'")]
    [True, True, False, False, False, False]
    """
    for name, *values in _ATTRIBUTE.findall(attributes):
        name, value = name.lower(), "".join(values)
        if (name == "hidden" and value.lower() != "until-found"
                or name == "style" and _HIDING_STYLE.search(value)):
            return True
    return False


def _recording(render, hidden):
    def render_and_record(tex, display):
        hidden.append((tex, display))
        return render(tex, display)
    return render_and_record


def _class_of(attributes):
    match = _CLASS.search(attributes)
    return next((group for group in match.groups() if group is not None), "") if match else ""


def _render_text(text, render):
    if "$" not in text and "\\" not in text:
        return text
    plain = html.unescape(text)
    pieces = find_math(plain)
    if pieces == [plain]:
        return text
    return "".join(html.escape(piece, quote=False) if isinstance(piece, str) else render(*piece)
                   for piece in pieces)


def math_in_html(fragment, hidden=None):
    r"""Every formula MathJax would typeset in a page's content, in order, as `(tex, display)`;
    those inside an element the reader cannot see (`hides`) also appended to ``hidden``.

    The content is placed in a container with a class, as every theme's template places it
    (Material's `<article class="md-content__inner md-typeset">`), so only the processed classes
    are searched: a `$` in a plain paragraph stays a dollar sign.

    >>> math_in_html('<p>a <span class="arithmatex">\\(x &lt; 1\\)</span> $y$</p><code>$z$</code>')
    [('x < 1', False)]
    >>> math_in_html('<div class="jp-RenderedMarkdown"><p>$x$ and $$y$$</p></div>')
    [('x', False), ('y', True)]
    >>> hidden = []
    >>> math_in_html('<div style="display: none"><p class="arithmatex">\\(y = 2\\)</p></div>'
    ...              '<p class="arithmatex">\\(z\\)</p><template><p class="arithmatex">\\(t\\)</p>'
    ...              '</template>', hidden), hidden
    ([('y = 2', False), ('z', False)], [('y = 2', False)])
    """
    found = []

    def record(tex, display):
        found.append((tex, display))
        return ""

    prerender_html(_WRAPPER + fragment + _WRAPPER_END, record, mark_cells=False, hidden=hidden)
    return found


# A page's content sits in a container with a class in every theme (Material's article).
_WRAPPER, _WRAPPER_END = '<body><div class="md-content">', "</div></body>"


def rewrite_math(fragment, render):
    """`fragment` with each formula MathJax would typeset replaced by ``render(tex, display)``
    (which returns HTML), as `math_in_html` finds them.

    >>> rewrite_math('<div class="jp-RenderedMarkdown"><p>$x$ &amp; $y$</p></div>',
    ...              lambda tex, display: f"[{tex}]")
    '<div class="jp-RenderedMarkdown"><p>[x] &amp; [y]</p></div>'
    """
    output = prerender_html(_WRAPPER + fragment + _WRAPPER_END, render, mark_cells=False)
    return output[len(_WRAPPER):len(output) - len(_WRAPPER_END)]
