"""Hostile source definitions: a source reads only data, only from the data folders.

A definition may name any path and any query; whoever writes it must not reach the server's
files (/etc/passwd, a .env with the database password) or write files through an SQL source.
Part of the corpus of bad input (see README, "Reliability and data protection").
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from paths import CONFIG, ROOT
from programmes import demo_definition

from steering.adapters.config import ConfigError, load_definition
from steering.bootstrap import indicator_sources, read_source
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.sources import SqlSource
from steering.services.importing import read_for_import
from steering.settings import get_settings

DEFINITION = demo_definition()
PASSWD = "root:*:0:0:System Administrator:/var/root:/bin/sh\ndaemon:*:1:1::/var/root:/bin/false\n"
DOTENV = "POSTGRES_PASSWORD=Geheim-123\nSTEERING_MAIL_URL=mailtos://u:Geheim-123@x\n"
SECRETS = ("root:*", "/bin/sh", "Geheim-123", "POSTGRES_PASSWORD")


@pytest.fixture
def roots(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings read afresh, without STEERING_DATA_ROOTS unless a test sets it."""
    monkeypatch.delenv("STEERING_DATA_ROOTS", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def project(tmp_path: Path, roots: None) -> Path:
    """A definition folder with a harmless CSV, and secrets next to and outside it."""
    folder = tmp_path / "programm"
    folder.mkdir()
    (folder / "kennzahlen.csv").write_text("Kennzahl;Träger;Zeitraum;Wert\n", encoding="utf-8")
    (folder / ".env").write_text(DOTENV, encoding="utf-8")
    (tmp_path / "server").mkdir()
    (tmp_path / "server" / "passwd").write_text(PASSWD, encoding="utf-8")
    (tmp_path / "server" / "shadow").write_text(PASSWD, encoding="utf-8")
    return folder


def _config_with_path(folder: Path, written: str) -> Path:
    text = CONFIG.read_text(encoding="utf-8")
    old = "path: ../examples/digital-und-sozial/kennzahlen.csv"
    assert text.count(old) == 1
    text = text.replace(old, f"path: {written}")
    # The other sources read the shipped examples, wherever the definition lies.
    text = text.replace("path: ../examples/", f"path: {ROOT}/examples/")
    config = folder / "programm.yaml"
    config.write_text(text, encoding="utf-8")
    return config


def _with_path(written: str) -> ProgrammeDefinition:
    """The demo definition with the kennzahlen source pointing elsewhere (as if loaded before)."""
    sources = [
        s.model_copy(update={"path": written}) if s.key == "kennzahlen" else s
        for s in DEFINITION.sources
    ]
    return DEFINITION.model_copy(update={"sources": sources})


# written path (relative to the definition's folder, {tmp} = the test's folder), expected reason
REFUSED = [
    ("climbs-out-to-etc-passwd", "../../../../../../../../etc/passwd", "außerhalb"),
    ("climbs-out-to-a-planted-passwd", "../server/passwd", "außerhalb"),
    ("absolute-path-outside-the-roots", "{tmp}/server/shadow", "außerhalb"),
    ("dotenv-next-to-the-definition", ".env", "versteckte Datei"),
    ("symlink-in-the-folder-to-a-secret", "daten.csv", "außerhalb"),
    ("hidden-folder-inside-the-folder", ".git/config", "versteckte Datei"),
]


def _prepare(folder: Path, written: str) -> str:
    written = written.replace("{tmp}", str(folder.parent))
    if written == "daten.csv":
        (folder / "daten.csv").symlink_to(folder.parent / "server" / "passwd")
    if written.startswith(".git"):
        (folder / ".git").mkdir()
        (folder / ".git" / "config").write_text(DOTENV, encoding="utf-8")
    return written


@pytest.mark.parametrize(
    ("written", "reason"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_steer_validate_refuses_a_source_path_outside_the_data_folders(
    project: Path, written: str, reason: str
) -> None:
    config = _config_with_path(project, _prepare(project, written))

    with pytest.raises(ConfigError) as refused:
        load_definition(config)

    [problem] = refused.value.problems
    assert problem.file == str(config) and problem.line == 131
    assert problem.path == "sources[0].path"
    assert reason in problem.message
    assert not any(secret in str(refused.value) for secret in SECRETS)


@pytest.mark.parametrize(
    ("written", "reason"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_an_import_refuses_a_source_path_outside_the_data_folders_without_reading_it(
    project: Path, written: str, reason: str
) -> None:
    definition = _with_path(_prepare(project, written))

    result = read_for_import(
        definition, project / "programm.yaml", sources=indicator_sources(), source_key="kennzahlen"
    )

    [error] = result.errors
    assert error.column == "path"
    assert "Quelle „kennzahlen“, Feld path in" in error.reason and "programm.yaml" in error.reason
    assert reason in error.reason
    assert result.content_hash == ""  # nothing was read
    assert not any(secret in str(error) for secret in SECRETS)


def test_an_evaluation_flow_file_parameter_is_confined_like_a_configured_path(
    project: Path,
) -> None:
    result = read_for_import(
        DEFINITION,
        project / "programm.yaml",
        sources=indicator_sources(),
        source_key="mo-befragung",
        path=project.parent / "server" / "passwd",
        period="2019-H2",
        confine=True,
    )

    assert "außerhalb der freigegebenen Datenordner" in str(result.errors[0])
    assert result.content_hash == ""


def test_steering_data_roots_allow_absolute_and_climbing_paths_below_them(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = project.parent / "austausch"
    shared.mkdir()
    (shared / "kennzahlen.csv").write_text(
        "Kennzahl;Träger;Zeitraum;Wert;Bemerkung\nlernplattform-zugriffe;;2. HJ 2019;12;\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("STEERING_DATA_ROOTS", f"/nicht/vorhanden{os.pathsep}{shared}")
    get_settings.cache_clear()

    for written in (str(shared / "kennzahlen.csv"), "../austausch/kennzahlen.csv"):
        load_definition(_config_with_path(project, written))
        result = read_for_import(
            _with_path(written),
            project / "programm.yaml",
            sources=indicator_sources(),
            source_key="kennzahlen",
        )
        assert result.errors == [] and len(result.rows) == 1


def test_the_demo_definition_reads_its_examples_in_the_repository_layout(roots: None) -> None:
    result = read_for_import(
        DEFINITION, CONFIG, sources=indicator_sources(), source_key="kennzahlen"
    )

    assert result.errors == [] and result.rows


# --- a file the user names on the command line: read, but its content is never echoed -----


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        pytest.param(PASSWD, "die Kopfzeile enthält keine Spaltennamen", id="passwd-as-csv"),
        pytest.param(DOTENV, "die Kopfzeile enthält keine Spaltennamen", id="dotenv-as-csv"),
        pytest.param(
            "Kennzahl;API_KEY=Geheim-123;Wert;Bemerkung\nx;y;1;\n",
            "gefunden: Kennzahl, Wert, Bemerkung und 1 Zelle, die nicht wie ein Spaltenname",
            id="secret-cell-in-a-header",
        ),
    ],
)
def test_a_found_header_shows_only_cells_that_look_like_column_names(
    tmp_path: Path, content: str, shown: str
) -> None:
    file = tmp_path / "eigene.csv"
    file.write_text(content, encoding="utf-8")

    result = read_for_import(
        DEFINITION, CONFIG, sources=indicator_sources(), source_key="kennzahlen", path=file
    )

    message = "\n".join(str(e) for e in result.errors)
    assert shown in message, message
    assert not any(secret in message for secret in SECRETS), message


# --- SQL sources: read-only, and no rows means no values ---------------------------------


@pytest.fixture
def kpi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    database = tmp_path / "kpi.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE kpi (indicator, organisation, period, value)")
        connection.execute("INSERT INTO kpi VALUES ('lernplattform-zugriffe', '', '2019-H2', 1240)")
    connection.close()
    monkeypatch.setenv("STEERING_KPI_URL", f"sqlite:///{database}")
    return database


def _sql(query: str, url: str = "${STEERING_KPI_URL}") -> SqlSource:
    return SqlSource(kind="sql", key="kennzahlen", url=url, query=query)


WRITING = [
    ("vacuum-into-writes-a-copy", "VACUUM INTO '{dir}/kopie.sqlite'", "kopie.sqlite"),
    ("attach-creates-a-database", "ATTACH DATABASE '{dir}/neu.sqlite' AS neu", "neu.sqlite"),
    (
        "attach-with-a-uri-asking-for-rwc",
        "ATTACH DATABASE 'file:{dir}/uri.sqlite?mode=rwc' AS neu",
        "uri.sqlite",
    ),
]


@pytest.mark.parametrize(
    ("query", "created"), [c[1:] for c in WRITING], ids=[c[0] for c in WRITING]
)
def test_an_sqlite_source_cannot_write_files(kpi: Path, query: str, created: str) -> None:
    result = read_source(_sql(query.format(dir=kpi.parent)), None, DEFINITION)

    assert [e.reason.split(":")[0] for e in result.errors] == ["SQL-Abfrage fehlgeschlagen"]
    assert "eine Datenquelle darf nur lesen (SELECT)" in result.errors[0].reason
    assert not (kpi.parent / created).exists()


def test_an_sqlite_source_cannot_change_its_database(kpi: Path) -> None:
    result = read_source(_sql("DELETE FROM kpi WHERE 1 = 1"), None, DEFINITION)

    assert "eine Datenquelle darf nur lesen (SELECT)" in result.errors[0].reason
    with sqlite3.connect(kpi) as connection:
        assert connection.execute("SELECT count(*) FROM kpi").fetchone() == (1,)
    connection.close()


def test_an_sqlite_query_without_rows_means_no_values(kpi: Path) -> None:
    result = read_source(_sql("SELECT * FROM kpi WHERE value > 10000"), None, DEFINITION)

    assert result.errors == [] and result.rows == []


@pytest.mark.postgres
def test_a_postgresql_query_without_rows_means_no_values(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEERING_KPI_URL", postgres_url)
    query = (
        "SELECT 'x' AS indicator, '' AS organisation, '2019-H2' AS period, 1 AS value WHERE false"
    )

    result = read_source(_sql(query), None, DEFINITION)

    assert result.errors == [] and result.rows == []
