"""The contenders: direct gRPC calls, vendor facades, the plain FastAPI peer, storage floors."""

import base64
import json
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import grpc
import httpx
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from bench.load import Call, CallFailed, Run
from bench.payloads import BodyTemplate, UniqueIds, canonical_order, facade_body

CALL_TIMEOUT = 10.0
READY_TIMEOUT = 30.0
LIST_PAGE_SIZE = 50
READ_SEEDS = 20
T = TypeVar("T")


@dataclass
class Contender:
    """One thing measured: its per-worker calls (None when skipped) and what it measured."""

    label: str
    backend: str
    calls: list[Call] | None
    cpu: Callable[[], float] | None
    note: str = ""
    kind: str = ""
    runs: list[Run] = field(default_factory=list)
    server_cpu: float = 0.0
    client_cpu: float = 0.0


def skipped(label: str, backend: str, note: str, kind: str = "") -> Contender:
    """A contender that is not there (a facade still being built …)."""
    return Contender(label=label, backend=backend, calls=None, cpu=None, note=note, kind=kind)


# ------------------------------------------------------------------------------ direct gRPC


def _metadata(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


class GrpcClients:
    """`channels` separate connections (no shared subchannel); worker i uses channel i % n."""

    def __init__(self, port: int, channels: int) -> None:
        options = [("grpc.use_local_subchannel_pool", 1)]
        self._channels = [
            grpc.insecure_channel(f"127.0.0.1:{port}", options=options) for _ in range(channels)
        ]
        self._stubs = [OrderServiceStub(channel) for channel in self._channels]
        for channel in self._channels:
            grpc.channel_ready_future(channel).result(timeout=READY_TIMEOUT)

    def stub(self, worker: int) -> OrderServiceStub:
        return self._stubs[worker % len(self._stubs)]

    def close(self) -> None:
        for channel in self._channels:
            channel.close()


@dataclass(frozen=True)
class Tenant:
    """A tenant the bench writes to, with its bearer token."""

    name: str
    token: str

    @property
    def parent(self) -> str:
        return f"tenants/{self.name}"


def seed_orders(
    clients: GrpcClients, tenant: Tenant, items: int, ids: UniqueIds, count: int
) -> list[order_pb2.Order]:
    """Creates `count` orders for the read contenders; returns them as stored."""
    stub = clients.stub(0)
    return [
        stub.CreateOrder(
            order_service_pb2.CreateOrderRequest(
                parent=tenant.parent, order=canonical_order(items, ids.next())
            ),
            metadata=_metadata(tenant.token),
            timeout=CALL_TIMEOUT,
        )
        for _ in range(count)
    ]


@dataclass(frozen=True)
class GrpcTarget:
    """Where one contender's direct calls go: the connections, the tenant, the id source."""

    clients: GrpcClients
    tenant: Tenant
    ids: UniqueIds

    @property
    def metadata(self) -> tuple[tuple[str, str], ...]:
        return _metadata(self.tenant.token)


def _renew(order: order_pb2.Order, ids: UniqueIds) -> None:
    """A new external reference (and number): the same order becomes a new one, no copying."""
    unique = ids.next()
    order.external_refs[0].id = unique
    order.order_number = f"ON-{unique}"


def _create_call(target: GrpcTarget, worker: int, items: int) -> Call:
    stub = target.clients.stub(worker)
    request = order_service_pb2.CreateOrderRequest(
        parent=target.tenant.parent, order=canonical_order(items, target.ids.next())
    )

    def call() -> None:
        _renew(request.order, target.ids)
        stub.CreateOrder(request, metadata=target.metadata, timeout=CALL_TIMEOUT)

    return call


def _upsert_call(target: GrpcTarget, worker: int, items: int) -> Call:
    stub = target.clients.stub(worker)
    request = order_service_pb2.UpsertOrderRequest(
        parent=target.tenant.parent,
        order=canonical_order(items, target.ids.next()),
        key_source="bench",
    )

    def call() -> None:
        _renew(request.order, target.ids)
        stub.UpsertOrder(request, metadata=target.metadata, timeout=CALL_TIMEOUT)

    return call


def _get_order_call(target: GrpcTarget, worker: int, names: list[str]) -> Call:
    stub = target.clients.stub(worker)
    requests = _cycle([order_service_pb2.GetOrderRequest(name=name) for name in names], worker)

    def call() -> None:
        stub.GetOrder(next(requests), metadata=target.metadata, timeout=CALL_TIMEOUT)

    return call


def _list_call(target: GrpcTarget, worker: int) -> Call:
    stub = target.clients.stub(worker)
    request = order_service_pb2.ListOrdersRequest(
        parent=target.tenant.parent, page_size=LIST_PAGE_SIZE
    )

    def call() -> None:
        response = stub.ListOrders(request, metadata=target.metadata, timeout=CALL_TIMEOUT)
        if len(response.orders) != LIST_PAGE_SIZE:
            raise CallFailed(f"a page of {len(response.orders)} orders")

    return call


def _cycle(values: Sequence[T], start: int) -> Iterator[T]:
    index = start
    while True:
        yield values[index % len(values)]
        index += 1


def grpc_contenders(
    clients: GrpcClients,
    cpu: Callable[[], float],
    backend: str,
    seeds: dict[int, tuple[Tenant, list[order_pb2.Order]]],
    ids: UniqueIds,
    workers: int,
) -> list[Contender]:
    """Create, Get and List per order size (one tenant each), and Upsert (what facades call)."""
    contenders = []
    for items, (tenant, orders) in seeds.items():
        target = GrpcTarget(clients, tenant, ids)
        names = [order.name for order in orders]
        each = range(workers)
        contenders += [
            Contender(
                label=f"grpc CreateOrder {items} items",
                backend=backend,
                calls=[_create_call(target, worker, items) for worker in each],
                cpu=cpu,
                kind=f"grpc.CreateOrder.{items}",
            ),
            Contender(
                label=f"grpc GetOrder {items} items",
                backend=backend,
                calls=[_get_order_call(target, worker, names) for worker in each],
                cpu=cpu,
                kind=f"grpc.GetOrder.{items}",
            ),
            Contender(
                label=f"grpc ListOrders {items} items (pages of {LIST_PAGE_SIZE})",
                backend=backend,
                calls=[_list_call(target, worker) for worker in each],
                cpu=cpu,
                kind=f"grpc.ListOrders.{items}",
            ),
        ]
    target = GrpcTarget(clients, seeds[5][0], ids)
    contenders.append(
        Contender(
            label="grpc UpsertOrder 5 items (new order)",
            backend=backend,
            calls=[_upsert_call(target, worker, 5) for worker in range(workers)],
            cpu=cpu,
            kind="grpc.UpsertOrder.5",
        )
    )
    return contenders


# ------------------------------------------------------------------------------ HTTP


def http_client(base_url: str, workers: int, ready_path: str = "") -> httpx.Client:
    """One pooled, keep-alive client shared by the worker threads, with TCP_NODELAY (as curl,
    Go and Node clients have) so that no client-side Nagle delay is measured.

    With `ready_path`, first waits (up to READY_TIMEOUT) until that path answers 200.
    """
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    transport = httpx.HTTPTransport(
        limits=limits, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
    )
    client = httpx.Client(base_url=base_url, transport=transport, timeout=CALL_TIMEOUT)
    if ready_path:
        _wait_ready(client, ready_path)
    return client


def _wait_ready(client: httpx.Client, path: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        try:
            if client.get(path).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{client.base_url}{path} not ready in {READY_TIMEOUT:g} s")
        time.sleep(0.05)


@dataclass(frozen=True)
class Door:
    """An HTTP write route, its read route (None: there is none), auth headers and body."""

    label: str
    kind: str
    write_path: str
    read_path: str | None
    headers: dict[str, str]
    body: BodyTemplate
    # The id the read route takes, from the unique id sent and the write's response.
    read_id: Callable[[str, httpx.Response], str]


def _sent_id(unique: str, _response: httpx.Response) -> str:
    return unique


def _response_id(_unique: str, response: httpx.Response) -> str:
    return str(response.json()["id"])


def _plain_id(_unique: str, response: httpx.Response) -> str:
    return str(response.json()["ids"][0])


def vendor_doors(tenant: Tenant) -> list[Door]:
    """The four vendor doors as DESIGN.md §4 describes them, for one tenant."""
    json_type = {"content-type": "application/json"}
    basic = base64.b64encode(f"{tenant.token}:".encode()).decode()
    site_context = json.dumps({"account": tenant.name})
    bigcommerce = f"/bigcommerce/stores/{tenant.name}/v2/orders"
    return [
        Door(
            label="facade jirafe",
            kind="facade.jirafe",
            write_path=f"/jirafe/v2/{tenant.name}/order",
            read_path=None,
            headers={**json_type, "authorization": f"Bearer {tenant.token}"},
            body=facade_body("jirafe"),
            read_id=_sent_id,
        ),
        Door(
            label="facade drip",
            kind="facade.drip",
            write_path=f"/drip/v2/{tenant.name}/orders",
            read_path=None,
            headers={**json_type, "authorization": f"Basic {basic}"},
            body=facade_body("drip"),
            read_id=_sent_id,
        ),
        Door(
            label="facade fabric",
            kind="facade.fabric",
            write_path="/fabric/api-order/subscriptions/orders",
            read_path="/fabric/api-order/orders/orderNumber/{id}",
            headers={**json_type, "x-api-key": tenant.token, "x-site-context": site_context},
            body=facade_body("fabric"),
            read_id=_sent_id,
        ),
        Door(
            label="facade bigcommerce",
            kind="facade.bigcommerce",
            write_path=bigcommerce,
            read_path=bigcommerce + "/{id}",
            headers={**json_type, "x-auth-token": tenant.token, "accept": "application/json"},
            body=facade_body("bigcommerce"),
            read_id=_response_id,
        ),
    ]


def plain_door() -> Door:
    """The plain FastAPI + SQLModel peer, sent the same body as the Drip facade."""
    return Door(
        label="plain FastAPI+SQLModel (drip JSON)",
        kind="plain",
        write_path="/v2/bench/orders",
        read_path="/v2/bench/orders/{id}",
        headers={"content-type": "application/json"},
        body=facade_body("drip"),
        read_id=_plain_id,
    )


def _check(response: httpx.Response) -> httpx.Response:
    if not response.is_success:
        raise CallFailed(f"{response.status_code} {response.text[:120]}")
    return response


def _post_call(http: httpx.Client, door: Door, ids: UniqueIds) -> Call:
    def call() -> None:
        _check(
            http.post(door.write_path, content=door.body.render(ids.next()), headers=door.headers)
        )

    return call


def _get_call(http: httpx.Client, door: Door, paths: list[str], worker: int) -> Call:
    cycle = _cycle(paths, worker)

    def call() -> None:
        _check(http.get(next(cycle), headers=door.headers))

    return call


def _refusal(response: httpx.Response) -> str:
    if response.status_code == 404:
        return "skipped: facade not there yet (404)"
    return f"skipped: answered {response.status_code} {response.text[:100]!r}"


def _seed_reads(http: httpx.Client, door: Door, read_path: str, ids: UniqueIds) -> list[str]:
    paths = []
    for _ in range(READ_SEEDS):
        unique = ids.next()
        response = _check(
            http.post(door.write_path, content=door.body.render(unique), headers=door.headers)
        )
        paths.append(read_path.format(id=door.read_id(unique, response)))
    return paths


def door_contenders(
    http: httpx.Client, door: Door, ids: UniqueIds, workers: int, cpu: Callable[[], float]
) -> list[Contender]:
    """Probes the write route (a 404 skips the door), seeds reads, probes the read route."""
    write_label, read_label = f"{door.label} write", f"{door.label} read"
    probe = http.post(door.write_path, content=door.body.render(ids.next()), headers=door.headers)
    if not probe.is_success:
        write = skipped(write_label, "sqlite", _refusal(probe), f"{door.kind}.write")
        return [write, skipped(read_label, "sqlite", write.note, f"{door.kind}.read")]
    write = Contender(
        label=write_label,
        backend="sqlite",
        calls=[_post_call(http, door, ids) for _ in range(workers)],
        cpu=cpu,
        kind=f"{door.kind}.write",
    )
    if door.read_path is None:
        return [write, skipped(read_label, "sqlite", "n/a: the vendor API has no read route")]
    try:
        paths = _seed_reads(http, door, door.read_path, ids)
    except (CallFailed, LookupError, TypeError, ValueError) as error:
        note = f"skipped: seeding reads failed: {error!r}"[:160]
        return [write, skipped(read_label, "sqlite", note, f"{door.kind}.read")]
    check = http.get(paths[0], headers=door.headers)
    if not check.is_success:
        return [write, skipped(read_label, "sqlite", _refusal(check), f"{door.kind}.read")]
    read = Contender(
        label=read_label,
        backend="sqlite",
        calls=[_get_call(http, door, paths, worker) for worker in range(workers)],
        cpu=cpu,
        kind=f"{door.kind}.read",
    )
    return [write, read]


def floor_contender(
    label: str, backend: str, make_call: Callable[[], Call], workers: int
) -> Contender:
    """A storage floor run in this process (its CPU is this process's CPU)."""
    return Contender(
        label=label,
        backend=backend,
        calls=[make_call() for _ in range(workers)],
        cpu=time.process_time,
        note="in-process",
        kind=f"floor.{backend}.{workers}",
    )
