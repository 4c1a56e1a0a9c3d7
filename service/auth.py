"""Bearer tokens to tenants; answers who is calling, never what they may read."""

import hmac
import secrets

import grpc

from core.errors import OrderError


class Unauthenticated(OrderError):
    """No usable bearer token."""


class TokenAuthenticator:
    """Maps `authorization: Bearer <token>` metadata to the token's tenant."""

    def __init__(self, tokens: dict[str, str]) -> None:
        self._tokens = dict(tokens)

    def tenant_for_token(self, token: str) -> str | None:
        """The tenant of a token, comparing in constant time."""
        found = None
        for known, tenant in self._tokens.items():
            if hmac.compare_digest(known.encode(), token.encode()):
                found = tenant
        return found

    def tenant_of(self, context: grpc.ServicerContext) -> str:
        """The caller's tenant; raises Unauthenticated."""
        header = ""
        for key, value in context.invocation_metadata():
            if key == "authorization":
                header = value if isinstance(value, str) else value.decode()
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("missing bearer token", reason="MISSING_CREDENTIALS")
        tenant = self.tenant_for_token(token.strip())
        if tenant is None:
            raise Unauthenticated("unknown bearer token", reason="INVALID_TOKEN")
        return tenant


def development_token() -> str:
    """A fresh random token for a server started with none configured."""
    return "dev-" + secrets.token_urlsafe(24)
