"""Every apprise URL may carry a credential: in its user info, its path, its query or host."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote

import apprise

# Query parameters that name addresses or formats, never credentials.
_PLAIN_PARAMETERS = frozenset({"from", "to", "cc", "bcc", "format", "overflow", "method", "name"})


@lru_cache(maxsize=256)  # the same URLs, once per message; apprise parses them slowly
def secret_parts(url: str, *, with_query: bool = True) -> tuple[str, ...]:
    """The parts of an apprise URL to mask wherever the URL's traces may show: the password,
    every path segment (webhook tokens: json://host/hook/<token>), query values, and the
    user and host where apprise's own privacy URL hides them (tgram://<bot token>/...)."""
    _, _, rest = url.partition("://")
    if not rest:
        return (url,)
    netloc, _, tail = rest.partition("/")
    netloc, _, query_only = netloc.partition("?")
    path, _, query = tail.partition("?")
    userinfo, _, host = netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    parts = [password, *(segment for segment in path.split("/") if segment)]
    if with_query:
        pairs = parse_qsl(query or query_only, keep_blank_values=False)
        parts += [value for key, value in pairs if key.lower() not in _PLAIN_PARAMETERS]
    # A user name or host is a token where apprise's own privacy URL hides it.
    shown = privacy_url(url)
    parts += [p for p in (user, host, *host.split(":")) if p and p not in shown]
    return tuple(
        sorted({v for p in parts for v in (p, unquote(p), quote(unquote(p), safe=""))} - {""})
    )


def privacy_url(url: str) -> str:
    """apprise's own rendering of the URL with its credentials hidden ('' if it is invalid)."""
    server = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    return str(server.url(privacy=True)) if server is not None else ""
