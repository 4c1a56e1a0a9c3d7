"""Facts about the machine and the code a run was measured on."""

import os
import platform
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench.procs import REPO


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _git_revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}{' (uncommitted changes)' if dirty else ''}"


def facts() -> list[str]:
    """CPU, cores, load, Python, SQLite, date and code revision, one per line."""
    usable = len(os.sched_getaffinity(0))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        f"date      {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"cpu       {_cpu_model()}, {os.cpu_count()} cores ({usable} usable)",
        f"load avg  {load} (other work on the machine adds noise)",
        f"python    {sys.version.split()[0]} ({platform.python_implementation()})",
        f"os        {platform.platform()}",
        f"sqlite    {sqlite3.sqlite_version}",
        f"code      {_git_revision()}",
    ]
