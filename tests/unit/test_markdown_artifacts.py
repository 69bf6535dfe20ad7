"""Markdown artifacts (Prefect renders them as HTML): names from definitions never go raw."""

from __future__ import annotations

from datetime import UTC, datetime

from evaluation_fixtures import ORG, checkpoints, indicator, programme, rule, series

from steering.domain.definition import ProgrammeDefinition
from steering.services.presentation import checkpoint_report, markdown_table, organisation_status

HOSTILE = "<b>x</b>"


def _hostile_definition() -> ProgrammeDefinition:
    base = programme(
        [indicator("kurse", {"minimum": 10}, title="Kurse <i>neu</i>")], traffic_lights=[rule()]
    )
    organisations = [
        o.model_copy(update={"name": HOSTILE}) if o.id == ORG else o for o in base.organisations
    ]
    title = base.programme.model_copy(update={"title": "<script>alert(1)</script>"})
    return base.model_copy(update={"organisations": organisations, "programme": title})


def test_checkpoint_and_status_artifacts_escape_html_in_names_and_titles() -> None:
    definition = _hostile_definition()
    [evaluation] = checkpoints(definition, series("kurse", [5.0]), count=1)
    report = checkpoint_report(
        definition, evaluation, key="k", at=datetime(2018, 7, 15, tzinfo=UTC), previous={}
    )
    status = organisation_status(definition, evaluation, ORG, ["- Schritt <u>1</u>"])
    for text in (report, status):
        assert "<b>" not in text and "<i>" not in text and "<script>" not in text
        assert "<u>" not in text
    assert "| &lt;b&gt;x&lt;/b&gt; |" in report  # the matrix row
    assert "### &lt;b&gt;x&lt;/b&gt;" in report  # the reasons heading
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert status.startswith("# &lt;b&gt;x&lt;/b&gt;\n")
    assert "Kurse &lt;i&gt;neu&lt;/i&gt;" in status  # the reason names the indicator


def test_a_markdown_table_escapes_pipes_and_html() -> None:
    table = markdown_table([{"Name": "a|b <b>c</b> & d"}])
    assert table.splitlines()[-1] == "| a\\|b &lt;b&gt;c&lt;/b&gt; &amp; d |"
