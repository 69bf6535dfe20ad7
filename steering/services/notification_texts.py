"""Digest texts: one sentence per notice, laid out by Jinja2 templates (German or English)."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import jinja2

from steering.domain.definition import ProgrammeDefinition
from steering.domain.notifications.digest import Digest
from steering.domain.notifications.message import Message
from steering.domain.notifications.notices import Notice, NoticeKind
from steering.domain.vocabulary import label
from steering.i18n import LANGUAGES, format_date, ntr, ptr, tr, translator
from steering.services.portal_access import is_lead
from steering.services.portal_links import PortalLinks


def _day(iso: str, lang: str) -> str:
    return format_date(date.fromisoformat(iso), lang)


def _from_table(notice: Notice, lang: str) -> str:
    """The digest line of a kind whose table entry holds its sentence: facts filled in."""
    facts = {
        name: ", ".join(map(str, value)) if isinstance(value, list) else value
        for name, value in notice.facts.items()
    }
    wording = notice.rules.sentence
    if len(wording) == 2:
        return ntr(wording[0], wording[1], int(facts.pop("count")), lang, **facts)
    return tr(wording[0], lang, **facts)


def sentence(notice: Notice, lang: str = "de") -> str:
    """One line saying what the notice is about."""
    f: dict[str, Any] = notice.facts
    kind = str(notice.kind)
    if notice.rules.sentence:
        return _from_table(notice, lang)
    dim = label(notice.dimension, lang) if notice.dimension else ""
    if kind in ("light_worse", "light_recovered"):
        verb = tr("got worse", lang) if kind == "light_worse" else tr("recovered", lang)
        if f.get("before") is None:  # the first light of this dimension
            return tr(
                "Light {dim}: {after} (first assessed, checkpoint {period}).",
                lang,
                dim=dim,
                after=label(f["after"], lang),
                period=f["period"],
            )
        return tr(
            "Light {dim}: {before} → {after} ({verb}, checkpoint {period}).",
            lang,
            dim=dim,
            before=label(f["before"], lang),
            after=label(f["after"], lang),
            verb=verb,
            period=f["period"],
        )
    if kind == "light_swing":
        share = round(float(f["share"]) * 100)
        return tr(
            "At checkpoint {period}, {worse} of {compared} lights got worse "
            "because data is missing (more than {share} %). The 'light got worse' "
            "notices about them are held back. Please check the data sources and "
            "run the checkpoint again; if the data really is missing, the report "
            "shows it.",
            lang,
            period=f["period"],
            worse=f["worse"],
            compared=f["compared"],
            share=share,
        )
    if kind == "abort_decision":
        rules = ", ".join(f["rules"])
        decision = label(f["decision"], lang)
        return tr(
            "Abort criteria ({rules}) at checkpoint {period}: {decision}. Your decision is needed.",
            lang,
            rules=rules,
            period=f["period"],
            decision=decision,
        )
    if kind in ("step_due", "step_overdue", "escalation"):
        step = tr(
            "Step {step} '{title}' ({driver})",
            lang,
            step=f["step"],
            title=f["title"],
            driver=label(f["driver"], lang),
        )
        due = _day(f["due"], lang)
        days = int(f["days"])
        if kind == "step_due":
            return ntr(
                "{step} is due on {due} ({n} day left).",
                "{step} is due on {due} ({n} days left).",
                days,
                lang,
                step=step,
                due=due,
            )
        if kind == "step_overdue":
            return ntr(
                "{step} is {n} day overdue (due on {due}).",
                "{step} is {n} days overdue (due on {due}).",
                days,
                lang,
                step=step,
                due=due,
            )
        return ntr(
            "Escalation: {step} is {n} working day overdue (due on {due}).",
            "Escalation: {step} is {n} working days overdue (due on {due}).",
            days,
            lang,
            step=step,
            due=due,
        )
    if kind in ("phase_due", "phase_overdue"):
        phase = tr(
            "Phase {phase} '{title}' (cycle {cycle})",
            lang,
            phase=f["phase"],
            title=f["title"],
            cycle=f["cycle"],
        )
        due = _day(f["due"], lang)
        days = int(f["days"])
        if kind == "phase_due":
            return ntr(
                "{phase} is due to end on {due} ({n} day left).",
                "{phase} is due to end on {due} ({n} days left).",
                days,
                lang,
                phase=phase,
                due=due,
            )
        return ntr(
            "{phase} is {n} day overdue (due on {due}).",
            "{phase} is {n} days overdue (due on {due}).",
            days,
            lang,
            phase=phase,
            due=due,
        )
    if kind == "data_missing":
        names = ", ".join(f["indicators"])
        end = _day(f["period_end"], lang)
        when = tr("ends on", lang) if f["offset"] < 0 else tr("ended on", lang)
        return tr(
            "Data for {period} still missing (period {when} {end}): {names}.",
            lang,
            period=f["period"],
            when=when,
            end=end,
            names=names,
        )
    if kind == "event":
        return tr(
            "{title} on {date} ({kind}).",
            lang,
            title=f["title"],
            date=_day(f["date"], lang),
            kind=label(f["kind"], lang),
        )
    if kind == "message_given_up":
        when = _day(f["created"], lang)
        n = int(f["attempts"])
        # German says "nach 2 Versuchen" (dative): its own msgid, not "{n} attempts" elsewhere.
        tries = (
            ptr("after", "{n} attempt", lang, n=n)
            if n == 1
            else ptr("after", "{n} attempts", lang, n=n)
        )
        return tr(
            "Delivery given up: the message '{subject}' of {when} to {name} via "
            "{channel} did not go out after {tries} (last error: {error}). To send "
            "it again: steer outbox CONFIG --retry {message}.",
            lang,
            subject=f["subject"],
            when=when,
            name=f["name"],
            channel=f["channel"],
            tries=tries,
            error=f["error"],
            message=f["message"],
        )
    if kind == "recipient_unreachable":
        about = Notice(
            NoticeKind(f["kind"]), notice.organisation, "", "", f["facts"], f.get("dimension", "")
        )
        return tr(
            "{name} ({person}) cannot be reached on any channel (no e-mail address "
            "with STEERING_MAIL_URL, no notify URL, no apprise tag). Kept and "
            "delivered once a channel is set up: {about}",
            lang,
            name=f["name"],
            person=f["person"],
            about=sentence(about, lang),
        )
    return kind  # pragma: no cover - every kind is handled above


@cache
def _environment(lang: str) -> jinja2.Environment:
    """The templates with the language's catalogue installed (one environment per language)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("steering", "templates/notifications"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Old-style gettext: a text is escaped like any other value (newstyle would trust it).
    env.install_gettext_translations(translator(lang), newstyle=False)  # type: ignore[attr-defined]
    return env


def _link(notice: Notice, ui_url: str | None) -> str | None:
    run = notice.facts.get("flow_run_id")
    return f"{ui_url.rstrip('/')}/runs/flow-run/{run}" if ui_url and run else None


def subject(definition: ProgrammeDefinition, digest: Digest, lang: str) -> str:
    """'[Programme] Dringend: 3 Hinweise – Abbruchkriterien, Ampeln' and the like."""
    kinds = sorted({tr(n.rules.label, lang) for n in digest.notices})
    urgent = tr("Urgent: ", lang) if digest.urgent else ""
    counted = ntr("{n} notice", "{n} notices", len(digest.notices), lang)
    return f"[{definition.programme.title}] {urgent}{counted} – {', '.join(kinds)}"[:480]


def _name(definition: ProgrammeDefinition, org: str, unknown: str) -> str:
    """The organisation's name, `unknown` when the definition no longer has it."""
    try:
        return definition.organisation(org).name
    except KeyError:
        return unknown


def render_digest(
    definition: ProgrammeDefinition,
    digest: Digest,
    *,
    ui_url: str | None = None,
    portal: PortalLinks | None = None,
) -> Message:
    """Subject, plain text and HTML of a digest in the recipient's language.

    With `portal`, every line links to its item in the portal behind one fresh sign-in
    link; the Prefect UI (`ui_url`) is linked only for the lead: nobody else can use it.
    """
    person = definition.person(digest.recipient)
    lang = person.language if person.language in LANGUAGES else "de"
    if not is_lead(definition, person.id):
        ui_url = None
    into_portal = portal.for_person(person.id) if portal else None
    groups = [
        {
            "name": _name(definition, org, org) if org else tr("Programme as a whole", lang),
            "dimensions": [
                {
                    "label": label(dim, lang) if dim else "",
                    "lines": [
                        {
                            "text": sentence(n, lang),
                            "link": into_portal(n) if into_portal else None,
                            "run_link": _link(n, ui_url),
                        }
                        for n in notices
                    ],
                }
                for dim, notices in dims
            ],
        }
        for org, dims in sorted(
            digest.by_organisation(),
            key=lambda group: (group[0] != "", _name(definition, group[0], "")),
        )
    ]
    title = subject(definition, digest, lang)
    context = {
        "lang": lang,
        "recipient": person.name,
        "groups": groups,
        "ui_url": f"{ui_url.rstrip('/')}/artifacts" if ui_url else None,
        "portal_url": into_portal(None) if into_portal else None,
        "subject": title,
    }
    env = _environment(lang)
    return Message(
        subject=title,
        text=env.get_template("digest.txt.j2").render(context),
        html=env.get_template("digest.html.j2").render(context),
    )
