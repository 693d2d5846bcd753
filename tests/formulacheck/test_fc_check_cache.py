"""The results cache of the build (check_cache.py): a result is reused only when nothing it depends
on changed, and a changed dependency is checked again with its current code."""

import sys
import textwrap

import pytest

from formulacheck import check_cache, check_markdown

PAGE = "$$\nx \\in \\mathbb{R}\n$$\n\n$$\n(x + 1)^2 = x^2 + 2 x + 1\n$$\n"
WRONG = "$$\nx \\in \\mathbb{R}\n$$\n\n$$\n(x + 1)^2 = x^2 + 1\n$$\n"


@pytest.fixture
def counted(monkeypatch):
    """The number of real checks the cache asked for."""
    calls = []

    def counting_check(text, name, **options):
        calls.append(name)
        return check_markdown(text, name, **options)

    monkeypatch.setattr(check_cache, "check_markdown", counting_check)
    return calls


def outcome(result):
    return [(block.line, block.status, block.links, block.message) for block in result.blocks]


def test_an_unchanged_page_is_checked_once(counted):
    cache = check_cache.ResultsCache(folder=None)

    first = cache.check_markdown(PAGE, "docs/p.md")
    again = cache.check_markdown(PAGE, "docs/p.md")

    assert counted == ["docs/p.md"]
    assert outcome(again) == outcome(first) == outcome(check_markdown(PAGE, "docs/p.md"))
    again.blocks.clear()  # the caller's copy: changing it does not change the cache
    assert outcome(cache.check_markdown(PAGE, "docs/p.md")) == outcome(first)


def test_a_change_of_text_name_or_settings_checks_again(counted):
    cache = check_cache.ResultsCache(folder=None)
    cache.check_markdown(PAGE, "docs/p.md")

    wrong = cache.check_markdown(WRONG, "docs/p.md")
    renamed = cache.check_markdown(PAGE, "docs/q.md")
    cache.check_markdown(PAGE, "docs/p.md", trials=4)
    cache.check_markdown(PAGE, "docs/p.md", seed=1)

    assert len(counted) == 5
    assert wrong.blocks[1].status == "failed"
    assert renamed.blocks[1].message.startswith("docs/q.md:6")


def test_a_new_process_reads_the_results_on_disk(counted, tmp_path):
    check_cache.ResultsCache(tmp_path).check_markdown(PAGE, "docs/p.md")

    later = check_cache.ResultsCache(tmp_path).check_markdown(PAGE, "docs/p.md")

    assert counted == ["docs/p.md"]
    assert outcome(later) == outcome(check_markdown(PAGE, "docs/p.md"))


def test_an_edit_of_the_checker_checks_again(counted, monkeypatch, tmp_path):
    check_cache.ResultsCache(tmp_path).check_markdown(PAGE, "docs/p.md")
    monkeypatch.setattr(check_cache, "CHECKER_FINGERPRINT", "another checker")

    check_cache.ResultsCache(tmp_path).check_markdown(PAGE, "docs/p.md")

    assert len(counted) == 2


def test_an_unreadable_stored_result_is_checked_again(counted, tmp_path):
    cache = check_cache.ResultsCache(tmp_path)
    cache.check_markdown(PAGE, "docs/p.md")
    for stored in tmp_path.glob("*.pickle"):
        stored.write_bytes(b"not a pickle")

    result = check_cache.ResultsCache(tmp_path).check_markdown(PAGE, "docs/p.md")

    assert len(counted) == 2 and outcome(result) == outcome(check_markdown(PAGE, "docs/p.md"))


TIED_PAGE = textwrap.dedent(r"""
    $$
    X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}
    $$

    <!-- code: cachetied.scores(X, W) -->
    $$
    F \coloneqq X W
    $$
    """)


@pytest.fixture
def forget_tied_package():
    yield
    for name in [name for name in sys.modules if name.split(".")[0] == "cachetied"]:
        del sys.modules[name]


def test_an_edit_of_the_tied_code_is_checked_with_the_edited_code(tmp_path, monkeypatch,
                                                                  forget_tied_package):
    package = tmp_path / "cachetied"
    package.mkdir()
    (package / "__init__.py").write_text("from .impl import scores\n")
    (package / "impl.py").write_text("def scores(X, W):\n    return X @ W\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    cache = check_cache.ResultsCache(folder=None)

    right = cache.check_markdown(TIED_PAGE, "docs/t.md")
    (package / "impl.py").write_text("def scores(X, W):\n    return 2 * (X @ W)\n")
    edited = cache.check_markdown(TIED_PAGE, "docs/t.md")
    (package / "impl.py").write_text("def scores(X, W):\n    return X @ W\n")
    restored = cache.check_markdown(TIED_PAGE, "docs/t.md")

    assert [b.status for b in right.blocks] == ["declared", "checked"]
    assert right.blocks[1].links == 1, right.blocks[1].message
    assert edited.blocks[1].status == "failed", edited.blocks[1].message
    assert "disagrees" in edited.blocks[1].message
    assert restored.blocks[1].links == 1, restored.blocks[1].message
