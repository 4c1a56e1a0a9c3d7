"""TLS and mutual TLS on gRPC, HTTPS on the HTTP port, and serve-facade over TLS to a remote
service; every certificate is made by the test (trustme)."""

import os
import signal
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import httpx
import pytest
import trustme
from grpc_health.v1 import health_pb2, health_pb2_grpc
from orderbridge.v1 import order_pb2, order_service_pb2, order_service_pb2_grpc

from service.database import open_database
from service.migrate import upgrade
from service.server import GrpcServer, start_grpc_server
from service.tls import TlsFiles
from tests.conftest import ACME, TOKENS
from tests.service.processes import place_jirafe_order_through_facade, serving

EVENT = Path(__file__).parents[1] / "adapters" / "jirafe" / "examples" / "order-accepted.json"


@dataclass(frozen=True)
class Pki:
    """A CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files."""

    ca: Path
    cert: Path
    key: Path
    client_cert: Path
    client_key: Path
    stranger_cert: Path  # signed by another CA
    stranger_key: Path


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    ca, other_ca = trustme.CA(), trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    client = ca.issue_cert("client.orderbridge.test")
    stranger = other_ca.issue_cert("stranger.orderbridge.test")
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    server.private_key_and_cert_chain_pem.write_to_path(str(folder / "server.pem"))
    server.private_key_pem.write_to_path(str(folder / "server.key"))
    client.private_key_pem.write_to_path(str(folder / "client.key"))
    stranger.private_key_pem.write_to_path(str(folder / "stranger.key"))
    for name, issued in (("server", server), ("client", client), ("stranger", stranger)):
        with (folder / f"{name}.crt").open("wb") as chain:
            for blob in issued.cert_chain_pems:
                chain.write(blob.bytes())
    return Pki(
        ca=folder / "ca.pem",
        cert=folder / "server.crt",
        key=folder / "server.key",
        client_cert=folder / "client.crt",
        client_key=folder / "client.key",
        stranger_cert=folder / "stranger.crt",
        stranger_key=folder / "stranger.key",
    )


def _server(tmp_path: Path, tls: TlsFiles) -> Iterator[GrpcServer]:
    database = open_database(f"sqlite:///{tmp_path}/tls.db")
    upgrade(database)
    server = start_grpc_server(database=database, tokens=TOKENS, host="127.0.0.1", port=0, tls=tls)
    yield server
    server.stop(0)


@pytest.fixture
def tls_server(tmp_path: Path, pki: Pki) -> Iterator[GrpcServer]:
    yield from _server(tmp_path, TlsFiles(cert_file=pki.cert, key_file=pki.key))


@pytest.fixture
def mtls_server(tmp_path: Path, pki: Pki) -> Iterator[GrpcServer]:
    yield from _server(
        tmp_path, TlsFiles(cert_file=pki.cert, key_file=pki.key, client_ca_file=pki.ca)
    )


def _credentials(
    pki: Pki, *, cert: Path | None = None, key: Path | None = None
) -> grpc.ChannelCredentials:
    return grpc.ssl_channel_credentials(
        root_certificates=pki.ca.read_bytes(),
        private_key=key.read_bytes() if key else None,
        certificate_chain=cert.read_bytes() if cert else None,
    )


def _list_orders(channel: grpc.Channel) -> order_service_pb2.ListOrdersResponse:
    stub = order_service_pb2_grpc.OrderServiceStub(channel)
    request = order_service_pb2.ListOrdersRequest(parent="tenants/acme")
    response: order_service_pb2.ListOrdersResponse = stub.ListOrders(
        request, metadata=ACME, timeout=10
    )
    return response


def _refused(channel: grpc.Channel) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as raised:
        _list_orders(channel)
    code: grpc.StatusCode = raised.value.code()
    return code


def test_a_client_trusting_the_ca_speaks_tls_and_a_plaintext_client_is_refused(
    tls_server: GrpcServer, pki: Pki
) -> None:
    address = f"127.0.0.1:{tls_server.port}"
    with grpc.secure_channel(address, _credentials(pki)) as channel:
        assert list(_list_orders(channel).orders) == []
        health = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service="orderbridge.v1.OrderService"), timeout=10
        )
        assert health.status == health_pb2.HealthCheckResponse.SERVING
    with grpc.insecure_channel(address) as channel:
        assert _refused(channel) == grpc.StatusCode.UNAVAILABLE


def test_with_a_client_ca_only_clients_with_a_certificate_it_signed_get_in(
    mtls_server: GrpcServer, pki: Pki
) -> None:
    address = f"127.0.0.1:{mtls_server.port}"
    with grpc.secure_channel(address, _credentials(pki)) as channel:
        assert _refused(channel) == grpc.StatusCode.UNAVAILABLE
    stranger = _credentials(pki, cert=pki.stranger_cert, key=pki.stranger_key)
    with grpc.secure_channel(address, stranger) as channel:
        assert _refused(channel) == grpc.StatusCode.UNAVAILABLE
    client = _credentials(pki, cert=pki.client_cert, key=pki.client_key)
    with grpc.secure_channel(address, client) as channel:
        assert list(_list_orders(channel).orders) == []


def test_serve_speaks_https_and_mutual_tls_grpc_from_the_tls_variables(
    tmp_path: Path, pki: Pki
) -> None:
    environment = {
        "ORDERBRIDGE_TOKENS": "token-acme=acme",
        "ORDERBRIDGE_TLS_CERT_FILE": str(pki.cert),
        "ORDERBRIDGE_TLS_KEY_FILE": str(pki.key),
        "ORDERBRIDGE_TLS_CLIENT_CA_FILE": str(pki.ca),
    }
    arguments = ("--host", "127.0.0.1", "--database-url", f"sqlite:///{tmp_path}/served.db")
    with serving(*arguments, environment=environment) as server:
        http_port, grpc_port = server.listening["http_port"], server.listening["grpc_port"]
        trusting = ssl.create_default_context(cafile=str(pki.ca))
        ready = httpx.get(f"https://127.0.0.1:{http_port}/readyz", verify=trusting, timeout=10)
        assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
        with pytest.raises(httpx.ConnectError):  # our CA is no system root
            httpx.get(f"https://127.0.0.1:{http_port}/livez", timeout=10)
        client = _credentials(pki, cert=pki.client_cert, key=pki.client_key)
        with grpc.secure_channel(f"127.0.0.1:{grpc_port}", client) as channel:
            assert list(_list_orders(channel).orders) == []
        with grpc.secure_channel(f"127.0.0.1:{grpc_port}", _credentials(pki)) as channel:
            assert _refused(channel) == grpc.StatusCode.UNAVAILABLE
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(30) == 0


def test_serve_facade_reaches_a_mutual_tls_service_with_the_target_files(
    mtls_server: GrpcServer, pki: Pki
) -> None:
    environment = {
        "ORDERBRIDGE_GRPC_TARGET_CA_FILE": str(pki.ca),
        "ORDERBRIDGE_GRPC_TARGET_CERT_FILE": str(pki.client_cert),
        "ORDERBRIDGE_GRPC_TARGET_KEY_FILE": str(pki.client_key),
        "PATH": "/usr/bin:/bin",
    }
    command = [sys.executable, "-m", "service.cli", "serve-facade", "jirafe"]
    command += ["--grpc-target", f"127.0.0.1:{mtls_server.port}", "--http-port", "0"]
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=environment
    )
    assert process.stderr is not None
    try:
        order_number = place_jirafe_order_through_facade(process, EVENT)
        client = _credentials(pki, cert=pki.client_cert, key=pki.client_key)
        with grpc.secure_channel(f"127.0.0.1:{mtls_server.port}", client) as channel:
            stored = order_service_pb2_grpc.OrderServiceStub(channel).LookupOrder(
                order_service_pb2.LookupOrderRequest(
                    parent="tenants/acme",
                    external_ref=order_pb2.ExternalRef(source="jirafe", id=order_number),
                ),
                metadata=ACME,
                timeout=10,
            )
        assert stored.order_number == order_number
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        process.stderr.close()


def test_tls_flags_reach_every_worker(tmp_path: Path, pki: Pki) -> None:
    arguments = (
        *("--host", "127.0.0.1", "--workers", "2"),
        *("--database-url", f"sqlite:///{tmp_path}/workers.db"),
        *("--tls-cert-file", str(pki.cert), "--tls-key-file", str(pki.key)),
    )
    with serving(
        *arguments,
        environment={"ORDERBRIDGE_TOKENS": "token-acme=acme"},
        ready=lambda lines: len(lines) == 3,  # the supervisor and both workers
    ) as server:
        (supervisor,) = [line for line in server.listening_lines if "workers" in line]
        address = f"127.0.0.1:{supervisor['grpc_port']}"
        # A fresh channel per call is a fresh connection, which may land on either worker.
        for _ in range(6):
            with grpc.secure_channel(
                address, _credentials(pki), options=[("grpc.use_local_subchannel_pool", 1)]
            ) as channel:
                assert list(_list_orders(channel).orders) == []
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(60) == 0


def test_a_key_that_does_not_fit_its_certificate_is_one_line_and_exit_status_2(
    tmp_path: Path, pki: Pki
) -> None:
    command = [sys.executable, "-m", "service.cli", "serve"]
    command += ["--database-url", f"sqlite:///{tmp_path}/mismatch.db"]
    command += ["--tls-cert-file", str(pki.cert), "--tls-key-file", str(pki.client_key)]
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("ORDERBRIDGE_")}
    environment = {**inherited, "ORDERBRIDGE_TOKENS": "token-acme=acme"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=environment)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        f"orderbridge serve: {pki.cert} and {pki.client_key} do not load as a PEM certificate "
        "and its key: [X509: KEY_VALUES_MISMATCH] key values mismatch"
    )
