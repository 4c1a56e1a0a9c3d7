"""The HTTP side of `serve`: health, metrics and (mounted) vendor facades, run by uvicorn with
bounded connections; it knows no door and no settings."""

import asyncio
import math
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.health import READY, Readiness
from service.observability import metrics_response
from service.tls import TlsFiles, uvicorn_ssl_options


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


def build_http_app(
    *,
    mounts: dict[str, FastAPI] | None = None,
    readiness: Callable[[], Readiness] = lambda: READY,
) -> ASGIApp:
    """/livez and /healthz (the process answers), /readyz (`readiness`: 200, or 503 with the
    reason), /metrics, and each facade under its prefix."""
    app = FastAPI(title="Orderbridge", docs_url=None, redoc_url=None, openapi_url=None)

    # Liveness answers from the event loop alone: a restart cures none of what readiness
    # reports (a database away, a schema behind), so it must not depend on them. /healthz is
    # the older name, kept for existing clients and the image's HEALTHCHECK.
    @app.get("/livez")
    @app.get("/healthz")
    async def livez() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> Response:
        current = readiness()
        if current.ready:
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "not ready", "reason": current.reason}, status_code=503)

    @app.get("/metrics")
    def metrics() -> Response:
        body, content_type = metrics_response()
        return Response(body, media_type=content_type)

    return PrefixDispatcher(app, dict(mounts or {})) if mounts else app


@dataclass(frozen=True)
class HttpLimits:
    """How long a client may take and how many connections it may hold (docs/http-limits.md)."""

    # Seconds from a connection's opening, or from the first byte of its next request, to the
    # end of that request's head. Real clients send a head in one packet; 10 s covers a slow
    # mobile link, and a slow-loris trickle cannot extend it (nginx and Go's ReadHeaderTimeout
    # work the same way).
    header_timeout: float = 10.0
    # Seconds the app may wait for the next body chunk. An idle timeout, not a total: a large
    # batch on a slow link keeps going as long as bytes keep coming.
    body_timeout: float = 30.0
    # Seconds an idle connection stays open between requests (uvicorn's own default; whole
    # seconds, as uvicorn counts them). Behind a pooling load balancer, set it above the
    # balancer's idle timeout, or the balancer may reuse a connection as it closes.
    keepalive: int = 5
    # Connections served at once; past it a request is answered 503. The doors serve about
    # 200 writes/s per process with a 10 s deadline, so ~2,000 requests can usefully wait;
    # more connections only hold file descriptors.
    max_connections: int = 2048
    # Bytes a request head may have. httptools itself has no cap (20 MB of headers were read
    # and answered); 64 KiB is four times nginx's default large_client_header_buffers (4 × 8k)
    # and far above any real client's head. Past it: 431 and the connection closed.
    max_header_bytes: int = 65536


class _BoundedHeadProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing a connection whose request head is not complete
    within `head_timeout` seconds.

    uvicorn has no such timeout (its keep-alive timer runs only between requests and any byte
    stops it; see uvicorn issue #157), so a client that opens a connection and sends nothing, or
    trickles a head, held it forever. The timer starts when the connection opens or a request's
    first byte arrives, later bytes do not restart it, and the head's end stops it. The close is
    silent, as nginx and Go do: no request was read to answer.
    """

    head_timeout: float = HttpLimits.header_timeout
    head_limit: int = HttpLimits.max_header_bytes
    _head_timer: asyncio.TimerHandle | None = None
    _head_bytes: int = 0

    # The ignore is uvicorn's own: it narrows asyncio's BaseTransport to a Transport.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_head_timer()

    def data_received(self, data: bytes) -> None:
        # Between requests (none yet, or the last one answered) any byte begins a head, even
        # bytes the parser skips before a request line or a body left unread by the app.
        if self.cycle is None or self.cycle.response_complete:
            self._start_head_timer()
        if self._head_timer is not None:
            self._head_bytes += len(data)
        super().data_received(data)
        # Still no end of head after all these bytes: every one of them was head.
        if self._head_timer is not None and self._head_bytes > self.head_limit:
            self._refuse_head()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._start_head_timer()  # a pipelined request's head, behind one still running

    def on_headers_complete(self) -> None:
        self._stop_head_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def _start_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_bytes = 0
            self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def _refuse_head(self) -> None:
        """RFC 6585 §5: 431 for header fields too large; the rest of the head is not read."""
        self._stop_head_timer()
        if not self.transport.is_closing():
            self.transport.write(_HEAD_TOO_LARGE)
            self.transport.close()


_HEAD_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\ncontent-length: 31\r\nconnection: close\r\n\r\n"
    b"Request Header Fields Too Large"
)


def _protocol_with_head_limits(limits: HttpLimits) -> type[_BoundedHeadProtocol]:
    """The protocol class for one server (uvicorn builds protocols from a class and its Config,
    which has no place for our limits)."""

    class Protocol(_BoundedHeadProtocol):
        head_timeout = limits.header_timeout
        head_limit = limits.max_header_bytes

    return Protocol


_REQUEST_TIMEOUT: tuple[Message, Message] = (
    {
        "type": "http.response.start",
        "status": 408,
        "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", b"15"),
            (b"connection", b"close"),
        ],
    },
    {"type": "http.response.body", "body": b"Request Timeout"},
)


class BodyReadTimeout:
    """Answers 408 and closes the connection when a request body stalls: no chunk for `seconds`
    while the app waits for one. The app then reads `http.disconnect`, as if the client left.

    uvicorn has no body timeout either; ASGI is where "the app is waiting for the client" shows,
    so time spent by a slow app never counts against the client.
    """

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body_read = False
        response_started = False
        timed_out = False

        async def timed_receive() -> Message:
            nonlocal body_read, timed_out
            if body_read or timed_out:
                # After the body only a disconnect can come (Starlette listens for it while it
                # streams a response): no timeout.
                return await receive()
            try:
                async with asyncio.timeout(self.seconds):
                    message = await receive()
            except TimeoutError:
                timed_out = True
                if not response_started:
                    for part in _REQUEST_TIMEOUT:
                        await send(part)
                return {"type": "http.disconnect"}
            body_read = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal response_started
            if timed_out and not response_started:
                return  # the 408 was the answer; the app's own comes too late
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, timed_receive, tracked_send)
        except ClientDisconnect:
            # Starlette raises it when reading the body meets the disconnect we handed over;
            # the 408 has been sent, there is nothing left to do.
            if not timed_out:
                raise


# What stop waits when no grace period is given, and how long closing takes past it.
DEFAULT_GRACE_SECONDS = 30.0
_CLOSING_SECONDS = 2.0


class HttpServer:
    """uvicorn on a socket bound up front (so port 0 works), in a background thread; HTTPS with
    `tls` (uvicorn's own ssl options)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        host: str,
        port: int,
        reuse_port: bool = False,
        limits: HttpLimits = HttpLimits(),
        tls: TlsFiles | None = None,
    ) -> None:
        ssl_options = uvicorn_ssl_options(tls) if tls is not None else {}
        try:
            self._socket = socket.create_server((host, port), reuse_port=reuse_port)
        except OSError as error:
            raise OSError(f"cannot bind HTTP to {host}:{port}: {error.strerror}") from None
        # asyncio sets TCP_NODELAY only on sockets it created with proto IPPROTO_TCP; this one
        # has proto 0, so every response would wait ~40 ms for the client's delayed ACK.
        # Accepted connections inherit the option.
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        # log_config=None: uvicorn's own lines go through the root logger (one JSON line each),
        # not through a plain-text handler of its own.
        config = uvicorn.Config(
            BodyReadTimeout(app, seconds=limits.body_timeout),
            http=_protocol_with_head_limits(limits),
            timeout_keep_alive=limits.keepalive,
            # uvicorn answers 503 once the open connections, the asking one included, reach
            # limit_concurrency (HttpToolsProtocol.on_headers_complete): + 1 serves exactly
            # max_connections. Past it a connection is still accepted, answered 503 with
            # Connection: close, or closed by the head timeout if it sends nothing.
            limit_concurrency=limits.max_connections + 1,
            log_level="warning",
            access_log=False,
            lifespan="off",
            log_config=None,
            **ssl_options,
        )
        try:
            # Loaded here, not in the server's thread: a bad certificate or key is then an
            # error of the caller, not a thread that dies while `start` waits.
            config.load()
        except BaseException:
            self._socket.close()
            raise
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="http", daemon=True)

    def _run(self) -> None:
        # Server.run picks uvloop when installed (the uvicorn[standard] extra, which also brings
        # httptools, whose protocol the head timeout extends).
        self._server.run(sockets=[self._socket])

    def start(self) -> None:
        """Starts serving; returns once uvicorn has started."""
        self._thread.start()
        while not self._server.started and self._thread.is_alive():
            self._thread.join(0.01)
        if not self._server.started:
            raise OSError(f"HTTP server on {self.host}:{self.port} did not start")

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
