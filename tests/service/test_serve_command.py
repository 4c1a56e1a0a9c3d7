"""`orderbridge serve` with no credentials configured: a fresh development token, never open."""

import signal
from pathlib import Path

import grpc
import httpx
import pytest
from orderbridge.v1 import order_service_pb2, order_service_pb2_grpc

from service.settings import Settings, load_tokens, parse_tokens
from tests.service.processes import serving


def test_serve_without_tokens_prints_a_development_token_for_tenant_dev(tmp_path: Path) -> None:
    with serving(
        "--database-url", f"sqlite:///{tmp_path}/dev.db", environment={}, inherit_settings=False
    ) as server:
        assert server.process.stdout is not None
        announcement = server.process.stdout.readline()
        assert "development token for tenant 'dev'" in announcement
        token = announcement.rsplit(": ", 1)[1].strip()
        listening = server.listening
        assert listening["message"].startswith("orderbridge listening")
        with grpc.insecure_channel(f"127.0.0.1:{listening['grpc_port']}") as channel:
            stub = order_service_pb2_grpc.OrderServiceStub(channel)
            request = order_service_pb2.ListOrdersRequest(parent="tenants/dev")
            with pytest.raises(grpc.RpcError) as raised:
                stub.ListOrders(request, timeout=10)
            assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED
            listed = stub.ListOrders(
                request, metadata=(("authorization", f"Bearer {token}"),), timeout=10
            )
            assert list(listed.orders) == []
        health = httpx.get(f"http://127.0.0.1:{listening['http_port']}/healthz", timeout=10)
        assert health.json() == {"status": "ok"}
        metrics = httpx.get(f"http://127.0.0.1:{listening['http_port']}/metrics", timeout=10)
        assert (
            'grpc_server_handled_total{grpc_code="UNAUTHENTICATED",grpc_method="ListOrders",'
            'grpc_service="orderbridge.v1.OrderService",grpc_type="unary"} 1.0'
        ) in metrics.text
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(30) == 0


def test_tokens_come_from_the_variable_and_the_file(tmp_path: Path) -> None:
    tokens_file = tmp_path / "tokens"
    tokens_file.write_text("# partners\nfile-token=globex\n\n")
    settings = Settings(tokens="a=acme, b=initech", tokens_file=tokens_file)
    assert load_tokens(settings) == {"a": "acme", "b": "initech", "file-token": "globex"}


@pytest.mark.parametrize("text", ["no-equals", "=tenant", "token="])
def test_malformed_token_entries_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="token=tenant"):
        parse_tokens(text)
