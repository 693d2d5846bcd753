"""Save-to-page latency under `make serve`: edit a page, wait until the served page shows the edit.

Usage: .venv/bin/python benchmarks/serve_loop.py [--page docs/softmax.md] [--edits 7]
       [--edit prose|formula]

Starts `make serve` (the command an author runs) on a free 127.0.0.1 port, waits for the first
build, then EDITS times: edits PAGE and polls the served page every 10 ms until the edit is in it.
`--edit prose` (the default) replaces one word of a prose line with a new word; `--edit formula`
gives the middle checked display block of the page a new tag, `\\tag{...}` (the block is checked
again, and its math typeset again, before the page shows it). The latency is from the write to the first
response that shows it (the browser's live reload fires at the same moment: when the build is
done). After each edit the file is restored (and that rebuild is waited for, untimed), so the page
ends as it started, also when the benchmark is interrupted. Prints min / median / max against
the target of 1.0 s. The machine may be shared: say how loaded it was when you quote a figure.
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 1.0
POLL_SECONDS = 0.01


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def wait_for(url: str, predicate, timeout: float) -> float:
    """Seconds until ``predicate(page text)`` holds; exits with a message after ``timeout``."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate(fetch(url)):
            return time.perf_counter() - start
        time.sleep(POLL_SECONDS)
    sys.exit(f"no change on {url} after {timeout:.0f} s: is the server building? (see its log)")


def prose_line(lines: list) -> int:
    """Index of the first plain prose line (not math, code, heading, list, table or HTML)."""
    in_fence = in_math = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        elif stripped == "$$":
            in_math = not in_math
        elif (not in_fence and not in_math and re.match(r"[A-Z][a-z]+ [a-z]+ [a-z]+", stripped)
              and "$" not in stripped and "\\" not in stripped):
            return index
    sys.exit("no prose line found to edit")


def formula_line(text: str) -> int:
    """Index of the last TeX line of the middle checked display block of the page."""
    sys.path.insert(0, str(ROOT / "src"))
    from formulacheck import check_markdown

    checked = [block for block in check_markdown(text, "page.md", trials=1).blocks
               if block.status == "checked" and block.kind != "inline"]
    if not checked:
        sys.exit("no checked display block found to edit")
    lines = text.split("\n")
    index = checked[len(checked) // 2].line - 1
    while lines[index + 1].strip() != "$$":
        index += 1
    return index


def edit_line(line: str, edit: str, old_word: str, new_word: str) -> str:
    if edit == "formula":
        return f"{line} \\tag{{{new_word}}}"
    return line.replace(old_word, new_word, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page", default="docs/softmax.md")
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--edit", choices=["prose", "formula"], default="prose")
    options = parser.parse_args()
    source = ROOT / options.page
    original = source.read_text(encoding="utf-8")
    lines = original.split("\n")
    index = prose_line(lines) if options.edit == "prose" else formula_line(original)
    first_word = lines[prose_line(lines)].split(" ", 1)[0]  # shown once the site is served
    page_path = "/" + Path(options.page).relative_to("docs").with_suffix("").as_posix() + "/"
    if page_path == "/index/":
        page_path = "/"
    port = free_port()
    url = f"http://127.0.0.1:{port}{page_path}"
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"serve-loop-{port}.log"
    log = open(log_path, "w", encoding="utf-8")
    server = subprocess.Popen(["make", "-s", "serve", f"SERVE_ADDR=127.0.0.1:{port}"], cwd=ROOT,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    latencies = []
    try:
        started = wait_for(url, lambda text: first_word in text, timeout=300)
        change = (f"{first_word!r} -> a new word" if options.edit == "prose" else
                  "a new \\tag{...} at its end")
        print(f"make serve: first build served after {started:.1f} s; editing {options.page}"
              f" line {index + 1} ({change}), {options.edits} times")
        time.sleep(1.0)
        for number in range(options.edits):
            word = f"Edited{number}x{port}"
            edited = (lines[:index] + [edit_line(lines[index], options.edit, first_word, word)]
                      + lines[index + 1:])
            source.write_text("\n".join(edited), encoding="utf-8")
            latency = wait_for(url, lambda text: word in text, timeout=60)
            latencies.append(latency)
            print(f"  edit {number + 1}: {latency:.2f} s")
            source.write_text(original, encoding="utf-8")
            wait_for(url, lambda text: word not in text, timeout=60)
            time.sleep(0.7)  # the watcher polls every 0.5 s: start the next edit from rest
    finally:
        source.write_text(original, encoding="utf-8")
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    median = statistics.median(latencies)
    verdict = "meets" if median <= TARGET_SECONDS else "MISSES"
    print(f"save-to-page latency of a {options.edit} edit over {len(latencies)} edits: "
          f"min {min(latencies):.2f} s, median {median:.2f} s, max {max(latencies):.2f} s; target <= {TARGET_SECONDS:.1f} s: "
          f"the median {verdict} it (server log: {log_path})")


if __name__ == "__main__":
    main()
