"""Security of every response: headers, a body limit while streaming, CSRF and safe redirects."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]
# An upload of 20 MB plus the form's other fields and the multipart framing.
MAX_BODY_BYTES = 20 * 1024 * 1024 + 256 * 1024
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


class BodyTooLarge(Exception):
    """The request's body grew past the limit while it was read."""


class SecurityMiddleware:
    """Adds the security headers to every response and stops bodies above the limit."""

    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            scope.setdefault("state", {})["body_too_large"] = True
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body or scope.get("state", {}).get("body_too_large"):
                    # Stop reading here: nothing of the body is spooled any further.
                    raise BodyTooLarge
            return message

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in HEADERS if n not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, limited, with_headers)


def same_token(given: object, expected: str) -> bool:
    """Whether a form's CSRF token is the expected one (compared in constant time)."""
    return isinstance(given, str) and bool(expected) and hmac.compare_digest(given, expected)


def safe_next(target: object) -> str | None:
    """A portal-relative path to go to after signing in, or None for anything else."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def is_loopback(host: str | None) -> bool:
    """Whether the portal is reached on this machine only (then cookies need no HTTPS)."""
    return (host or "") in LOOPBACK
