"""A Python-Markdown extension that turns the mark placeholders into the marks' HTML elements.

`site_marks.insert_placeholders` puts a placeholder paragraph above each display block; here, in
the element tree, each placeholder and the formula after it (pymdownx.arithmatex's
`<div class="arithmatex">`) are wrapped in `<div class="fc-equation" id="ANCHOR">` with the mark
below the formula. The ids are real elements of the tree before MkDocs collects a page's anchors
(its treeprocessor runs at priority 5, this one at 6), so `--strict` validates links to them.
Markup (every string is set as element text, so the serializer escapes it):

    <div class="fc-equation fc-equation--checked" id="eq-3">
      <div class="arithmatex">\\[ ... \\]</div>
      <p class="fc-mark fc-mark--checked" data-search-exclude="">
        <span class="fc-visually-hidden">Formula checker: </span>checked: 3 links × 3 trials
        <a class="fc-permalink" href="#eq-3">#eq-3</a></p>
    </div>

A failed block's mark is a `<div>` holding a `<details>` with the checker's whole message.
"""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .evidence_html import display_mark, inline_sign, mark_math
from ...pages.results import Status


class MarkRegistry:
    """Placeholder token -> `Mark`, for one build. Tokens carry a random part, so page text can
    never be mistaken for one.

    >>> from formulacheck.faces.site.marks import Mark
    >>> registry = MarkRegistry()
    >>> token = registry.add(Mark("eq-1", "checked", "checked: 1 link × 3 trials"))
    >>> registry.take(token).anchor, registry.take(token)
    ('eq-1', None)
    """

    def __init__(self):
        self.prefix = f"fcmark{secrets.token_hex(6)}x"
        self._marks: dict = {}
        # The inline marks of the page being converted, in page order: (TeX, whitespace
        # collapsed, Mark); set by the hook before each page, taken by the treeprocessor.
        self.inline: list = []
        # The TeX of the math the marks of the page being converted hold (names, links' sides):
        # the hook accounts it as the checker's own output.
        self.mark_math: list = []

    def add(self, mark) -> str:
        token = f"{self.prefix}{len(self._marks) + 1}"
        self._marks[token] = mark
        return token

    def take(self, token: str):
        return self._marks.pop(token, None)


def mark_element(mark) -> etree.Element:
    """The mark's element: a small paragraph, or a `<div>` with `<details>` for a failure.

    >>> from formulacheck.faces.site.marks import Mark
    >>> etree.tostring(mark_element(Mark("eq-2", "unchecked", "not checked: a picture")),
    ...                encoding="unicode")  # doctest: +NORMALIZE_WHITESPACE
    '<p class="fc-mark fc-mark--unchecked" data-search-exclude=""><span
    class="fc-visually-hidden">Formula checker: </span>not checked: a picture <a
    class="fc-permalink" href="#eq-2">#eq-2</a></p>'
    """
    failed = mark.status in (Status.FAILED, Status.ERROR)
    if not failed and mark.result is not None:
        return display_mark(mark, mark.result)
    element = etree.Element("div" if failed else "p",
                            {"class": f"fc-mark fc-mark--{mark.status}", "data-search-exclude": ""})
    hidden = etree.SubElement(element, "span", {"class": "fc-visually-hidden"})
    hidden.text = "Formula checker: "
    if failed:
        details = etree.SubElement(element, "details", {"class": "fc-problem", "open": "open"})
        summary = etree.SubElement(details, "summary")
        summary.text = mark.text
        message = etree.SubElement(details, "pre")
        message.text = mark.detail
        last = details
    else:
        hidden.tail = mark.text + " "
        last = None
    link = etree.SubElement(element, "a", {"class": "fc-permalink", "href": f"#{mark.anchor}"})
    link.text = f"#{mark.anchor}"
    if last is not None:
        last.tail = " "
    return element


def _is_display_math(element) -> bool:
    return element.tag == "div" and "arithmatex" in element.get("class", "").split()


class MarksTreeprocessor(Treeprocessor):
    """Replaces each placeholder paragraph by the mark, wrapping the formula that follows it."""

    def __init__(self, md, registry: MarkRegistry):
        super().__init__(md)
        self.registry = registry

    def run(self, root):
        self.mark_inline(root)
        found = [(parent, child) for parent in root.iter() for child in parent
                 if child.tag == "p" and len(child) == 0 and child.text
                 and child.text.strip().startswith(self.registry.prefix)]
        for parent, placeholder in found:
            mark = self.registry.take(placeholder.text.strip())
            if mark is None:
                continue
            children = list(parent)
            index = children.index(placeholder)
            following = children[index + 1] if index + 1 < len(children) else None
            element = mark_element(mark)
            self.registry.mark_math += mark_math(element)
            parent.remove(placeholder)
            if following is not None and _is_display_math(following):
                wrapper = etree.Element("div", {"class": f"fc-equation fc-equation--{mark.status}",
                                                "id": mark.anchor})
                wrapper.tail, following.tail = following.tail, "\n"
                parent.remove(following)
                wrapper.append(following)
                wrapper.append(element)
                parent.insert(index, wrapper)
            else:
                # Not a formula block after all (an unusual container): the mark keeps the anchor.
                element.set("id", mark.anchor)
                element.tail = placeholder.tail
                parent.insert(index, element)


    def mark_inline(self, root) -> None:
        """Give each inline formula (`<span class="arithmatex">`) the mark of its span, matched by
        its TeX in page order: a class (`fc-inline--checked`, ...) and the mark's text as a
        title; a failed or unreadable one also gets its message, in red, right after it."""
        pending = self.registry.inline
        failed, signs = [], []
        for element in root.iter("span"):
            if "arithmatex" not in element.get("class", "").split():
                continue
            tex = (element.text or "").strip().removeprefix("\\(").removesuffix("\\)")
            at = next((k for k, (known, _) in enumerate(pending) if known == " ".join(tex.split())),
                      None)
            if at is None:
                continue  # the hook's check of the page's HTML reports a formula nobody read
            mark = pending.pop(at)[1]
            element.set("class", f"arithmatex fc-inline fc-inline--{mark.status}")
            element.set("title", f"Formula checker: {mark.text}")
            if mark.status in (Status.FAILED, Status.ERROR):
                failed.append((element, mark))
            elif mark.status == Status.CHECKED and mark.result is not None:
                signs.append((element, mark))
        parents = {child: parent for parent in root.iter() for child in parent}
        for element, mark in signs:
            self.add_inline_sign(element, mark, parents)
        for element, mark in failed:
            parent = parents[element]
            problem = etree.Element("span", {"class": "fc-inline-problem", "role": "note"})
            problem.text = f" {mark.text} (line {mark.line})"
            problem.tail, element.tail = element.tail, None
            parent.insert(list(parent).index(element) + 1, problem)


def add_inline_sign(self, element, mark, parents) -> None:
    """After a checked inline claim: a `✓` button; its popover (the evidence) goes after the
    paragraph (or as the last child of a list item or cell), where a block may stand."""
    block = mark.result
    ident = f"fc-evidence-{block.line}-{block.start_col}"
    button, popover = inline_sign(block, ident)
    parent = parents[element]
    button.tail, element.tail = element.tail, None
    parent.insert(list(parent).index(element) + 1, button)
    holder = parent
    while holder in parents and holder.tag not in ("p", "li", "td", "th", "dd", "h1", "h2", "h3",
                                                   "h4", "h5", "h6"):
        holder = parents[holder]
    if holder.tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6") and holder in parents:
        outer = parents[holder]
        popover.tail, holder.tail = holder.tail, "\n"
        outer.insert(list(outer).index(holder) + 1, popover)
    else:
        holder.append(popover)
    self.registry.mark_math += mark_math(popover)


MarksTreeprocessor.add_inline_sign = add_inline_sign


class MarksExtension(Extension):
    """Registers `MarksTreeprocessor` after attr_list (8) and before MkDocs' anchors (5)."""

    def __init__(self, registry: MarkRegistry):
        super().__init__()
        self.registry = registry

    def extendMarkdown(self, md):
        md.treeprocessors.register(MarksTreeprocessor(md, self.registry), "formulacheck_marks", 6)
