"""User text inside Markdown (Prefect artifacts, .md reports): shown as written, never markup."""

from __future__ import annotations

import html
import re

# Inline Markdown: links and images need [ ], emphasis * _ ~, code `, tables |, escapes \.
_INLINE = re.compile(r"([\\`*_\[\]|~])")
# What turns a line into a heading, list, quote or setext underline when the text starts it.
_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))")


def md_text(text: object) -> str:
    """Text from a definition or a user for Markdown: one line, no link, image, emphasis or HTML.

    HTML is escaped as entities (&lt;img …&gt;), Markdown characters with a backslash, which
    CommonMark renders as the character itself: `[klick](javascript:…)` stays text.
    """
    one_line = " ".join(str(text).split("\n")).replace("\r", " ")
    escaped = _INLINE.sub(r"\\\1", html.escape(one_line, quote=False))
    return _LINE_START.sub(lambda m: m.group(1) + _escape_first(m.group(2)), escaped, count=1)


def _escape_first(marker: str) -> str:
    # '12.' is an ordered list only with its dot: escape the dot, not the digits.
    return marker + "\\" if marker.isdigit() else "\\" + marker
