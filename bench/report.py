"""Summaries, tables and the final `ratios:` line."""

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bench.contenders import Contender
from bench.load import percentile
from bench.translation import Translation

MIB = 1024 * 1024


@dataclass(frozen=True)
class Summary:
    """One contender over all its rounds."""

    throughput: float
    spread: float
    p50_ms: float
    p99_ms: float
    server_us: float
    client_us: float
    calls: int
    errors: int


def summarize(contender: Contender) -> Summary | None:
    """None for a contender that was skipped or never completed a call."""
    calls = sum(run.calls for run in contender.runs)
    if not calls:
        return None
    seconds = sum(run.seconds for run in contender.runs)
    per_round = [run.calls / run.seconds for run in contender.runs if run.seconds > 0]
    median = statistics.median(per_round)
    latencies = sorted(latency for run in contender.runs for latency in run.latencies)
    return Summary(
        throughput=calls / seconds,
        spread=(max(per_round) - min(per_round)) / median if median else math.nan,
        p50_ms=percentile(latencies, 0.50) * 1e3,
        p99_ms=percentile(latencies, 0.99) * 1e3,
        server_us=contender.server_cpu / calls * 1e6,
        client_us=contender.client_cpu / calls * 1e6,
        calls=calls,
        errors=sum(run.errors for run in contender.runs),
    )


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    for row in rows:
        cells = [
            cell.ljust(width) if i in (0, 1, len(row) - 1) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _number(value: float, digits: int = 0) -> str:
    return "-" if math.isnan(value) else f"{value:,.{digits}f}"


def _note(contender: Contender, summary: Summary | None) -> str:
    notes = [contender.note] if contender.note else []
    errors = sum(run.errors for run in contender.runs)
    first = next((run.first_error for run in contender.runs if run.first_error), "")
    if errors:
        notes.append(f"{errors} errors, first: {first}")
    if summary is None and not notes:
        notes.append("no call completed")
    return "; ".join(notes)


def load_table(contenders: Sequence[Contender], direct: float) -> list[str]:
    """One row per contender, with its throughput as a multiple of direct gRPC create."""
    header = (
        "contender", "db", "calls/s", "±rounds", "p50 ms", "p99 ms",
        "srv CPU µs/call", "bench CPU µs/call", "÷ grpc create 5 sqlite", "calls", "note",
    )  # fmt: skip
    rows = []
    for contender in contenders:
        summary = summarize(contender)
        note = _note(contender, summary)
        if summary is None:
            rows.append((contender.label, contender.backend, *["-"] * 8, note))
            continue
        rows.append(
            (
                contender.label,
                contender.backend,
                _number(summary.throughput),
                f"{summary.spread * 100:.0f}%",
                _number(summary.p50_ms, 2),
                _number(summary.p99_ms, 2),
                _number(summary.server_us),
                _number(summary.client_us),
                _number(summary.throughput / direct, 2) if direct else "-",
                str(summary.calls),
                note,
            )
        )
    return _table(header, rows)


def translation_table(results: Sequence[Translation]) -> list[str]:
    """µs per 5-item order round trip, per vendor."""
    header = ("vendor", "proto bytes", "JSON→Order→JSON µs", "with bytes parse+write µs", "note")
    rows = [
        (
            result.vendor,
            str(result.proto_bytes),
            _number(result.best_dict_us),
            _number(result.best_bytes_us),
            "POST body → Order → GET order" if result.vendor == "bigcommerce" else "",
        )
        for result in results
    ]
    return _table(header, rows)


@dataclass(frozen=True)
class Memory:
    """A server process's resident memory at the start and the end of the run."""

    name: str
    pid: int
    start: int
    end: int
    errors_logged: int


def memory_table(memories: Sequence[Memory]) -> list[str]:
    header = ("server", "pid", "RSS start MiB", "RSS end MiB", "growth MiB", "errors logged")
    rows = [
        (
            memory.name,
            str(memory.pid),
            f"{memory.start / MIB:.1f}",
            f"{memory.end / MIB:.1f}",
            f"{(memory.end - memory.start) / MIB:+.1f}",
            str(memory.errors_logged),
        )
        for memory in memories
    ]
    return _table(header, rows)


def throughput(contenders: Sequence[Contender], kind: str, backend: str = "sqlite") -> float:
    """The throughput of the contender of that kind and backend; NaN when it did not run."""
    for contender in contenders:
        if contender.kind == kind and contender.backend == backend:
            summary = summarize(contender)
            return summary.throughput if summary else math.nan
    return math.nan


def _mean(values: Sequence[float]) -> float:
    present = [value for value in values if not math.isnan(value)]
    return statistics.fmean(present) if present else math.nan


def ratios_line(contenders: Sequence[Contender], translations: Sequence[Translation]) -> str:
    """The last line: facade/direct, direct/floor, facade/plain FastAPI, the slowest translation
    and each vendor's."""
    direct = throughput(contenders, "grpc.CreateOrder.5")
    facade_kinds = {c.kind for c in contenders if c.kind.startswith("facade.")}
    facade = _mean(
        [throughput(contenders, kind) for kind in sorted(facade_kinds) if kind.endswith(".write")]
    )
    floors = [
        throughput(contenders, c.kind) for c in contenders if c.kind.startswith("floor.sqlite")
    ]
    floor = max((value for value in floors if not math.isnan(value)), default=math.nan)
    plain = throughput(contenders, "plain.write")
    # The translation issue's figure: vendor JSON bytes → Order → vendor JSON bytes, 5 items.
    slowest = max((result.best_bytes_us for result in translations), default=math.nan)
    per_vendor = " ".join(
        f"translate_us_{result.vendor}={_microseconds(result.best_bytes_us)}"
        for result in translations
    )
    return (
        f"ratios: facade_vs_direct={facade / direct:.2f} "
        f"create_vs_sqlite_floor={direct / floor:.2f} "
        f"facade_vs_plain_fastapi={facade / plain:.2f} translate_us={_microseconds(slowest)}"
        + (f" {per_vendor}" if per_vendor else "")
    )


def _microseconds(value: float) -> str:
    return "nan" if math.isnan(value) else str(round(value))
