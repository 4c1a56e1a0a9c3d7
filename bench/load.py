"""Bounded closed-loop load: N worker threads call until a deadline or a call budget is spent."""

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Call = Callable[[], None]
# A worker that fails this many calls in a row stops: a broken contender must not spin.
MAX_CONSECUTIVE_ERRORS = 20


_merge_lock = threading.Lock()


class CallFailed(Exception):
    """A call answered, but not with what the contender expects (an HTTP error status …)."""


@dataclass
class Run:
    """What one bounded run of one contender measured."""

    calls: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    first_error: str = ""


def _worker(
    call: Call, deadline: float, budget: "itertools.count[int]", max_calls: int, run: Run
) -> None:
    latencies: list[float] = []
    errors = consecutive = 0
    first_error = ""
    while time.perf_counter() < deadline and next(budget) < max_calls:
        started = time.perf_counter()
        try:
            call()
        except Exception as error:  # any failure is counted, never fatal
            errors += 1
            consecutive += 1
            first_error = first_error or f"{type(error).__name__}: {error}"[:200]
            if consecutive >= MAX_CONSECUTIVE_ERRORS:
                break
            continue
        consecutive = 0
        latencies.append(time.perf_counter() - started)
    with _merge_lock:
        run.latencies.extend(latencies)
        run.calls += len(latencies)
        run.errors += errors
        run.first_error = run.first_error or first_error


def run_load(calls: list[Call], *, seconds: float, max_calls: int) -> Run:
    """Runs one thread per call function until `seconds` pass or `max_calls` are made."""
    run = Run()
    budget = itertools.count()
    start = threading.Barrier(len(calls) + 1)
    deadline_box: list[float] = []

    def body(call: Call) -> None:
        start.wait()
        _worker(call, deadline_box[0], budget, max_calls, run)

    threads = [
        threading.Thread(target=body, args=(call,), name=f"load-{index}", daemon=True)
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline_box.append(began + seconds)
    start.wait()
    # Every call has its own timeout, so the workers end within seconds + that timeout.
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - began
    return run


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The value at `fraction` (0..1) of sorted values (nearest rank); NaN when empty."""
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]
