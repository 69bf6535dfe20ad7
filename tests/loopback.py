"""Real servers on loopback for notification tests: SMTP (aiosmtpd) and a JSON webhook."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port on loopback nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MailServer:
    """An SMTP server on loopback that keeps every message; it can be stopped and restarted."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[list[str]] = []
        # Recipients refused at RCPT TO (550), as a mail server does for an unknown mailbox.
        self.refused: set[str] = set()
        self._controller: Controller | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        """Accept the recipient unless it is in `refused` (aiosmtpd handler hook)."""
        if address in self.refused:
            return "550 5.1.1 Postfach nicht erreichbar"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message (aiosmtpd handler hook)."""
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 OK"

    def start(self) -> None:
        """Listen (again) on the same port."""
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        """Stop listening: connections are refused, as with a mail server that is down."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def url(self, **query: str) -> str:
        """An apprise mail URL for this server (no TLS, no login)."""
        params = "&".join(f"{k}={v}" for k, v in {"from": "steuerung@example.org", **query}.items())
        return f"mailto://127.0.0.1:{self.port}?{params}"

    def by_recipient(self) -> dict[str, list[EmailMessage]]:
        """Messages per envelope recipient."""
        out: dict[str, list[EmailMessage]] = {}
        for message, rcpts in zip(self.messages, self.envelopes, strict=True):
            for rcpt in rcpts:
                out.setdefault(rcpt, []).append(message)
        return out


class Webhook:
    """A loopback HTTP server that records JSON posts."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                outer.posts.append(
                    {"path": self.path, "json": json.loads(self.rfile.read(length) or b"{}")}
                )
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()
