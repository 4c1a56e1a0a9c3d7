"""The HTTP side of `serve`: health, metrics and (mounted) vendor facades, run by uvicorn."""

import math
import socket
import threading

import uvicorn
from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Receive, Scope, Send


class PrefixDispatcher:
    """Hands each request to the facade whose prefix its path starts with, else to `root`.

    It does what Starlette's Mount does for a path prefix, without running the root app's own
    middleware stack in front of every facade request.
    """

    def __init__(self, root: ASGIApp, mounts: dict[str, ASGIApp]) -> None:
        self._root = root
        self._mounts = sorted(mounts.items(), key=lambda item: -len(item[0]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            path: str = scope["path"]
            for prefix, app in self._mounts:
                if path == prefix or path.startswith(prefix + "/"):
                    root_path = scope.get("root_path", "")
                    child = {
                        **scope,
                        "app_root_path": scope.get("app_root_path", root_path),
                        "root_path": root_path + prefix,
                    }
                    await app(child, receive, send)
                    return
        await self._root(scope, receive, send)


def build_http_app(*, mounts: dict[str, FastAPI] | None = None) -> ASGIApp:
    """/healthz, /metrics, and each facade under its prefix."""
    app = FastAPI(title="Orderbridge", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return PrefixDispatcher(app, dict(mounts or {})) if mounts else app


# What stop waits when no grace period is given, and how long closing takes past it.
DEFAULT_GRACE_SECONDS = 30.0
_CLOSING_SECONDS = 2.0


class HttpServer:
    """uvicorn on a socket bound up front (so port 0 works), in a background thread."""

    def __init__(self, app: ASGIApp, *, host: str, port: int, reuse_port: bool = False) -> None:
        self._socket = socket.create_server((host, port), reuse_port=reuse_port)
        # asyncio sets TCP_NODELAY only on sockets it created with proto IPPROTO_TCP; this one
        # has proto 0, so every response would wait ~40 ms for the client's delayed ACK.
        # Accepted connections inherit the option.
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        # log_config=None: uvicorn's own lines go through the root logger (one JSON line each),
        # not through a plain-text handler of its own.
        config = uvicorn.Config(
            app, log_level="warning", access_log=False, lifespan="off", log_config=None
        )
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

    def stop(self, grace: float = DEFAULT_GRACE_SECONDS) -> None:
        """Stops intake and lets open requests finish for up to `grace` seconds; then closes
        whatever is left (a stalled upload, an idle keep-alive connection) and returns."""
        self._server.config.timeout_graceful_shutdown = math.ceil(grace)  # uvicorn counts seconds
        self._server.should_exit = True
        self._thread.join(grace + _CLOSING_SECONDS)
        if self._thread.is_alive():
            # Still waiting on connections past the grace period: uvicorn stops waiting.
            self._server.force_exit = True
            self._thread.join(_CLOSING_SECONDS)
