"""Reuse apprise's e-mail TLS context within a thread instead of building one per message."""

from __future__ import annotations

import ssl
import threading
from typing import Any

_local = threading.local()


class _CachedSsl:
    """The `ssl` module, except that a default context is reused while it is unmodified.

    apprise's e-mail plugin calls ssl.create_default_context() for every message, which
    loads the system's CA bundle each time (about 30 ms of CPU). The plugin loosens the
    context only when certificate checks are switched off for that URL; such a context is
    never handed out again, and each thread keeps its own, so verification never leaks
    from one message to another.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(ssl, name)

    def create_default_context(self, *args: Any, **kwargs: Any) -> ssl.SSLContext:
        """A fresh verifying context, or this thread's earlier one if still verifying."""
        if args or kwargs:
            return ssl.create_default_context(*args, **kwargs)
        context: ssl.SSLContext | None = getattr(_local, "context", None)
        if (
            context is None
            or context.verify_mode != ssl.CERT_REQUIRED
            or not context.check_hostname
        ):
            context = ssl.create_default_context()
            _local.context = context
        return context


def reuse_email_tls_context() -> None:
    """Install the cache into apprise's e-mail plugin (idempotent; no-op if it moved)."""
    try:
        from apprise.plugins.email import base
    except ImportError:  # pragma: no cover - a future apprise without this module
        return
    if getattr(base, "ssl", None) is ssl:
        base.ssl = _CachedSsl()  # type: ignore[assignment,attr-defined]
