"""Uploads are checked by name, size and content before anything reads or keeps them."""

from __future__ import annotations

import io
import zipfile

import pytest

from steering.services.portal_uploads import (
    MAX_UPLOAD_BYTES,
    UploadProblem,
    UploadRefused,
    check_upload,
)


def _xlsx_like(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _problem(name: str, content: bytes, *, tables_only: bool = False) -> UploadProblem:
    with pytest.raises(UploadRefused) as refused:
        check_upload(name, content, tables_only=tables_only)
    return refused.value.problem


@pytest.mark.parametrize(
    "name",
    [
        "../x.pdf",
        "..\\x.pdf",
        "/etc/passwd.pdf",
        "a/b.pdf",
        ".hidden.pdf",
        "x\x00.pdf",
        "",
        "a" * 200 + ".pdf",
        "<b>.pdf",
    ],
)
def test_names_that_climb_out_of_a_folder_or_hide_are_refused(name: str) -> None:
    assert _problem(name, b"%PDF-1.4") is UploadProblem.BAD_NAME


def test_documents_pass_when_their_content_matches_their_name() -> None:
    checked = check_upload("Protokoll (März).pdf", b"%PDF-1.7 ...", tables_only=False)
    assert (checked.name, checked.suffix) == ("Protokoll (März).pdf", "pdf")
    assert check_upload("foto.JPG", b"\xff\xd8\xff\xe0", tables_only=False).suffix == "jpg"
    assert check_upload("notiz.txt", "Grüße".encode(), tables_only=False).suffix == "txt"


def test_content_that_does_not_match_the_name_is_refused() -> None:
    assert _problem("bericht.pdf", b"MZ\x90\x00") is UploadProblem.MISMATCH
    assert _problem("tabelle.xlsx", b"%PDF-1.4", tables_only=True) is UploadProblem.MISMATCH
    assert _problem("werte.csv", b"a;b\x00\x01", tables_only=True) is UploadProblem.MISMATCH


def test_tables_are_csv_or_xlsx_only_and_evidence_no_programs() -> None:
    assert _problem("werte.pdf", b"%PDF-1.4", tables_only=True) is UploadProblem.BAD_TYPE
    assert _problem("setup.exe", b"MZ") is UploadProblem.BAD_TYPE
    assert _problem("seite.html", b"<html>") is UploadProblem.BAD_TYPE


def test_empty_and_oversized_files_are_refused() -> None:
    assert _problem("leer.csv", b"", tables_only=True) is UploadProblem.EMPTY
    too_big = b"a" * (MAX_UPLOAD_BYTES + 1)
    assert _problem("gross.csv", too_big, tables_only=True) is UploadProblem.TOO_LARGE


def test_an_xlsx_that_would_unpack_to_far_more_than_its_size_is_a_zip_bomb() -> None:
    bomb = _xlsx_like({"xl/worksheets/sheet1.xml": b"0" * (20 * 1024 * 1024)})
    assert _problem("werte.xlsx", bomb, tables_only=True) is UploadProblem.ZIP_BOMB
    many = _xlsx_like({f"x{n}.xml": b"<a/>" for n in range(1001)})
    assert _problem("werte.xlsx", many, tables_only=True) is UploadProblem.ZIP_BOMB
    plain = _xlsx_like({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert check_upload("werte.xlsx", plain, tables_only=True).suffix == "xlsx"


def test_a_broken_zip_is_refused_as_not_matching_its_name() -> None:
    assert _problem("werte.xlsx", b"PK\x03\x04broken", tables_only=True) is UploadProblem.MISMATCH
