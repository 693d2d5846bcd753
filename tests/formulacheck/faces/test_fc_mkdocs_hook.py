"""The MkDocs hook on small throwaway sites: marks and anchors, the refused build, the serve mode,
cross-page equation links under --strict, and the generated coverage page.

Each site is a temp folder with a minimal mkdocs.yml (built-in theme, arithmatex, the hook's
`plugins: [formulacheck]`). Expected values come from how each page is written: a chain
`A = B = C` has 2 links, an unlabelled block's anchor is `content_anchor` of its own TeX, a wrong
claim on line 14 is reported at 14.
"""

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from formulacheck.faces.site.marks import content_anchor

REPO = Path(__file__).resolve().parents[3]

DECLARE = "$$\nX \\in \\mathbb{R}^{N \\times D}, \\quad W \\in \\mathbb{R}^{D \\times K}\n$$\n"
DEFINE = "$$\nF \\coloneqq X W\n$$\n"
CHAIN = "$$\n(X W)^\\top = W^\\top X^\\top = F^\\top \\label{eq:transpose}\n$$\n"
WRONG = "$$\nF = 2 X W\n$$\n"


def anchor(block: str) -> str:
    """The anchor of an unlabelled `$$` block written as above."""
    return content_anchor(block.strip().strip("$").strip())


def make_site(tmp_path: Path, pages: dict, *, hooks=True, strict_anchors=True,
              extensions=()) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir(parents=True)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    config = [
        "site_name: Hook test",
        "theme: {name: mkdocs}",
        "markdown_extensions:",
        "  - admonition", "  - attr_list", "  - md_in_html", "  - pymdownx.superfences",
        "  - footnotes", "  - tables",
        "  - pymdownx.arithmatex: {generic: true}",
        "  - pymdownx.tabbed: {alternate_style: true}",
        *(f"  - {extension}" for extension in extensions),
        "validation: {links: {anchors: %s}}" % ("warn" if strict_anchors else "info"),
    ]
    if hooks:
        config += ["plugins:", "  - formulacheck"]
    (tmp_path / "mkdocs.yml").write_text("\n".join(config) + "\n", encoding="utf-8")
    return tmp_path


def build_site(site: Path, *, command="build", strict=True):
    """Build in this process as `mkdocs <command>` would (on_startup first); return the site dir."""
    config = load_config(str(site / "mkdocs.yml"), strict=strict, site_dir=str(site / "site"))
    config.plugins.on_startup(command=command, dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_startup(command="build", dirty=False)
    return site / "site"


def html_of(site_dir: Path, page: str) -> str:
    folder = "" if page == "index" else f"{page}/"
    return (site_dir / folder / "index.html").read_text(encoding="utf-8")


def equations(html: str) -> list:
    """(id, status, mark text) of each formula wrapper, in page order."""
    found = []
    for wrapper in BeautifulSoup(html, "html.parser").select("div.fc-equation"):
        status = next(c for c in wrapper["class"] if c.startswith("fc-equation--")).split("--")[1]
        math, mark = [child for child in wrapper.children if getattr(child, "name", None)]
        assert "arithmatex" in math["class"] and "fc-mark" in mark["class"]
        summary = mark.find("summary")  # a failure's mark is a paragraph with its message
        shown = mark if summary is None else summary
        line = "".join(t for t in shown.find_all(string=True)
                       if "fc-sign" not in (t.parent.get("class") or []))
        found.append((wrapper["id"], status, line, mark.get_text()))
    return found


def test_each_formula_gets_its_mark_and_anchor_from_the_result(tmp_path):
    page = "# Page\n\n" + DECLARE + "\n" + DEFINE + "\nText.\n\n" + CHAIN + (
        "\n<!-- unchecked: a sketch of the idea -->\n$$\nX \\approx 0\n$$\n")
    site_dir = build_site(make_site(tmp_path, {"index.md": page}))

    found = equations(html_of(site_dir, "index"))

    assert [(i, s) for i, s, _, _ in found] == [(anchor(DECLARE), "declared"),
        (anchor(DEFINE), "defined"), ("eq-transpose", "checked"), (anchor("$$\nX \\approx 0\n$$"), "unchecked")]
    # the closed mark: one line, symbols named in math
    assert found[0][2] == "Formula checker: declares \\(X\\), \\(W\\)"
    assert found[1][2] == "Formula checker: defines \\(F\\)"
    assert found[2][2] == "Formula checker: checked: 2 links"
    assert found[3][2] == "Formula checker: not checked: a sketch of the idea"
    # opened: the evidence of the run
    assert "Checked on 3 random instances" in found[2][3] and "over 3 trials" in found[2][3]
    assert all(text.endswith(f"#{anchor}") for anchor, _, _, text in found)  # the permalink
    assert html_of(site_dir, "index").count('class="arithmatex"') == 4


def test_formulas_inside_containers_keep_them_and_get_marks(tmp_path):
    indented = DEFINE.replace("\n", "\n    ").rstrip()
    page = ("# Page\n\n" + DECLARE
            + '\n<div class="grid" markdown>\n\n<!-- code: numpy.dot(X, W) -->\n'
            + DEFINE.replace("F ", "G ") + "\n```python\nG = X @ W\n```\n\n</div>\n\n"
            + '!!! note "In a note"\n\n    ' + indented + "\n\n"
            + '=== "A tab"\n\n    ' + indented.replace("F ", "H ") + "\n\n"
            + "1. In a list:\n\n    " + indented.replace("F ", "M ") + "\n")
    site_dir = build_site(make_site(tmp_path, {"index.md": page}))
    html = html_of(site_dir, "index")

    ids = [anchor(DECLARE)] + [content_anchor(name + " \\coloneqq X W") for name in "GFHM"]
    assert [found[0] for found in equations(html)] == ids
    assert html.count('class="fc-mark ') == 5
    grid = html[html.index('<div class="grid">'):]
    assert grid.index(f'id="{ids[1]}"') < grid.index('<div class="highlight">')  # mark in its cell
    assert "against the reference code <code>numpy.dot(X, W)</code>" in html
    soup = BeautifulSoup(html, "html.parser")
    for container, wanted in zip(("div.grid", "div.admonition", "div.tabbed-block",
                                  "ol:not(.fc-links) > li"), ids[1:]):
        assert soup.select_one(container).find(id=wanted) is not None, container


def test_a_wrong_formula_stops_the_build_with_the_checker_message(tmp_path):
    page = "# Page\n\n" + DECLARE + "\n" + DEFINE + "\nA mistake:\n\n" + WRONG
    site = make_site(tmp_path, {"index.md": page})

    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                          str(site / "mkdocs.yml")], capture_output=True, text=True, cwd=site,
                         timeout=120)

    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert "docs/index.md:14:3: failed: the claim, F = 2 X W, does not hold" in output
    assert "    F = 2 X W\n      ^" in output  # the line and a caret under the =
    assert "Traceback" not in output
    assert not (site / "site" / "index.html").exists()


def test_serve_shows_the_failure_in_place_and_warns(tmp_path, caplog):
    page = "# Page\n\n" + DECLARE + "\n" + DEFINE + "\nA mistake:\n\n" + WRONG
    site = make_site(tmp_path, {"index.md": page})

    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.formulacheck"):
        site_dir = build_site(site, command="serve", strict=False)

    found = equations(html_of(site_dir, "index"))
    assert [(i, s) for i, s, _, _ in found][-1] == (anchor(WRONG), "failed")
    assert "FAILED: the claim, F = 2 X W, does not hold" in found[-1][2]
    assert "docs/index.md:14:3" in found[-1][3]  # the whole message, in the <details>
    assert any("docs/index.md:14:3: failed" in r.getMessage() for r in caplog.records)
    with pytest.raises(Abort):  # and the same site still refuses a real build
        build_site(site)


def test_front_matter_keeps_the_file_line_numbers(tmp_path):
    page = "---\ntitle: With meta\n---\n\n# Page\n\n" + DECLARE + "\n" + DEFINE + "\n" + WRONG
    site = make_site(tmp_path, {"index.md": page})

    with pytest.raises(Abort):
        build_site(site)
    site_dir = build_site(site, command="serve", strict=False)
    assert "docs/index.md:16:3" in equations(html_of(site_dir, "index"))[-1][3]


def test_cross_page_equation_links_are_validated_by_strict(tmp_path, caplog):
    pages = {"index.md": "# A\n\n" + DECLARE + "\n" + DEFINE + "\n" + CHAIN,
             "other.md": f"# B\n\nSee [the chain](index.md#eq-transpose), [F](index.md#{anchor(DEFINE)}).\n"}
    site_dir = build_site(make_site(tmp_path / "good", pages))
    assert 'href="../#eq-transpose"' in html_of(site_dir, "other")

    pages["other.md"] = "# B\n\nSee [the transpose](index.md#eq-transposed).\n"
    with pytest.raises(Abort, match="1 warnings in strict mode"):
        build_site(make_site(tmp_path / "broken", pages))
    assert "does not contain an anchor '#eq-transposed'" in caplog.text


def test_a_label_used_twice_on_a_page_stops_the_build(tmp_path):
    page = "# A\n\n" + DECLARE + "\n" + DEFINE + "\n" + CHAIN + "\n" + CHAIN.replace("F^", "(XW)^")
    with pytest.raises(Abort):
        build_site(make_site(tmp_path, {"index.md": page}))


COVERAGE_STUB = "# Formula coverage\n\nGenerated by MkDocs; or run `formulacheck docs/*.md`.\n"


def test_coverage_page_counts_blocks_and_links_dependencies(tmp_path):
    first = "# First\n\n" + DECLARE + "\n" + DEFINE + "\n" + CHAIN
    second = ("# Second\n\n" + DECLARE + "\n" + DEFINE + "\n$$\nG \\coloneqq F^\\top F\n$$\n\n"
              "$$\nG^\\top = G\n$$\n\n<!-- unchecked: prose -->\n$$\nF \\approx 0\n$$\n")
    pages = {"index.md": first, "second.md": second, "coverage.md": COVERAGE_STUB}
    site_dir = build_site(make_site(tmp_path, pages))
    html = html_of(site_dir, "coverage")
    summary = BeautifulSoup(html, "html.parser").find("table")
    table = {cells[0]: cells[1:] for cells in
             ([td.get_text().strip() for td in row("td")] for row in summary("tr")) if cells}

    # formulas, checked, declared, defined, unchecked, failed, links
    assert table["First"] == ["3", "1", "1", "1", "0", "0", "2"]
    assert table["Second"] == ["5", "1", "1", "2", "1", "0", "1"]
    assert table["All pages"] == ["8", "2", "2", "3", "1", "0", "3"]
    # the claim G^T = G (second.md, block 4) uses G, defined in block 3
    # uses: links to the earlier results, each with the names it gives, in math
    g_anchor, f_anchor = content_anchor("G \\coloneqq F^\\top F"), anchor(DEFINE)
    assert (f'<a href="../second/#{g_anchor}">#{g_anchor}</a> '
            '(<span class="arithmatex">\\(G\\)</span>)') in html
    assert (f'<a href="../#{f_anchor}">#{f_anchor}</a> '
            '(<span class="arithmatex">\\(F\\)</span>)') in html  # the chain on index.md uses F
    assert "formulacheck docs/*.md" not in html  # the stub was replaced


def test_without_the_hook_the_site_builds_plain_with_the_stub(tmp_path):
    pages = {"index.md": "# A\n\n" + DECLARE + "\n" + WRONG.replace("F", "X W"),
             "coverage.md": COVERAGE_STUB}
    site_dir = build_site(make_site(tmp_path, pages, hooks=False))

    assert "fc-mark" not in html_of(site_dir, "index")
    assert 'class="arithmatex"' in html_of(site_dir, "index")
    assert "formulacheck docs/*.md" in html_of(site_dir, "coverage")


# -- inline math and the math-in-HTML invariant ---------------------------------------------------
INLINE_PAGE = (
    "# Page\n\n" + DECLARE + "\n" + DEFINE + "\n"
    "So $F^\\top = W^\\top X^\\top$ and \\(F = X W\\), with $N = 300$, $j = k$ and $X^\\top F$.[^1]\n\n"
    "- in a list: $F W^\\top = X W W^\\top$\n\n"
    "| claim | note |\n|---|---|\n| $F = X W$ | a cell |\n\n"
    '!!! note "A note"\n\n    in a note, $2 F = F + F$\n\n'
    '=== "A tab"\n\n    in a tab, $F - F = 0 F$\n\n'
    "Display math in a paragraph, so $$F = X W$$ and on.\n\n"
    "[^1]: in a footnote, $F^\\top F = W^\\top X^\\top X W$.\n"
)


def line_of(page: str, fragment: str) -> int:
    return page[:page.index(fragment)].count("\n") + 1


def inline_marks(html: str) -> list:
    """(status, title) of each inline formula, in page order."""
    spans = BeautifulSoup(html, "html.parser").select("span.arithmatex:not(.fc-mark-math)")
    return [(next((c.split("--")[1] for c in span["class"] if c.startswith("fc-inline--")), None),
             span.get("title", "")) for span in spans]


def test_inline_formulas_everywhere_are_checked_and_marked(tmp_path):
    site_dir = build_site(make_site(tmp_path, {"index.md": INLINE_PAGE}))

    found = inline_marks(html_of(site_dir, "index"))
    # in page order: 2 claims, 2 classified, a bare expression, then list, table, note, tab,
    # $$ in a paragraph, and the footnote (moved to the end of the page by Markdown)
    assert [status for status, _ in found] == (["checked"] * 2 + ["classified"] * 3
                                               + ["checked"] * 6)
    assert found[0][1] == "Formula checker: checked: 1 link × 3 trials"
    assert "not a claim: the value or case of a size or a parameter" in found[2][1]
    assert "not a claim: a condition on index letters" in found[3][1]
    # a tooltip is plain text: the rules' examples without TeX commands or braces
    assert "j ≠ y_i" in found[3][1] and "h = 10^-5" in found[2][1]
    assert not [title for _, title in found if "\\" in title or "{" in title], found
    assert "not a claim: a bare expression" in found[4][1]


@pytest.mark.parametrize(("written", "kind"), [
    ("$$\nF = X W \\quad \\text{ and } F = 2 X W\n$$", "failed"),
    ("$$\nF = X W, \\text{ and } F = 2 X W\n$$", "failed"),
    ("$$\nF = X W \\quad \\text{so that } F = 2 X W\n$$", "failed"),
    ("$$\nF = X W \\quad \\textrm{and} F = 2 X W\n$$", "failed"),
    ("$$\nF = X W \\mbox{ and } F = 2 X W\n$$", "failed"),
    ("$$\nF = X W \\text{ and } \\quad F = 2 X W\n$$", "failed"),
    ("$$\n\\sigma(z) = \\sigma z\n$$", "error"),
    ("Display math in a paragraph, so $$F = 2 X W$$ and on.", "failed"),
    ("An inline claim, so $F = 2 X W$ and on.", "failed"),
    ("An inline claim in a list:\n\n- so $(2 F)^\\top = W^\\top X^\\top$", "failed"),
])
def test_each_escape_stops_the_build_at_its_line(tmp_path, caplog, written, kind):
    declarations = "$$\n\\sigma \\in \\mathbb{R}, \\quad z \\in \\mathbb{R}\n$$\n"
    page = "# Page\n\n" + DECLARE + "\n" + DEFINE + "\n" + declarations + "\n" + written + "\n"
    wrong = next(f for f in ("2 X W", "\\sigma(z)", "(2 F)") if f in written)
    line = line_of(page, wrong)

    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(make_site(tmp_path, {"index.md": page}))

    assert re.search(rf"docs/index\.md:{line}:\d+: {kind}: ", caplog.text), caplog.text


def test_a_failed_inline_claim_shows_red_in_place_under_serve(tmp_path):
    page = "# Page\n\n" + DECLARE + "\n" + DEFINE + "\nSo $F = 2 X W$ here.\n"
    site_dir = build_site(make_site(tmp_path, {"index.md": page}), command="serve", strict=False)

    html = html_of(site_dir, "index")
    assert inline_marks(html)[0][0] == "failed"
    problem = BeautifulSoup(html, "html.parser").select_one("span.fc-inline-problem")
    assert "FAILED: the claim, F = 2 X W, does not hold" in problem.get_text()
    assert f"(line {line_of(page, 'So $F')})" in problem.get_text()


def test_math_the_checker_did_not_read_stops_the_build(tmp_path, caplog):
    # a raw HTML block MathJax typesets, which the checker does not read; inline math in an
    # indented code block, which the checker reads and the reader sees as code
    page = ("# Page\n\n" + DECLARE + '\n<div class="arithmatex">\\[X W\\]</div>\n\n'
            "An indented code block:\n\n    so $X W$ here\n")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(make_site(tmp_path, {"index.md": page}))

    raw, code = line_of(page, "<div"), line_of(page, "    so $X W$")
    assert f"docs/index.md:{raw}:27: error: the page shows display math the formula checker did " \
           "not read: X W" in caplog.text
    assert f"docs/index.md:{code}:9: error: the formula checker read an inline span that the " \
           "page does not show as math: X W" in caplog.text


def test_math_a_snippet_brings_onto_the_page_is_refused_at_the_snippets_line(
        tmp_path, caplog, monkeypatch):
    # the checker reads the page's own lines; a shared Markdown file included with --8<-- shows
    # math it never read, so the build stops at the snippet's line, not at "0:0"
    page = "# Page\n\n" + DECLARE + "\n" + DEFINE + '\nIntro.\n\n--8<-- "shared/claim.md"\n'
    site = make_site(tmp_path, {"index.md": page},
                     extensions=["pymdownx.snippets: {base_path: ['.'], check_paths: true}"])
    (site / "shared").mkdir()
    (site / "shared" / "claim.md").write_text("So $F = 2 X W$ here.\n\n$$\nF = 3 X W\n$$\n")
    monkeypatch.chdir(site)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(site)

    line = line_of(page, "--8<--")
    for kind, tex in (("inline", "F = 2 X W"), ("display", "F = 3 X W")):
        assert (f"docs/index.md:{line}:9: error: the page shows {kind} math from the snippet "
                f"shared/claim.md, which the formula checker does not read: {tex}; expected the "
                "formula written on the page itself") in caplog.text, caplog.text
    assert ":0:0:" not in caplog.text and "Traceback" not in caplog.text


def test_coverage_page_counts_inline_formulas_beside_display_ones(tmp_path):
    pages = {"index.md": INLINE_PAGE, "coverage.md": COVERAGE_STUB}
    site_dir = build_site(make_site(tmp_path, pages))
    display, inline = BeautifulSoup(html_of(site_dir, "coverage"), "html.parser")("table")[:2]
    rows = {cells[0]: cells[1:] for cells in
            ([td.get_text().strip() for td in row("td")] for row in inline("tr")) if cells}
    # spans, checked, declared or defined, expressions, index conditions, values, unchecked, failed
    assert rows["Page"] == ["11", "8", "0", "1", "1", "1", "0", "0"]
    first = [td.get_text().strip() for td in display("tr")[1]("td")]
    assert first[:2] == ["Page", "2"]  # the two display blocks, counted apart
