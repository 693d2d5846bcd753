"""Math typeset at build time (overrides/hooks/prerender_math.py) and the client-side fallback.

The hook's search for TeX is checked against what the client MathJax finds on the same pages (a
build without the hook, typeset in the browser); its renderer, error handling and stylesheet are
checked without a browser.
"""

import json
import logging
import os
import re
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest

from browser_support import REPO_ROOT, LocalSiteServer, load_module, page_url_path
from page_watch import math_problems, open_in_new_context

HOOK_PATH = REPO_ROOT / "overrides" / "hooks" / "prerender_math.py"
# Every hook of mkdocs.yml but this one, in its order (read from the config, so a new hook is kept).
OTHER_HOOKS = [line.split("/")[-1] for line in
               (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
               if line.strip().startswith("- overrides/hooks/") and HOOK_PATH.name not in line]
# The formula-heaviest derivation page and the notebook (math in Markdown cells, `$` delimiters).
SAMPLE_PAGES = ["affine.md", "train.ipynb"]

RESOURCES_JS = """
() => performance.getEntriesByType("resource").map((entry) => entry.name)
"""
CONTAINERS_JS = "() => document.querySelectorAll('article mjx-container').length"


@pytest.fixture(scope="session")
def hook():
    return load_module(HOOK_PATH)


@pytest.fixture(scope="session")
def renderer(hook):
    node_renderer = hook.NodeRenderer("../fonts")
    yield node_renderer
    node_renderer.close()


def fake_render(tex, display):
    return f"[{'display' if display else 'inline'}:{tex}]"


# --- finding TeX the way the client MathJax does -------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("no math, 5$ only", ["no math, 5$ only"]),
    (r"\(a\) and \[b\]", [("a", False), " and ", ("b", True)]),
    ("$$x$$ then $y$", [("x", True), " then ", ("y", False)]),
    (r"price \$3 and \\ kept", [r"price $3 and \ kept"]),
    (r"$\{ \$ \}$", [(r"\{ \$ \}", False)]),
    ("${a$}$ b", [("{a$}", False), " b"]),
    (r"\begin{aligned} x &= 1 \end{aligned}", [(r"\begin{aligned} x &= 1 \end{aligned}", True)]),
    ("$ unclosed", ["$ unclosed"]),
])
def test_find_math_splits_like_mathjax(hook, text, expected):
    assert hook.find_math(text) == expected


def test_only_the_client_classes_are_searched(hook):
    page = (
        "<html><head><title>$t$</title><style>.x{content:'$s$'}</style></head><body>"
        '<p>$prose$</p><div class="md-content">$classed$</div>'
        '<span class="md-ellipsis">Label \\(l\\)</span>'
        '<div class="arithmatex">\\[a &amp; b &lt; c\\]</div>'
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown" data-mime-type="text/markdown">'
        '<p>cell $c$ <em>$e$</em> <code>$k$</code> <a class="anchor-link">$n$</a></p><br/>'
        "<script>var s = '$x$';</script><pre>$$p$$</pre></div>"
        "<p>after</p></body></html>"
    )

    result = hook.prerender_html(page, fake_render)

    assert result == (
        "<html><head><title>$t$</title><style>.x{content:'$s$'}</style></head><body>"
        '<p>[inline:prose]</p><div class="md-content">$classed$</div>'
        '<span class="md-ellipsis">Label [inline:l]</span>'
        '<div class="arithmatex">[display:a & b < c]</div>'
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown" data-mime-type="text/markdown"'
        " data-math-prerendered>"
        '<p>cell [inline:c] <em>[inline:e]</em> <code>$k$</code> <a class="anchor-link">$n$</a></p>'
        "<br/><script>var s = '$x$';</script><pre>$$p$$</pre></div>"
        "<p>after</p></body></html>"
    )


def test_nothing_inside_code_is_searched_even_with_a_processed_class(hook):
    page = '<body><pre><span class="arithmatex">\\(q\\)</span></pre></body>'

    assert hook.prerender_html(page, fake_render) == page


def test_text_is_escaped_again_around_a_formula(hook):
    page = '<body><span class="md-ellipsis">a &lt;b&gt; \\(x\\) &amp; c</span></body>'

    assert hook.prerender_html(page, fake_render) == (
        '<body><span class="md-ellipsis">a &lt;b&gt; [inline:x] &amp; c</span></body>'
    )


# --- the Node renderer ---------------------------------------------------------------------------

def test_renderer_gives_chtml_with_assistive_mathml(renderer):
    output = renderer.render(r"\frac{\partial L}{\partial W} = X^\top G", True)

    container = output[:output.index(">") + 1]
    assert container.startswith('<mjx-container class="MathJax" jax="CHTML"') and (
        'display="true"' in container)
    assert "font-size: 119.6%" in container, "the size the client MathJax gives the site's text"
    assert 'tabindex="0"' in container, "a wide formula scrolls, so the keyboard must reach it"
    assert 'aria-hidden="true"' in output, "the CHTML glyphs must be hidden from screen readers"
    assert "<mjx-assistive-mml" in output and "<mfrac>" in output


def test_renderer_knows_the_client_packages_and_rejects_unknown_macros(hook, renderer):
    client_macros = [r"a \coloneqq \boldsymbol{x}", r"\cancel{x}",
                     r"\begin{aligned} a &= b \end{aligned}"]
    for tex in client_macros:
        assert "<mjx-merror" not in renderer.render(tex, False)
    with pytest.raises(hook.TexError, match=r"Undefined control sequence \\notamacro"):
        renderer.render(r"x + \notamacro{y}", False)
    with pytest.raises(hook.TexError, match="Missing close brace"):
        renderer.render(r"\frac{a", False)


def test_stylesheet_has_the_fonts_relative_to_itself_and_every_character_used(renderer):
    renderer.render(r"\Omega", False)

    stylesheet = renderer.ask({"stylesheet": True})["css"]

    assert 'src: url("../fonts/MathJax_Zero.woff")' in stylesheet
    assert "://" not in stylesheet, "fonts must come from the site itself"
    assert "mjx-c.mjx-c3A9::before" in stylesheet, "the style of the character \\Omega is missing"


def test_build_renders_with_the_vendored_client_mathjax_version():
    # Same version on both sides, so build-time output, client fallback and fonts agree.
    tools = json.loads((REPO_ROOT / ".ci" / "tools" / "package.json").read_text("utf-8"))
    version = tools["dependencies"]["mathjax-full"]
    vendored = REPO_ROOT / "docs" / "vendor" / "mathjax"

    assert f'VERSION="{version}"' in (vendored / "es5" / "tex-chtml.js").read_text("utf-8")
    assert f"mathjax@{version}" in (vendored / "VENDORED.txt").read_text("utf-8")


# --- typeset formulas kept between builds ------------------------------------------------------

# Pages whose math uses every kind of rule the stylesheet gets: characters of many variants,
# stretchy delimiters (\left( ... \right)), tables (aligned, matrices), fractions, accents.
CACHE_SAMPLE_PAGES = ["affine.md", "two-layer.md", "convolution.md", "batchnorm.md"]


def build_math_site(project, site_dir, cache_dir):
    """Build ``project`` (the hook only) with the math cache in ``cache_dir``; its log."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"),
         "-d", str(site_dir)],
        cwd=project, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PRERENDER_MATH_CACHE_DIR": str(cache_dir)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def site_files(site_dir):
    return {path.relative_to(site_dir).as_posix(): path.read_bytes()
            for path in sorted(site_dir.rglob("*")) if path.is_file()}


def test_a_build_from_the_cache_writes_what_typesetting_every_formula_writes(tmp_path):
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    for name in CACHE_SAMPLE_PAGES:
        (project / "docs" / name).write_bytes((REPO_ROOT / "docs" / name).read_bytes())
    (project / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: tmp
        markdown_extensions:
          - attr_list
          - md_in_html
          - pymdownx.arithmatex:
              generic: true
        hooks:
          - {HOOK_PATH}
        """), encoding="utf-8")
    cache = tmp_path / "cache"

    typeset_log = build_math_site(project, tmp_path / "typeset", cache)
    cached_log = build_math_site(project, tmp_path / "cached", cache)

    distinct = re.search(r"\((\d+) distinct, 0 of them from the cache\)", typeset_log)
    assert distinct and int(distinct.group(1)) > 300, typeset_log
    assert f"({distinct.group(1)} distinct, {distinct.group(1)} of them from the cache)" in (
        cached_log), cached_log
    assert len(list(cache.glob("*.json"))) == 1, "one pack: the second build typeset nothing"
    typeset, cached = site_files(tmp_path / "typeset"), site_files(tmp_path / "cached")
    assert typeset.keys() == cached.keys()
    different = [name for name in typeset if typeset[name] != cached[name]]
    assert not different, f"a build from the cache wrote other bytes to {different}"
    stylesheet = typeset["stylesheets/mathjax-chtml.css"].decode("utf-8")
    assert "mjx-stretchy-v.mjx-c" in stylesheet and "mjx-mtable" in stylesheet, (
        "the sample pages no longer use every kind of rule")


def test_the_cache_ignores_what_it_cannot_read_and_is_kept_per_fonts_url(hook, tmp_path):
    kept = hook.RenderedMathCache(tmp_path, "../fonts")
    kept.put("x", False, "<mjx-container>x</mjx-container>", [["c", ["normal", 120]]])
    kept.put("z", False, "<mjx-container>z</mjx-container>", [["font", "?"]])
    kept.save()

    cache = hook.RenderedMathCache(tmp_path, "../fonts")
    assert cache.get("x", False) == ("<mjx-container>x</mjx-container>", [["c", ["normal", 120]]])
    assert cache.get("x", True) is None
    assert cache.get("z", False) is None, "a use of no kind the renderer knows"
    assert hook.RenderedMathCache(tmp_path, "../other-fonts").get("x", False) is None
    (pack,) = tmp_path.glob("*.json")
    pack.write_text('{"version": "', encoding="utf-8")
    unreadable = hook.RenderedMathCache(tmp_path, "../fonts")
    assert unreadable.get("x", False) is None

    renderer = hook.NodeRenderer("../fonts", unreadable)
    try:
        html = renderer.render("x", False)
    finally:
        renderer.close()
    unreadable.save()
    assert html.startswith("<mjx-container") and renderer.from_disk == 0
    assert hook.RenderedMathCache(tmp_path, "../fonts").get("x", False)[0] == html, (
        "the formula typeset again is kept again")


def test_a_use_the_renderer_refuses_stops_the_build_naming_the_cache(hook):
    renderer = hook.NodeRenderer("../fonts")
    try:
        renderer._tell([["font", "?"]])
        with pytest.raises(hook.PluginError, match=r"unknown usage kind \"font\".*prerender_math"):
            renderer.ask({"stylesheet": True})
    finally:
        renderer.close()


def test_past_its_limit_one_pack_of_the_formulas_used_replaces_every_pack(hook, tmp_path):
    def build(typeset=(), used=()):
        cache = hook.RenderedMathCache(tmp_path, "../fonts")
        cache.MAX_PACKS = 3
        for tex in used:
            assert cache.get(tex, False) is not None
        for tex in typeset:
            cache.put(tex, False, f"<mjx-container>{tex}</mjx-container>", [])
        cache.save()

    for number in range(3):
        build(typeset=[f"x_{number}"])
    assert len(list(tmp_path.glob("*.json"))) == 3
    build(used=["x_0", "x_2"])  # typesets nothing: writes nothing
    assert len(list(tmp_path.glob("*.json"))) == 3

    build(typeset=["y"], used=["x_0", "x_2"])

    assert len(list(tmp_path.glob("*.json"))) == 1
    cache = hook.RenderedMathCache(tmp_path, "../fonts")
    kept = [tex for tex in ["x_0", "x_1", "x_2", "y"] if cache.get(tex, False)]
    assert kept == ["x_0", "x_2", "y"]


@pytest.mark.parametrize("setting", ["off", "OFF", ""])
def test_off_keeps_no_cache(hook, monkeypatch, setting):
    # as FORMULACHECK_CACHE_DIR is read: an empty value is off, not the working folder
    monkeypatch.setenv("PRERENDER_MATH_CACHE_DIR", setting)
    assert hook.RenderedMathCache.from_environment("../fonts") is None


# --- errors: the build fails, `mkdocs serve` warns ------------------------------------------------

def write_project(folder, page_text):
    (folder / "docs").mkdir()
    (folder / "docs" / "broken.md").write_text(page_text, encoding="utf-8")
    (folder / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: tmp
        markdown_extensions:
          - pymdownx.arithmatex:
              generic: true
        hooks:
          - {HOOK_PATH}
        """), encoding="utf-8")


def test_a_tex_error_fails_the_build_naming_page_and_formula(tmp_path):
    write_project(tmp_path, "# Broken\n\nFine \\(x\\), then:\n\n$$\nW \\undefinedmacro X\n$$\n")

    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )

    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "broken.md" in output and "`W \\undefinedmacro X`" in output, output
    assert "Undefined control sequence \\undefinedmacro" in output, output
    assert "Traceback" not in output, output


def test_under_serve_a_tex_error_is_a_warning_and_stays_tex(tmp_path, caplog):
    # A fresh copy of the hook: its module state (the command) must not leak into other tests.
    serve_hook = load_module(HOOK_PATH)
    serve_hook.on_startup(command="serve", dirty=False)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="broken.md"), url="broken/")
    html = ('<html><head></head><body><div class="arithmatex">\\[\\undefinedmacro\\]</div>'
            '<span class="arithmatex">\\(y\\)</span></body></html>')

    with caplog.at_level(logging.WARNING):
        output = serve_hook.on_post_page(html, page=page, config=None)
        serve_hook.on_post_build(SimpleNamespace(site_dir=str(tmp_path)))

    assert '<div class="arithmatex">\\[\\undefinedmacro\\]</div>' in output
    assert '<span class="arithmatex"><mjx-container' in output
    assert '<link rel="stylesheet" href="../stylesheets/mathjax-chtml.css">' in output
    assert any("broken.md" in record.message and "undefinedmacro" in record.message
               for record in caplog.records if record.levelno == logging.WARNING)
    assert (tmp_path / "stylesheets" / "mathjax-chtml.css").stat().st_size > 1000


# --- in the browser ------------------------------------------------------------------------------

@pytest.mark.parametrize("source", SAMPLE_PAGES)
def test_prerendered_page_never_loads_mathjax(open_page, source):
    page, watch = open_page(page_url_path(source))

    requested = page.evaluate(RESOURCES_JS)

    assert not [url for url in requested if "tex-chtml" in url]
    assert page.evaluate("() => typeof window.MathJax.typesetPromise === 'undefined'")
    assert any(url.endswith("/stylesheets/mathjax-chtml.css") for url in requested)
    assert any("/vendor/mathjax/es5/output/chtml/fonts/woff-v2/" in url for url in requested)
    assert not math_problems(page) + watch.problems()


@pytest.fixture
def site_without_prerendering(tmp_path):
    """The site built as a tool without this hook would build it: math left as TeX, served."""
    config = tmp_path / "mkdocs.yml"
    hooks = "".join(f"  - {REPO_ROOT / 'overrides' / 'hooks' / name}\n" for name in OTHER_HOOKS)
    config.write_text(f"INHERIT: {REPO_ROOT / 'mkdocs.yml'}\ndocs_dir: {REPO_ROOT / 'docs'}\n"
                      f"hooks:\n{hooks}", encoding="utf-8")
    site_dir = tmp_path / "site"
    with LocalSiteServer(site_dir) as server:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config),
             "-d", str(site_dir)],
            cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, check=False,
            env={**os.environ, "SITE_URL": server.origin + "/"},
        )
        if result.returncode != 0:
            pytest.fail(f"build without the hook failed:\n{result.stdout}{result.stderr}")
        assert "mjx-container" not in (site_dir / "affine" / "index.html").read_text("utf-8")
        yield SimpleNamespace(dir=site_dir, origin=server.origin)


def test_without_the_hook_the_client_typesets_the_same_formulas(
        browser, open_page, site_without_prerendering):
    """One test for the sample pages, not one per page: the tests of a page run as one unit
    (tests/work_units.py), so per page the site would be built without the hook once per worker
    that runs a sampled page."""
    problems = []
    for source in SAMPLE_PAGES:
        path = page_url_path(source)
        context, page, watch = open_in_new_context(browser, site_without_prerendering.origin, path)
        try:
            requested = page.evaluate(RESOURCES_JS)
            fallback_count = page.evaluate(CONTAINERS_JS)
            seen = math_problems(page) + watch.problems()
            problems += [f"{source}: {problem}" for problem in seen]
        finally:
            context.close()
        prerendered, _ = open_page(path)
        prerendered_count = prerendered.evaluate(CONTAINERS_JS)
        if not any(url.endswith("/vendor/mathjax/es5/tex-chtml.js") for url in requested):
            problems.append(f"{source}: the client MathJax was not loaded")
        if not fallback_count == prerendered_count > 0:
            problems.append(f"{source}: {fallback_count} formulas typeset by the client, "
                            f"{prerendered_count} at build time")

    assert not problems, "\n".join(problems)
