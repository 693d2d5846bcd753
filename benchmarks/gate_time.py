"""Wall time of the full gate (`make test`: every test, then `mkdocs build --strict`).

Usage: .venv/bin/python benchmarks/gate_time.py [--workers auto] [--compare-serial]

Runs the gate's two phases as `make test` does (the same commands, read from the Makefile's
`test:` recipe), times each, and prints them against the target of 120 s for the whole gate on
2 cores, with the CPU time of each phase: of the processes it waited for (a floor that misses the
browsers' renderers) and of the whole machine (includes them, and anything else running).
pytest's own table of where its time went (tests/conftest.py) is printed as it comes.
--compare-serial runs the pytest phase once more with one process (TEST_WORKERS=0), to show what
the parallel workers bring. Each run starts cold: the checker's results cache (.cache/formulacheck)
and the typeset formulas (.cache/prerender_math) are emptied first (build_scale.empty_build_caches;
the executed notebook, .cache/mkdocs-jupyter, is kept). The machine may be shared: say how loaded
it was when you quote a figure.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import psutil

from build_scale import empty_build_caches  # benchmarks/, the script's folder

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 120.0


def gate_commands(workers: str) -> list:
    """The `test:` recipe of the Makefile, with $(BIN) and $(TEST_WORKERS) filled in."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    commands = []
    for line in recipe.splitlines():
        command = line.strip().replace("$(BIN)", str(ROOT / ".venv" / "bin"))
        commands.append(command.replace("$(TEST_WORKERS)", workers))
    return commands


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> float:
    """CPU seconds all processors of the machine have spent busy since boot (not idle or
    waiting for disk), whoever ran."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def run_phase(command: str) -> tuple:
    """(wall seconds, CPU seconds of every process it waited for, CPU seconds the whole machine
    was busy, exit code).

    The first count misses the browsers' renderer processes (their parents do not wait for them,
    so their time never reaches this process); the second includes them, and whatever else ran.
    """
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start, cpu_before, busy_before = (time.perf_counter(), children_cpu_seconds(),
                                      machine_busy_seconds())
    result = subprocess.run(command, shell=True, cwd=ROOT, env=environment, check=False)
    return (time.perf_counter() - start, children_cpu_seconds() - cpu_before,
            machine_busy_seconds() - busy_before, result.returncode)


def run_gate(workers: str) -> list:
    empty_build_caches()
    phases = []
    for command in gate_commands(workers):
        seconds, cpu, busy, code = run_phase(command)
        phases.append((command, seconds, cpu, busy, code))
        if code != 0:
            print(f"`{command}` failed (exit {code}): the gate stops here", file=sys.stderr)
            break
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", default="auto", help="pytest-xdist workers (TEST_WORKERS)")
    parser.add_argument("--compare-serial", action="store_true")
    options = parser.parse_args()
    phases = run_gate(options.workers)
    serial = None
    if options.compare_serial:
        empty_build_caches()
        command = gate_commands("0")[0]
        serial = run_phase(command)
    print("\ngate phases (wall time; CPU time of the processes waited for, which misses the"
          " browsers' renderers; CPU time the whole machine was busy, which includes them and"
          " anything else running):")
    for command, seconds, cpu, busy, code in phases:
        print(f"  {seconds:7.1f} s wall {cpu:7.1f} s CPU {busy:7.1f} s machine busy  {command}"
              + ("" if code == 0 else f"  (exit {code})"))
    total = sum(seconds for _, seconds, *_ in phases)
    cpu_total = sum(cpu for _, _, cpu, *_ in phases)
    busy_total = sum(busy for *_, busy, _ in phases)
    ok = all(code == 0 for *_, code in phases) and len(phases) == len(gate_commands("0"))
    verdict = "meets" if total <= TARGET_SECONDS and ok else "MISSES"
    print(f"gate total {total:.1f} s on {os.cpu_count()} processors; target <= {TARGET_SECONDS:.0f}"
          f" s: {verdict} it" + ("" if ok else " (the gate did not pass)"))
    processors = os.cpu_count() or 1
    print(f"CPU time between {cpu_total:.1f} s (processes waited for) and {busy_total:.1f} s (the"
          f" whole machine busy): if nothing else ran, the gate's work takes at least"
          f" {busy_total / processors:.1f} s on {processors} processors; load average now"
          f" {os.getloadavg()[0]:.1f} (a shared machine stretches the wall time)")
    if serial is not None:
        print(f"pytest in one process for comparison: {serial[0]:.1f} s wall, {serial[1]:.1f} s CPU,"
              f" {serial[2]:.1f} s machine busy")


if __name__ == "__main__":
    main()
