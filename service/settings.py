"""Configuration from flags and ORDERBRIDGE_* environment variables; reads, never acts."""

from pathlib import Path
from typing import Self

from pydantic import Field, model_validator
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
    # TLS from PEM files (docs/operate.md). The in-process doors inside `serve` need none.
    tls_cert_file: Path | None = Field(
        None, description="PEM certificate chain: gRPC and HTTP speak TLS (with the key file)."
    )
    tls_key_file: Path | None = Field(None, description="PEM private key of the certificate.")
    tls_client_ca_file: Path | None = Field(
        None, description="PEM CA bundle: gRPC clients must present a certificate it signed."
    )
    # serve-facade's channel to a remote OrderService.
    grpc_target: str = Field("", description="OrderService address HOST:PORT (serve-facade).")
    grpc_target_ca_file: Path | None = Field(
        None, description="PEM CA bundle the target's certificate must chain to (TLS)."
    )
    grpc_target_cert_file: Path | None = Field(
        None, description="PEM client certificate for a target that requires mutual TLS."
    )
    grpc_target_key_file: Path | None = Field(
        None, description="PEM private key of the client certificate."
    )

    @model_validator(mode="after")
    def _tls_files_pair_up(self) -> Self:
        """A certificate without its key (or a client CA without a certificate) is a mistake
        best refused at start, not discovered by the first client."""
        if (self.tls_cert_file is None) != (self.tls_key_file is None):
            raise ValueError("ORDERBRIDGE_TLS_CERT_FILE and ORDERBRIDGE_TLS_KEY_FILE go together")
        if self.tls_client_ca_file is not None and self.tls_cert_file is None:
            raise ValueError("ORDERBRIDGE_TLS_CLIENT_CA_FILE needs ORDERBRIDGE_TLS_CERT_FILE")
        if (self.grpc_target_cert_file is None) != (self.grpc_target_key_file is None):
            raise ValueError(
                "ORDERBRIDGE_GRPC_TARGET_CERT_FILE and ORDERBRIDGE_GRPC_TARGET_KEY_FILE go together"
            )
        return self


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
