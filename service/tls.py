"""TLS credentials for gRPC and HTTP from PEM files; reads and checks files, opens no socket."""

import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc


@dataclass(frozen=True)
class TlsFiles:
    """A server's certificate chain and key, and the CA its gRPC clients must chain to."""

    cert_file: Path
    key_file: Path
    # Set: gRPC clients must present a certificate this CA signed (mutual TLS).
    client_ca_file: Path | None = None


def tls_files(cert: Path | None, key: Path | None, client_ca: Path | None) -> TlsFiles | None:
    """The server's TLS files, or None for plaintext (no certificate configured)."""
    if cert is None or key is None:
        return None
    return TlsFiles(cert_file=cert, key_file=key, client_ca_file=client_ca)


def _read_pair(cert: Path, key: Path) -> tuple[bytes, bytes]:
    """(certificate chain, key) bytes, checked to be PEM and to belong together."""
    # Read first: a missing file's error then names the file. gRPC takes any bytes and fails at
    # the first handshake; the ssl module tells at start that the key fits the certificate.
    pair = cert.read_bytes(), key.read_bytes()
    try:
        ssl.create_default_context().load_cert_chain(cert, key)
    except ssl.SSLError as error:  # its text names no file
        raise ValueError(
            f"{cert} and {key} do not load as a PEM certificate and its key: {error}"
        ) from None
    return pair


def _read_ca(ca: Path) -> bytes:
    """CA bundle bytes, checked to hold PEM certificates."""
    bundle = ca.read_bytes()
    try:
        ssl.create_default_context().load_verify_locations(cafile=ca)
    except ssl.SSLError as error:
        raise ValueError(f"{ca} holds no PEM CA certificate: {error}") from None
    return bundle


def grpc_server_credentials(files: TlsFiles) -> grpc.ServerCredentials:
    """TLS for a gRPC server; client certificates required when a client CA is set."""
    cert, key = _read_pair(files.cert_file, files.key_file)
    client_ca = None if files.client_ca_file is None else _read_ca(files.client_ca_file)
    return grpc.ssl_server_credentials(
        [(key, cert)],
        root_certificates=client_ca,
        require_client_auth=client_ca is not None,
    )


def uvicorn_ssl_options(files: TlsFiles) -> dict[str, Any]:
    """uvicorn.Config's own TLS options: HTTPS, no client certificate asked for (the vendors'
    HTTP clients have none; their credential is the token)."""
    _read_pair(files.cert_file, files.key_file)
    return {"ssl_certfile": str(files.cert_file), "ssl_keyfile": str(files.key_file)}


def grpc_channel_credentials(
    *, ca: Path | None, cert: Path | None, key: Path | None
) -> grpc.ChannelCredentials | None:
    """TLS to a remote gRPC server, or None for plaintext (no file given).

    Without a CA file the system's roots verify the server; with a certificate and key the
    channel presents them to a server that requires mutual TLS.
    """
    if ca is None and cert is None and key is None:
        return None
    if (cert is None) != (key is None):
        raise ValueError("a client certificate needs its key, and a key its certificate")
    chain, private_key = _read_pair(cert, key) if cert and key else (None, None)
    return grpc.ssl_channel_credentials(
        root_certificates=None if ca is None else _read_ca(ca),
        private_key=private_key,
        certificate_chain=chain,
    )
