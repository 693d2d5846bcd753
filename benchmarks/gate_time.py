"""Wall time of the full gate (`make test`: every test, then `mkdocs build --strict`).

Usage: .venv/bin/python benchmarks/gate_time.py [--workers auto] [--compare-serial]

Runs the gate's two phases as `make test` does (the same commands, read from the Makefile's
`test:` recipe), times each, and prints them against the target of 120 s for the whole gate on
2 cores, with the CPU time of each phase (a floor for the wall time on an idle machine: useful
when the machine is shared). pytest's own table of where its time went (tests/conftest.py) is printed as it comes.
--compare-serial runs the pytest phase once more with one process (TEST_WORKERS=0), to show what
the parallel workers bring. Each run starts cold: the checker's results cache (.cache/formulacheck)
is emptied first. The machine may be shared: say how loaded it was when you quote a figure.
"""

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

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


def run_phase(command: str) -> tuple:
    """(wall seconds, CPU seconds of every process it waited for, exit code)."""
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start, cpu_before = time.perf_counter(), children_cpu_seconds()
    result = subprocess.run(command, shell=True, cwd=ROOT, env=environment, check=False)
    return time.perf_counter() - start, children_cpu_seconds() - cpu_before, result.returncode


def run_gate(workers: str) -> list:
    shutil.rmtree(ROOT / ".cache" / "formulacheck", ignore_errors=True)
    phases = []
    for command in gate_commands(workers):
        seconds, cpu, code = run_phase(command)
        phases.append((command, seconds, cpu, code))
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
        shutil.rmtree(ROOT / ".cache" / "formulacheck", ignore_errors=True)
        command = gate_commands("0")[0]
        serial = run_phase(command)
    print("\ngate phases (wall time, and CPU time of all their processes):")
    for command, seconds, cpu, code in phases:
        print(f"  {seconds:7.1f} s wall {cpu:7.1f} s CPU  {command}"
              + ("" if code == 0 else f"  (exit {code})"))
    total = sum(seconds for _, seconds, _, _ in phases)
    cpu_total = sum(cpu for _, _, cpu, _ in phases)
    ok = all(code == 0 for *_, code in phases) and len(phases) == len(gate_commands("0"))
    verdict = "meets" if total <= TARGET_SECONDS and ok else "MISSES"
    print(f"gate total {total:.1f} s on {os.cpu_count()} processors; target <= {TARGET_SECONDS:.0f}"
          f" s: {verdict} it" + ("" if ok else " (the gate did not pass)"))
    print(f"CPU time {cpu_total:.1f} s: on {os.cpu_count()} idle processors the gate cannot take less"
          f" than {cpu_total / (os.cpu_count() or 1):.1f} s; load average now "
          f"{os.getloadavg()[0]:.1f} (a shared machine stretches the wall time)")
    if serial is not None:
        print(f"pytest in one process for comparison: {serial[0]:.1f} s wall, {serial[1]:.1f} s CPU")


if __name__ == "__main__":
    main()
