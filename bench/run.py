"""`make bench`: run every benchmark module in this folder and print its figures.

Each module `bench/<name>.py` defines `run() -> list[dict]`; each dict is one figure set
printed as a JSON line. Pass module names to run only those: `python -m bench.run scans`.
"""
from __future__ import annotations

import importlib
import json
import os
import platform
import pkgutil
import sys
import time
from pathlib import Path


def machine() -> dict:
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    cpu = ""
    try:
        cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                    if l.startswith("model name")), "")
    except OSError:
        pass
    return {"machine": platform.node(), "cpus": os.cpu_count(), "cpu": cpu,
            "mem_gib": round(mem_kb / 1024 / 1024, 1), "python": platform.python_version(),
            "platform": platform.platform()}


def modules(selected: list[str]) -> list[str]:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name not in {"run"})
    return [n for n in names if not selected or n in selected]


def main(argv: list[str]) -> int:
    print(json.dumps({"bench": "machine", **machine()}), flush=True)
    failed = 0
    for name in modules(argv):
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "run"):
            continue
        started = time.perf_counter()
        try:
            for figures in module.run():
                print(json.dumps({"bench": name, **figures}), flush=True)
        except Exception as exc:  # one broken bench must not hide the others' figures
            failed += 1
            print(json.dumps({"bench": name, "error": f"{type(exc).__name__}: {exc}"}), flush=True)
        print(json.dumps({"bench": name, "wall_s": round(time.perf_counter() - started, 2)}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
