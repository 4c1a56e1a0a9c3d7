"""The peer a user would otherwise write: FastAPI + SQLModel storing each Drip order as JSON."""

import argparse
import json
import sys
import threading
import time
from collections.abc import Iterator
from typing import Annotated, Any

import uvicorn
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy import JSON, Column, Engine, UniqueConstraint, event
from sqlmodel import Field, Session, SQLModel, create_engine

STARTUP_SECONDS = 60.0


class PlainOrder(SQLModel, table=True):
    """One vendor order, stored whole as JSON, unique by (provider, upstream_id)."""

    __tablename__ = "plain_orders"
    __table_args__ = (UniqueConstraint("account", "provider", "upstream_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=128)
    provider: str = Field(max_length=128)
    upstream_id: str = Field(max_length=256)
    body: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class DripOrders(BaseModel):
    """The Drip POST /v2/{account_id}/orders body."""

    orders: list[dict[str, Any]]


def sqlite_engine(url: str) -> Engine:
    """SQLite with the service's durability settings: WAL and synchronous=FULL."""
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return engine


def create_app(engine: Engine) -> FastAPI:
    """POST stores the orders of a Drip body; GET reads one back."""
    app = FastAPI(title="plain FastAPI + SQLModel peer")

    def session() -> Iterator[Session]:
        with Session(engine) as opened:
            yield opened

    SessionDep = Annotated[Session, Depends(session)]  # noqa: N806  # FastAPI's idiom

    @app.post("/v2/{account_id}/orders", status_code=202)
    def create_orders(account_id: str, body: DripOrders, db: SessionDep) -> dict[str, list[int]]:
        rows = [
            PlainOrder(
                account=account_id,
                provider=str(order.get("provider", "")),
                upstream_id=str(order.get("upstream_id", "")),
                body=order,
            )
            for order in body.orders
        ]
        db.add_all(rows)
        db.commit()
        return {"ids": [row.id for row in rows if row.id is not None]}

    @app.get("/v2/{account_id}/orders/{order_id}")
    def get_order(account_id: str, order_id: int, db: SessionDep) -> dict[str, Any]:
        row = db.get(PlainOrder, order_id)
        if row is None or row.account != account_id:
            raise HTTPException(404, "order not found")
        return row.body

    return app


def _announce_port(server: uvicorn.Server) -> None:
    """Logs the port uvicorn bound (port 0 picks one) as a JSON line once it has started."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        if server.should_exit or time.monotonic() > deadline:
            return
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    print(json.dumps({"message": "listening", "http_port": port}), file=sys.stderr, flush=True)


def main() -> None:
    """Serves the peer with plain uvicorn on 127.0.0.1 (a free port) until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    arguments = parser.parse_args()
    engine = sqlite_engine(arguments.database_url)
    SQLModel.metadata.create_all(engine)
    # uvicorn binds its own socket, as `uvicorn.run` would for a user; the other settings are
    # those of `orderbridge serve` (service/http.py): no access log, warnings only, no lifespan.
    config = uvicorn.Config(
        create_app(engine),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        access_log=False,
        lifespan="off",
    )
    server = uvicorn.Server(config)
    threading.Thread(target=_announce_port, args=(server,), daemon=True).start()
    server.run()  # handles SIGTERM and SIGINT itself: finishes open requests, then returns
    engine.dispose()


if __name__ == "__main__":
    main()
