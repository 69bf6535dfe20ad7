"""Stand-in for mailpit in the compose smoke test: an SMTP sink and mailpit's message list.

Standard library only. SMTP without TLS or login (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT); every message is kept in memory and listed by GET /api/v1/messages in mailpit's
shape: {"total": n, "messages": [{"Subject", "From": {"Address"}, "To": [{"Address"}]}]}.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MESSAGES: list[dict[str, Any]] = []
LOCK = threading.Lock()


def _address(argument: str) -> str:
    """The address of `FROM:<a@b> SIZE=1` or `TO:<a@b>`."""
    value = argument.split(":", 1)[1].strip()
    if value.startswith("<"):
        return value[1 : value.find(">")]
    return value.split(" ", 1)[0]


def _keep(sender: str, recipients: list[str], data: bytes) -> None:
    message = message_from_bytes(data, policy=policy.default)
    entry = {
        "Subject": str(message.get("Subject", "")),
        "From": {"Address": sender},
        "To": [{"Address": r} for r in recipients],
        "Size": len(data),
    }
    with LOCK:
        MESSAGES.append(entry)
        count = len(MESSAGES)
    print(f"message {count}: {len(recipients)} recipient(s), {len(data)} bytes", flush=True)


async def _session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    def reply(line: str) -> None:
        writer.write(line.encode() + b"\r\n")

    sender = ""
    recipients: list[str] = []
    reply("220 mailsink ESMTP")
    try:
        while raw := await reader.readline():
            verb, _, argument = raw.decode("utf-8", "replace").rstrip("\r\n").partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                reply("250-mailsink")
                reply("250-8BITMIME")
                reply("250 SMTPUTF8")
            elif verb == "HELO":
                reply("250 mailsink")
            elif verb == "MAIL":
                sender, recipients = _address(argument), []
                reply("250 OK")
            elif verb == "RCPT":
                recipients.append(_address(argument))
                reply("250 OK")
            elif verb == "DATA":
                reply("354 End data with <CR><LF>.<CR><LF>")
                await writer.drain()
                lines = []
                while (line := await reader.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)
                _keep(sender, recipients, b"".join(lines))
                sender, recipients = "", []
                reply("250 OK: queued")
            elif verb in ("RSET", "NOOP"):
                if verb == "RSET":
                    sender, recipients = "", []
                reply("250 OK")
            elif verb == "QUIT":
                reply("221 Bye")
                break
            else:
                reply("502 Command not implemented")
            await writer.drain()
    finally:
        await writer.drain()
        writer.close()


class Api(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.split("?", 1)[0].rstrip("/") not in ("/api/v1/messages", "/livez"):
            self.send_error(404)
            return
        with LOCK:
            body = json.dumps({"total": len(MESSAGES), "messages": MESSAGES}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the smoke test polls."""


def _split(address: str) -> tuple[str, int]:
    host, port = address.rsplit(":", 1)
    return host, int(port)


async def main() -> None:
    smtp_host, smtp_port = _split(os.environ.get("MP_SMTP_BIND_ADDR", "0.0.0.0:1025"))
    api_host, api_port = _split(os.environ.get("MP_UI_BIND_ADDR", "0.0.0.0:8025"))
    api = ThreadingHTTPServer((api_host, api_port), Api)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    server = await asyncio.start_server(_session, smtp_host, smtp_port)
    print(f"smtp on {smtp_host}:{smtp_port}, api on {api_host}:{api_port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    # As the container's first process, SIGTERM would be ignored without a handler.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    asyncio.run(main())
