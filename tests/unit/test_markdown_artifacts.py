"""Markdown artifacts (Prefect renders them as HTML): names from definitions never go raw."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from evaluation_fixtures import ORG, checkpoints, indicator, programme, rule, series
from markdown_it import MarkdownIt

from steering.adapters.reports.markdown import render_markdown
from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.frames import PROGRAMME
from steering.domain.reporting.period import MatrixRow, OrganisationPart, PeriodReport, SurveyPart
from steering.services.presentation import (
    CheckpointParts,
    checkpoint_parts,
    checkpoint_report,
    markdown_table,
    organisation_status,
)

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


def test_report_and_summary_render_the_parts_built_once_and_differ_only_in_reasons() -> None:
    definition = programme([indicator("kurse", {"minimum": 10})], traffic_lights=[rule()])
    [evaluation] = checkpoints(definition, series("kurse", [5.0]), count=1)
    at = datetime(2018, 7, 15, tzinfo=UTC)
    built = checkpoint_parts(definition, evaluation, {})

    def report(*, attention_only: bool = False, built: CheckpointParts | None = None) -> str:
        return checkpoint_report(
            definition,
            evaluation,
            key="k",
            at=at,
            previous={},
            attention_only=attention_only,
            built=built,
        )

    full, summary = report(built=built), report(built=built, attention_only=True)

    assert full == report()  # the same bytes as when the report builds its own parts
    assert summary == report(attention_only=True)
    names = {o.id: o.name for o in definition.organisations}
    calm = [org for org in names if not evaluation.needs_attention(org)]
    assert calm and any(evaluation.needs_attention(org) for org in names)
    for org, lines in built.reasons.items():
        heading = f"### {names.get(org, 'Programm')}"
        shown = org == PROGRAMME or evaluation.needs_attention(org)
        assert (heading in full) == bool(lines)
        assert (heading in summary) == (bool(lines) and shown)
    assert [line for line in summary.splitlines() if not line.startswith(("### ", "- **"))] == [
        line for line in full.splitlines() if not line.startswith(("### ", "- **"))
    ]


def test_a_markdown_table_escapes_pipes_and_html() -> None:
    table = markdown_table([{"Name": "a|b <b>c</b> & d"}])
    assert table.splitlines()[-1] == "| a\\|b &lt;b&gt;c&lt;/b&gt; &amp; d |"


# --- hostile user text through a real Markdown renderer -----------------------------------

# Texts a definition or a user may hold; each must come out as the text itself.
HOSTILE_TEXTS = [
    pytest.param("[klick](javascript:alert(3))", id="javascript-link"),
    pytest.param("![t](http://x.example/track.png)", id="remote-tracking-image"),
    pytest.param("<img src=x onerror=alert(1)>", id="raw-html-image"),
    pytest.param("<https://x.example/login>", id="autolink"),
    pytest.param("[klick][1] [1]: http://x.example", id="reference-link"),
    pytest.param("[a](&#106;avascript:alert(1))", id="entity-encoded-link"),
    pytest.param("Träger | mit | Pipes", id="pipes-in-a-table-cell"),
    pytest.param("**fett** _kursiv_ ~~weg~~ `code`", id="emphasis-and-code"),
    pytest.param("# Überschrift", id="heading-at-the-start"),
    pytest.param("1. Liste\n- Punkt\n> Zitat", id="list-and-quote-on-new-lines"),
]


PLAIN = "Harmloser Name"


def _render(markdown: str) -> str:
    """HTML as a permissive renderer makes it: links of any scheme, raw HTML passed through."""
    renderer = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    renderer.validateLink = lambda url: True  # the Prefect UI linked javascript: as well
    return renderer.render(markdown)


def _tags(rendered: str) -> Counter[str]:
    return Counter(re.findall(r"<([a-z0-9]+)", rendered))


def _text(rendered: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())


def _assert_shown_as_written(build: Callable[[str], str], hostile: str) -> None:
    """The document with the hostile text has exactly the markup it has with a plain name."""
    rendered = _render(build(hostile))
    assert _tags(rendered) == _tags(_render(build(PLAIN))), rendered
    assert " ".join(hostile.split()) in _text(rendered)  # the text itself, on one line


def _artifacts(text: str) -> list[str]:
    base = programme([indicator("kurse", {"minimum": 10}, title=text)], traffic_lights=[rule()])
    organisations = [
        o.model_copy(update={"name": text}) if o.id == ORG else o for o in base.organisations
    ]
    title = base.programme.model_copy(update={"title": text})
    definition = base.model_copy(update={"organisations": organisations, "programme": title})
    [evaluation] = checkpoints(definition, series("kurse", [5.0]), count=1)
    report = checkpoint_report(
        definition, evaluation, key="k", at=datetime(2018, 7, 15, tzinfo=UTC), previous={}
    )
    status = organisation_status(definition, evaluation, ORG)
    table = markdown_table([{"Organisation": text, "Ampel": "rot"}])
    return [report, status, table]


@pytest.mark.parametrize("hostile", HOSTILE_TEXTS)
@pytest.mark.parametrize("document", [0, 1, 2], ids=["checkpoint", "status", "table"])
def test_user_text_in_artifacts_renders_as_text_never_as_link_image_or_markup(
    hostile: str, document: int
) -> None:
    _assert_shown_as_written(lambda text: _artifacts(text)[document], hostile)


def _period_report(text: str) -> str:
    report = PeriodReport(
        programme_id="p",
        title=text,
        funder=text,
        period="2019-H2",
        periods=["2019-H2"],
        checkpoint="p/2019-H2",
        revision=1,
        revised_at=datetime(2020, 1, 15, 8, 0, tzinfo=UTC),
        lang="de",
        timeline=[],
        matrix=[MatrixRow(ORG, text, {"quality": "red"}, {}, {"quality": text}, "watch")],
        organisations=[
            OrganisationPart(
                ORG, text, 1, text, [], "watch", [text], [text], [text], [text],
                lead_decision=text, lead_comment=text,
            )
        ],
        surveys=[
            SurveyPart(
                "s", text, (-2, 2), [(text, text, 1.0)],
                [{"question": text, "count": 1, "mean": 1.0,
                  "counts": {-2: 0, -1: 0, 0: 0, 1: 1, 2: 0}}],
            )
        ],
        notifications=[
            {"recipient": text, "kind": "digest", "channel": "mail", "status": "sent", "count": 1}
        ],
        decisions=[text],
    )  # fmt: skip
    return render_markdown(report)


@pytest.mark.parametrize("hostile", HOSTILE_TEXTS)
def test_user_text_in_the_markdown_report_renders_as_text(hostile: str) -> None:
    _assert_shown_as_written(_period_report, hostile)
