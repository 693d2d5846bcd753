"""The results cache of the build (check_cache.py): a result is reused only when nothing it depends
on changed, and a changed dependency is checked again with its current code."""

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from formulacheck import check_markdown
from formulacheck.pages import cache as check_cache

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

    assert len(counted) == 1
    assert outcome(again) == outcome(first) == outcome(check_markdown(PAGE, "docs/p.md"))
    again.blocks.clear()  # the caller's copy: changing it does not change the cache
    assert outcome(cache.check_markdown(PAGE, "docs/p.md")) == outcome(first)


def test_a_change_of_text_or_settings_checks_again(counted):
    cache = check_cache.ResultsCache(folder=None)
    cache.check_markdown(PAGE, "docs/p.md")

    wrong = cache.check_markdown(WRONG, "docs/p.md")
    cache.check_markdown(PAGE, "docs/p.md", trials=4)
    cache.check_markdown(PAGE, "docs/p.md", seed=1)

    assert len(counted) == 4
    assert wrong.blocks[1].status == "failed"


@pytest.mark.parametrize("text", [PAGE, WRONG])
def test_the_same_text_under_another_name_is_not_checked_again_and_names_its_page(counted, text):
    cache = check_cache.ResultsCache(folder=None)
    cache.check_markdown(text, "docs/p.md")

    renamed = cache.check_markdown(text, "docs/sub/q.md")

    assert len(counted) == 1
    # every field, messages included, as if the page had been checked under its own name
    assert renamed == check_markdown(text, "docs/sub/q.md")
    assert all(block.message.startswith("docs/sub/q.md:") for block in renamed.blocks)


def test_a_text_holding_the_stand_in_name_is_checked_under_its_own_name(counted):
    text = PAGE + f"\n<!-- {check_cache.STAND_IN} -->\n"
    cache = check_cache.ResultsCache(folder=None)

    first = cache.check_markdown(text, "docs/p.md")
    other = cache.check_markdown(text, "docs/q.md")

    assert counted == ["docs/p.md", "docs/q.md"]
    assert first == check_markdown(text, "docs/p.md") and other == check_markdown(text, "docs/q.md")


def test_a_new_process_reads_the_results_on_disk(counted, tmp_path):
    check_cache.ResultsCache(tmp_path).check_markdown(PAGE, "docs/p.md")

    later = check_cache.ResultsCache(tmp_path).check_markdown(PAGE, "docs/p.md")

    assert len(counted) == 1
    assert outcome(later) == outcome(check_markdown(PAGE, "docs/p.md"))


@pytest.mark.parametrize("setting", ["off", "OFF", ""])
def test_off_or_an_empty_setting_keeps_no_results(monkeypatch, setting):
    monkeypatch.setenv("FORMULACHECK_CACHE_DIR", setting)
    assert check_cache.configured_folder() is None
    monkeypatch.setenv("FORMULACHECK_CACHE_DIR", "elsewhere")
    assert check_cache.configured_folder() == Path("elsewhere").resolve()


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


CHECK_AHEAD_HOOK = Path(__file__).resolve().parents[3] / "overrides" / "hooks" / "check_ahead.py"


def test_check_ahead_hands_over_the_texts_the_checker_hook_asks_for(tmp_path, monkeypatch):
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    from formulacheck.faces.site import plugin as mkdocs_hook

    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n" + PAGE)
    (tmp_path / "docs" / "sub" / "front.md").write_text("---\ntitle: F\n---\n# Front\n\n" + PAGE)
    (tmp_path / "docs" / "coverage.md").write_text("# Coverage\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = get_files(config)
    nav = get_navigation(files, config)
    asked = []

    def recording_check(text, name, **options):
        asked.append((text, name))
        return check_markdown(text, name, **options)

    monkeypatch.setattr(mkdocs_hook, "cached_check_markdown", recording_check)
    mkdocs_hook.on_config(config)
    mkdocs_hook.on_nav(nav, config, files)
    spec = importlib.util.spec_from_file_location("check_ahead_hook", CHECK_AHEAD_HOOK)
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)

    assert len(asked) == 2
    assert sorted(hook.pages_to_check(files, config)) == sorted(asked)


CHECK_AHEAD_SCRIPT = """
from formulacheck.pages.cache import ResultsCache
from formulacheck import check_markdown
pages = [(PAGE.replace("1", str(n)), f"docs/p{n}.md") for n in range(1, 6)]
cache = ResultsCache(folder=None)
checked = cache.check_ahead(pages, workers=2)
results = [cache.check_markdown(text, name) for text, name in pages]
assert (checked, cache.misses, cache.hits) == (5, 5, 5), (checked, cache.misses, cache.hits)
expected = [check_markdown(text, name) for text, name in pages]
assert [[(b.status, b.message) for b in r.blocks] for r in results] == [
    [(b.status, b.message) for b in r.blocks] for r in expected]
print("ok")
"""


def test_check_ahead_checks_in_parallel_processes_what_the_checker_would_find():
    # A fresh interpreter: check_ahead forks only a process with no other thread (not so under
    # pytest-xdist).
    script = f"PAGE = {PAGE!r}\n" + CHECK_AHEAD_SCRIPT
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)

    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stdout + run.stderr


BLAS_THREADS_SCRIPT = """
import json
import threadpoolctl
import formulacheck.pages.cache as cache_module

def blas_threads(job=None):
    return [info["num_threads"] for info in threadpoolctl.threadpool_info()
            if info["user_api"] == "blas"]

cache_module._check_one = blas_threads  # what each worker of the pool reports instead of a check
cache = cache_module.ResultsCache(folder=None)
assert cache.check_ahead([(f"page {n}", f"docs/p{n}.md") for n in range(1, 6)], workers=2) == 5
print(json.dumps({"workers": sorted(set(map(tuple, cache.memory.values()))),
                  "parent": blas_threads()}))
"""


def test_check_ahead_workers_run_numpys_linear_algebra_in_one_thread():
    """One process per processor, each with OpenBLAS's default thread per processor, made the
    pool fight over the processors (docs of `one_blas_thread`); the parent keeps its threads."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one processor: OpenBLAS starts one thread by default, nothing to tell apart")
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    run = subprocess.run([sys.executable, "-c", BLAS_THREADS_SCRIPT], capture_output=True,
                         text=True, timeout=120, env=environment)

    assert run.returncode == 0, run.stdout + run.stderr
    threads = json.loads(run.stdout)
    assert threads["workers"] == [[1]] and threads["parent"][0] > 1, threads
