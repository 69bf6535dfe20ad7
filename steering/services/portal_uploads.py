"""Checks of uploaded files by name, content and size, before anything reads or keeps them."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# An XLSX is a ZIP: before openpyxl unpacks it, its members may not promise more than this.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 1000
MAX_NAME_LENGTH = 120

_PLAIN_NAME = re.compile(r"^[\w .()\-äöüÄÖÜß]+$")


class UploadProblem(StrEnum):
    """Why an upload was refused (the portal words each one)."""

    EMPTY = "empty"
    TOO_LARGE = "too-large"
    BAD_NAME = "bad-name"
    BAD_TYPE = "bad-type"
    MISMATCH = "mismatch"
    ZIP_BOMB = "zip-bomb"


class UploadRefused(ValueError):
    """An uploaded file that is not kept or read."""

    def __init__(self, problem: UploadProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: a plain name, its suffix and content."""

    name: str
    suffix: str
    content: bytes


# Suffix -> what the content must look like.
_EVIDENCE = {"pdf", "png", "jpg", "jpeg", "txt", "csv", "docx", "xlsx", "pptx", "odt", "ods"}
_TABLES = {"csv", "xlsx"}
_OFFICE = {"docx", "xlsx", "pptx", "odt", "ods"}


def plain_name(name: str) -> str:
    """The file name without any folder part; refuses names that try to climb out of one."""
    if not name or len(name) > MAX_NAME_LENGTH or "\x00" in name:
        raise UploadRefused(UploadProblem.BAD_NAME)
    if "/" in name or "\\" in name or name.startswith(".") or ".." in name:
        raise UploadRefused(UploadProblem.BAD_NAME)
    if not _PLAIN_NAME.match(name):
        raise UploadRefused(UploadProblem.BAD_NAME)
    return name


def _suffix(name: str, allowed: set[str]) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in allowed:
        raise UploadRefused(UploadProblem.BAD_TYPE)
    return suffix


def guard_zip(content: bytes) -> None:
    """Refuse an archive whose members would unpack to far more than the file (a ZIP bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRefused(UploadProblem.MISMATCH) from None
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(UploadProblem.ZIP_BOMB)
    unpacked = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise UploadRefused(UploadProblem.ZIP_BOMB)


def _looks_like(suffix: str, content: bytes) -> bool:
    if suffix == "pdf":
        return content.startswith(b"%PDF-")
    if suffix == "png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in ("jpg", "jpeg"):
        return content.startswith(b"\xff\xd8\xff")
    if suffix in _OFFICE:
        return content.startswith(b"PK\x03\x04")
    # Text (txt, csv): no NUL bytes and readable as UTF-8 or Latin-1 text without controls.
    head = content[:65536]
    if b"\x00" in head:
        return False
    text = head.decode("utf-8", errors="ignore") or head.decode("latin-1")
    return not any(ord(c) < 9 or 13 < ord(c) < 32 for c in text)


def check_upload(name: str, content: bytes, *, tables_only: bool) -> CheckedFile:
    """Check an upload's name, size and content (tables: CSV or XLSX; evidence: documents)."""
    if not content:
        raise UploadRefused(UploadProblem.EMPTY)
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadRefused(UploadProblem.TOO_LARGE)
    plain = plain_name(name)
    suffix = _suffix(plain, _TABLES if tables_only else _EVIDENCE)
    if not _looks_like(suffix, content):
        raise UploadRefused(UploadProblem.MISMATCH)
    if suffix in _OFFICE:
        guard_zip(content)
    return CheckedFile(plain, suffix, content)
