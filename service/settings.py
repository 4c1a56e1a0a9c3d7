"""Configuration from flags and ORDERBRIDGE_* environment variables; reads, never acts."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of `orderbridge serve`; each is also an ORDERBRIDGE_* variable."""

    model_config = SettingsConfigDict(env_prefix="ORDERBRIDGE_", extra="ignore")

    # A service is reachable by design (tokens guard it); --host 127.0.0.1 keeps it local.
    host: str = Field("0.0.0.0", description="Address both ports bind to.")
    grpc_port: int = Field(50051, ge=0, le=65535, description="gRPC port; 0 picks a free one.")
    http_port: int = Field(8080, ge=0, le=65535, description="HTTP (vendor facades) port.")
    database_url: str = Field("sqlite:///orderbridge.db", description="SQLAlchemy URL.")
    tokens: str = Field("", description='Bearer tokens: "token1=tenant1,token2=tenant2".')
    tokens_file: Path | None = Field(None, description="A file of token=tenant lines.")
    grace_seconds: float = Field(20.0, ge=0, description="How long SIGTERM waits for calls.")
    max_workers: int = Field(16, ge=1, description="gRPC handler threads per process.")
    log_level: str = Field("INFO", description="Python logging level.")
    workers: int = Field(1, ge=1, le=64, description="Worker processes sharing both ports.")
    reuse_port: bool = Field(False, description="Bind with SO_REUSEPORT (set for workers).")
    # HTTP connection limits; service.http.HttpLimits holds the same defaults and says why.
    http_header_timeout_seconds: float = Field(
        10.0, gt=0, description="Seconds a client has to send a request's head."
    )
    http_body_timeout_seconds: float = Field(
        30.0, gt=0, description="Seconds a request body may go without a new chunk."
    )
    http_keepalive_seconds: int = Field(
        5, ge=1, description="Whole seconds an idle connection stays open between requests."
    )
    http_max_connections: int = Field(
        2048, ge=1, description="HTTP connections served at once; past it requests get 503."
    )


def parse_tokens(text: str) -> dict[str, str]:
    """Token → tenant from "token1=tenant1,token2=tenant2" (commas or newlines; # comments)."""
    mapping: dict[str, str] = {}
    for raw in text.replace("\n", ",").split(","):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        token, separator, tenant = entry.partition("=")
        if not separator or not token.strip() or not tenant.strip():
            raise ValueError(f"token entry {entry!r} is not token=tenant")
        mapping[token.strip()] = tenant.strip()
    return mapping


def load_tokens(settings: Settings) -> dict[str, str]:
    """All configured tokens, from ORDERBRIDGE_TOKENS and ORDERBRIDGE_TOKENS_FILE."""
    tokens = parse_tokens(settings.tokens)
    if settings.tokens_file is not None:
        tokens.update(parse_tokens(settings.tokens_file.read_text(encoding="utf-8")))
    return tokens
