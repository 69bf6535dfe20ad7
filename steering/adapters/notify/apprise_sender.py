"""One sender for every channel apprise supports; no channel-specific code."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from urllib.parse import quote

import apprise

from steering.adapters.notify.masking import secret_parts
from steering.adapters.notify.secrets import SecretLookup, SecretMissing, mask, resolve
from steering.adapters.notify.tls import reuse_email_tls_context
from steering.domain.definition.organisations import Person
from steering.domain.notifications.message import Message

_log = logging.getLogger(__name__)


def _ascii_address(email: str) -> str:
    """Umlaut domains (träger.de) in their DNS form (xn--trger-kva.de), which SMTP accepts."""
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}"


class _ThisThreadsWarnings(logging.Handler):
    """apprise's warnings of the current thread only (messages are sent in parallel)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []
        self._thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self._thread:
            self.lines.append(record.getMessage())

    def __enter__(self) -> _ThisThreadsWarnings:
        logging.getLogger("apprise").addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("apprise").removeHandler(self)


_bundles = threading.local()


def _bundle() -> apprise.Apprise:
    """This thread's empty apprise bundle: a new one per message set up its translations
    every time (about 0.3 ms of CPU, a tenth of what sending a digest costs here)."""
    bundle: apprise.Apprise | None = getattr(_bundles, "bundle", None)
    if bundle is None:
        bundle = _bundles.bundle = apprise.Apprise()
    return bundle


class DeliveryFailed(RuntimeError):
    """A channel refused or could not be reached; the text is privacy-masked."""


class AppriseSender:
    """Sends a message to one channel of a person.

    Channels are named by hints that never contain a URL: 'email' (the person's address
    through the configured mail server URL), 'notify-N' (the N-th URL in the person's
    `notify` list) and 'tag:X' (apprise config entries tagged X).
    """

    def __init__(
        self,
        *,
        mail_url: str | None = None,
        config_file: Path | None = None,
        secrets: SecretLookup | None = None,
        timeout_seconds: int = 15,
    ) -> None:
        self._mail_url = mail_url
        self._config_file = config_file
        self._secrets = secrets
        self._timeout = timeout_seconds
        reuse_email_tls_context()

    def channels(self, person: Person) -> list[str]:
        """The channel hints of a person, in a stable order."""
        hints = ["email"] if person.email and self._mail_url else []
        hints += [f"notify-{n}" for n in range(1, len(person.notify) + 1)]
        hints += [f"tag:{tag}" for tag in person.apprise_tags]
        return hints

    def send(self, person: Person, hint: str, message: Message) -> None:
        """Deliver or raise DeliveryFailed with a masked reason."""
        used: list[str] = []
        try:
            servers, used = self._servers(person, hint)
            if not servers:
                raise DeliveryFailed(f"Kanal {hint}: keine gültige apprise-Adresse")
            for server in servers:
                self._send_one(server, message, used)
        except SecretMissing as missing:
            raise DeliveryFailed(f"Kanal {hint}: Zugangsdaten fehlen: {missing}") from None
        except DeliveryFailed:
            raise
        except Exception as failure:  # apprise's own errors may quote the URL: masked too
            reason = mask(f"{type(failure).__name__}: {failure}", used)
            raise DeliveryFailed(f"Kanal {hint}: {reason[:400]}") from None

    def describe(self, person: Person, hint: str) -> str:
        """The channel's address with credentials masked (for logs and dry runs)."""
        try:
            servers, used = self._servers(person, hint)
        except SecretMissing as missing:
            return f"{hint} (Zugangsdaten fehlen: {missing})"
        return ", ".join(mask(s.url(privacy=True), used) for s in servers) or hint

    # internals ---------------------------------------------------------------------
    def _servers(self, person: Person, hint: str) -> tuple[list[apprise.NotifyBase], list[str]]:
        if hint == "email":
            if not (self._mail_url and person.email):
                return [], []
            url, used = resolve(self._mail_url, secrets=self._secrets)
            used += secret_parts(url)  # the mail server's, not the recipient's address
            joiner = "&" if "?" in url else "?"
            address = quote(_ascii_address(person.email))
            return self._instantiate(f"{url}{joiner}to={address}", used), used
        if hint.startswith("notify-"):
            index = int(hint.removeprefix("notify-")) - 1
            if not 0 <= index < len(person.notify):
                return [], []
            url, used = resolve(person.notify[index], secrets=self._secrets)
            used += secret_parts(url)  # a webhook's token may sit in its path
            return self._instantiate(url, used), used
        if hint.startswith("tag:") and self._config_file is not None:
            config = apprise.AppriseConfig()
            config.add(str(self._config_file))
            bundle = apprise.Apprise()
            bundle.add(config)
            servers = list(bundle.find(tag=hint.removeprefix("tag:")))
            used = [p for s in servers for p in secret_parts(s.url(), with_query=False)]
            return servers, used
        return [], []

    def _instantiate(self, url: str, used: list[str]) -> list[apprise.NotifyBase]:
        server = apprise.Apprise.instantiate(url, suppress_exceptions=True)
        if server is None:
            raise DeliveryFailed(f"keine gültige apprise-Adresse: {mask(url, used)[:120]}")
        if hasattr(server, "socket_read_timeout"):
            server.socket_read_timeout = self._timeout
        return [server]

    def _send_one(self, server: apprise.NotifyBase, message: Message, used: list[str]) -> None:
        html_native = server.notify_format == apprise.NotifyFormat.HTML
        body, body_format = (
            (message.html, apprise.NotifyFormat.HTML)
            if html_native
            else (message.text, apprise.NotifyFormat.TEXT)
        )
        bundle = _bundle()
        bundle.add(server)
        try:
            with _ThisThreadsWarnings() as captured:
                ok = bundle.notify(title=message.subject, body=body, body_format=body_format)
        finally:
            bundle.clear()
        if not ok:
            reason = " ".join(" ".join(captured.lines).split())[-400:] or "abgelehnt"
            where = mask(server.url(privacy=True), used)
            raise DeliveryFailed(mask(f"{where}: {reason}", used))
        _log.debug("gesendet an %s", mask(server.url(privacy=True), used))
