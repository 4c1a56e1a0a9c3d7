"""The HTTP side of `serve`: health, metrics and (mounted) vendor facades, run by uvicorn."""

import socket
import threading

import uvicorn
from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest


def build_http_app(*, mounts: dict[str, FastAPI] | None = None) -> FastAPI:
    """The root app: /healthz, /metrics, and each facade under its prefix."""
    app = FastAPI(title="Orderbridge", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    for prefix, facade in (mounts or {}).items():
        app.mount(prefix, facade)
    return app


class HttpServer:
    """uvicorn on a socket bound up front (so port 0 works), in a background thread."""

    def __init__(self, app: Any, *, host: str, port: int, reuse_port: bool = False) -> None:
        self._socket = socket.create_server((host, port), reuse_port=reuse_port)
        # asyncio sets TCP_NODELAY only on sockets it created with proto IPPROTO_TCP; this one
        # has proto 0, so every response would wait ~40 ms for the client's delayed ACK.
        # Accepted connections inherit the option.
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="http", daemon=True)

    def _run(self) -> None:
        # Server.run picks uvloop and httptools when installed (the uvicorn[standard] extra).
        self._server.run(sockets=[self._socket])

    def start(self) -> None:
        """Starts serving; returns once uvicorn has started."""
        self._thread.start()
        while not self._server.started and self._thread.is_alive():
            self._thread.join(0.01)

    def stop(self) -> None:
        """Finishes open requests and stops."""
        self._server.should_exit = True
        self._thread.join(30)
