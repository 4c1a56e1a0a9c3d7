"""The drill's ledger of acknowledged writes and its audit of stored orders: pure, no I/O."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from orderbridge.v1 import order_pb2

Line = tuple[str, int, int]  # sku, quantity, unit price in cents


@dataclass(frozen=True)
class Content:
    """What one write put in an order: its lines and total (cents), and its staff note."""

    lines: tuple[Line, ...]
    total_cents: int
    note: str = ""


def content_of(order: order_pb2.Order) -> Content:
    """The part of a stored order the drill wrote."""
    lines = tuple(
        (line.sku, int(line.quantity), cents(line.unit_price)) for line in order.line_items
    )
    return Content(lines, cents(order.total), order.staff_notes)


def cents(money: order_pb2.Money) -> int:
    # The drill writes whole cents only, so nanos are always a multiple of 10_000_000.
    return money.units * 100 + money.nanos // 10_000_000


def money(amount_cents: int) -> order_pb2.Money:
    units, rest = divmod(amount_cents, 100)
    return order_pb2.Money(currency_code="USD", units=units, nanos=rest * 10_000_000)


def is_consistent(content: Content) -> bool:
    """Whether the total is the sum of the lines (every drill write keeps them in step)."""
    return content.total_cents == sum(quantity * price for _, quantity, price in content.lines)


def race_content(count: int) -> Content:
    """The race order after `count` increments: count + 1 lines, the count in the note."""
    lines = tuple((f"R{index}", 1, 100) for index in range(count + 1))
    return Content(lines, 100 * (count + 1), str(count))


@dataclass
class Ledger:
    """What the clients were told, per order key (the order number): the drill's ground truth.

    Every key but the race key has one writer at a time, so its acknowledged contents are in
    commit order and the last one is what must be stored. `unresolved` holds writes that never
    got an answer: the store may or may not show them.
    """

    acknowledged: dict[str, list[Content]] = field(default_factory=dict)
    unresolved: dict[str, list[Content]] = field(default_factory=dict)
    race_key: str = ""
    race_targets: list[int] = field(default_factory=list)
    race_unresolved: int = 0

    def acknowledge(self, key: str, content: Content) -> None:
        self.acknowledged.setdefault(key, []).append(content)

    def leave_unresolved(self, key: str, content: Content) -> None:
        self.unresolved.setdefault(key, []).append(content)

    @property
    def acknowledged_writes(self) -> int:
        return sum(len(contents) for contents in self.acknowledged.values()) + len(
            self.race_targets
        )


@dataclass
class Findings:
    """What the audit found wrong; `details` says where, for the report."""

    lost: int = 0
    duplicated: int = 0
    partial: int = 0
    details: list[str] = field(default_factory=list)


def audit(ledger: Ledger, stored: Iterable[order_pb2.Order]) -> Findings:
    """Every acknowledged order present once, holding its last acknowledged content, whole."""
    by_key: dict[str, list[order_pb2.Order]] = {}
    for order in stored:
        by_key.setdefault(order.order_number, []).append(order)
    findings = Findings()
    for key, contents in ledger.acknowledged.items():
        if key == ledger.race_key:
            continue
        _audit_key(key, by_key.get(key, []), contents, ledger.unresolved.get(key, []), findings)
    if ledger.race_key:
        _audit_race(ledger, by_key.get(ledger.race_key, []), findings)
    return findings


def _audit_key(
    key: str,
    found: list[order_pb2.Order],
    acknowledged: list[Content],
    unresolved: list[Content],
    findings: Findings,
) -> None:
    if not found:
        findings.lost += 1
        findings.details.append(f"lost: {key} (acknowledged {len(acknowledged)} writes)")
        return
    if len(found) > 1:
        findings.duplicated += len(found) - 1
        findings.details.append(f"duplicated: {key} stored {len(found)} times")
    stored = content_of(found[0])
    if stored == acknowledged[-1] or stored in unresolved:
        return
    if stored in acknowledged:
        # An older acknowledged write shows: the last acknowledged one was lost.
        findings.lost += 1
        findings.details.append(f"lost update: {key} shows write {acknowledged.index(stored)}")
    else:
        findings.partial += 1
        findings.details.append(f"partial: {key} stored {stored}, acknowledged {acknowledged[-1]}")


def _audit_race(ledger: Ledger, found: list[order_pb2.Order], findings: Findings) -> None:
    """Two clients incremented one counter with etags: each value acknowledged once, none lost."""
    key = ledger.race_key
    if len(found) != 1:
        findings.lost += not found
        findings.duplicated += max(0, len(found) - 1)
        findings.details.append(f"race order {key} stored {len(found)} times")
        return
    twice = sum(count - 1 for count in Counter(ledger.race_targets).values())
    if twice:
        # Two acknowledged updates wrote the same next value: one overwrote the other.
        findings.lost += twice
        findings.details.append(f"lost update: race {key}, {twice} increments acknowledged twice")
    stored = content_of(found[0])
    acknowledged = len(ledger.race_targets)
    allowed = [race_content(acknowledged + extra) for extra in range(ledger.race_unresolved + 1)]
    if stored in allowed:
        return
    if not is_consistent(stored) or stored.note != str(len(stored.lines) - 1):
        findings.partial += 1
        findings.details.append(f"partial: race {key} stored {stored}")
    elif len(stored.lines) - 1 < acknowledged:
        findings.lost += acknowledged - (len(stored.lines) - 1)
        findings.details.append(f"lost: race {key} at {stored.note}, acknowledged {acknowledged}")
    else:
        findings.duplicated += len(stored.lines) - 1 - acknowledged
        findings.details.append(
            f"duplicated: race {key} at {stored.note}, acknowledged {acknowledged}"
        )
