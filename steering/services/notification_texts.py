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
from steering.i18n import counted

_FRAME = {
    "de": {
        "greeting": "Guten Tag",
        "intro": "hier ist Ihre Übersicht aus der Programmsteuerung.",
        "ui": "Ampelmatrix und Status in der Prefect-Oberfläche",
        "open": "öffnen",
        "footer": "Automatische Nachricht der PDCA-Steuerung. Bitte nicht antworten.",
        "programme": "Programm insgesamt",
        "urgent": "Dringend",
        "notes": "Hinweise",
        "note": "Hinweis",
    },
    "en": {
        "greeting": "Hello",
        "intro": "here is your overview from programme steering.",
        "ui": "Traffic-light matrix and status in the Prefect UI",
        "open": "open",
        "footer": "Automatic message from PDCA steering. Please do not reply.",
        "programme": "Programme as a whole",
        "urgent": "Urgent",
        "notes": "notices",
        "note": "notice",
    },
}


def _day(iso: str, lang: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day:%d.%m.%Y}" if lang == "de" else day.isoformat()


def sentence(notice: Notice, lang: str = "de") -> str:
    """One line saying what the notice is about."""
    f: dict[str, Any] = notice.facts
    de = lang == "de"
    kind = str(notice.kind)
    dim = label(notice.dimension, lang) if notice.dimension else ""
    if kind in ("light_worse", "light_recovered"):
        verb = (
            ("verschlechtert" if kind == "light_worse" else "erholt")
            if de
            else ("got worse" if kind == "light_worse" else "recovered")
        )
        if f.get("before") is None:  # the first light of this dimension
            return (
                f"Ampel {dim}: {label(f['after'], lang)} (erstmals bewertet, Checkpoint "
                f"{f['period']})."
                if de
                else f"Light {dim}: {label(f['after'], lang)} (first assessed, checkpoint "
                f"{f['period']})."
            )
        return (
            f"Ampel {dim}: {label(f['before'], lang)} → {label(f['after'], lang)} ({verb}, "
            f"Checkpoint {f['period']})."
            if de
            else f"Light {dim}: {label(f['before'], lang)} → {label(f['after'], lang)} "
            f"({verb}, checkpoint {f['period']})."
        )
    if kind == "light_swing":
        share = round(float(f["share"]) * 100)
        return (
            f"Im Checkpoint {f['period']} sind {f['worse']} von {f['compared']} Ampeln schlechter "
            f"geworden, weil Daten fehlen (mehr als {share} %). Die Hinweise „Ampel "
            "verschlechtert“ dazu gehen nicht hinaus. Bitte die Datenquellen prüfen und den "
            "Checkpoint erneut laufen lassen; fehlen die Daten wirklich, zeigt der Bericht es."
            if de
            else f"At checkpoint {f['period']}, {f['worse']} of {f['compared']} lights got worse "
            f"because data is missing (more than {share} %). The 'light got worse' notices about "
            "them are held back. Please check the data sources and run the checkpoint again; if "
            "the data really is missing, the report shows it."
        )
    if kind == "abort_decision":
        rules = ", ".join(f["rules"])
        decision = label(f["decision"], lang)
        return (
            f"Abbruchkriterien ({rules}) im Checkpoint {f['period']}: {decision}. "
            "Ihre Entscheidung ist gefragt."
            if de
            else f"Abort criteria ({rules}) at checkpoint {f['period']}: {decision}. "
            "Your decision is needed."
        )
    if kind in ("step_due", "step_overdue", "escalation"):
        step = f"Schritt {f['step']} „{f['title']}“ ({label(f['driver'], lang)})"
        step_en = f"Step {f['step']} '{f['title']}' ({label(f['driver'], lang)})"
        due = _day(f["due"], lang)
        if kind == "step_due":
            return (
                f"{step} ist am {due} fällig (noch {counted(f['days'], 'days')})."
                if de
                else f"{step_en} is due on {due} ({counted(f['days'], 'days', 'en')} left)."
            )
        if kind == "step_overdue":
            return (
                f"{step} ist seit {counted(f['days'], 'days_dative')} überfällig "
                f"(fällig war der {due})."
                if de
                else f"{step_en} is {counted(f['days'], 'days', 'en')} overdue (due on {due})."
            )
        return (
            f"Eskalation: {step} ist seit {counted(f['days'], 'working_days_dative')} überfällig "
            f"(fällig war der {due})."
            if de
            else f"Escalation: {step_en} is {counted(f['days'], 'working_days_dative', 'en')} "
            f"overdue (due on {due})."
        )
    if kind in ("phase_due", "phase_overdue"):
        phase = f"Phase {f['phase']} „{f['title']}“ (Zyklus {f['cycle']})"
        phase_en = f"Phase {f['phase']} '{f['title']}' (cycle {f['cycle']})"
        due = _day(f["due"], lang)
        days = int(f["days"])
        if kind == "phase_due":
            return (
                f"{phase} soll am {due} abgeschlossen sein (noch {days} "
                f"{'Tag' if days == 1 else 'Tage'})."
                if de
                else f"{phase_en} is due to end on {due} ({days} {'day' if days == 1 else 'days'}"
                " left)."
            )
        return (
            f"{phase} ist seit {days} {'Tag' if days == 1 else 'Tagen'} überfällig (Ende war "
            f"für den {due} geplant)."
            if de
            else f"{phase_en} is {days} {'day' if days == 1 else 'days'} overdue (due on {due})."
        )
    if kind == "data_missing":
        names = ", ".join(f["indicators"])
        end = _day(f["period_end"], lang)
        when = (
            ("endet am" if f["offset"] < 0 else "endete am")
            if de
            else ("ends on" if f["offset"] < 0 else "ended on")
        )
        return (
            f"Daten für {f['period']} fehlen noch (Zeitraum {when} {end}): {names}."
            if de
            else f"Data for {f['period']} still missing (period {when} {end}): {names}."
        )
    if kind == "event":
        return (
            f"{f['title']} am {_day(f['date'], lang)} ({label(f['kind'], lang)})."
            if de
            else f"{f['title']} on {_day(f['date'], lang)} ({label(f['kind'], lang)})."
        )
    if kind == "evaluation_waiting":
        return (
            f"Die Auswertung zum Checkpoint {f['checkpoint']} wartet auf Ihre Entscheidung."
            if de
            else f"The evaluation of checkpoint {f['checkpoint']} waits for your decision."
        )
    if kind == "message_given_up":
        when = _day(f["created"], lang)
        n = int(f["attempts"])
        tries = (
            (f"{n} Versuch" if n == 1 else f"{n} Versuchen")
            if de
            else (f"{n} attempt" if n == 1 else f"{n} attempts")
        )
        return (
            f"Zustellung aufgegeben: die Nachricht „{f['subject']}“ vom {when} an {f['name']} "
            f"über {f['channel']} ging nach {tries} nicht hinaus (letzter "
            f"Fehler: {f['error']}). Erneut senden: steer outbox CONFIG --retry {f['message']}."
            if de
            else f"Delivery given up: the message '{f['subject']}' of {when} to {f['name']} via "
            f"{f['channel']} did not go out after {tries} (last error: "
            f"{f['error']}). To send it again: steer outbox CONFIG --retry {f['message']}."
        )
    if kind == "recipient_unreachable":
        about = Notice(
            NoticeKind(f["kind"]), notice.organisation, "", "", f["facts"], f.get("dimension", "")
        )
        return (
            f"{f['name']} ({f['person']}) ist über keinen Kanal erreichbar (keine E-Mail-Adresse "
            "mit STEERING_MAIL_URL, keine notify-URL, kein apprise-Tag). Aufbewahrt und "
            f"zugestellt, sobald ein Kanal eingerichtet ist: {sentence(about, lang)}"
            if de
            else f"{f['name']} ({f['person']}) cannot be reached on any channel (no e-mail "
            "address with STEERING_MAIL_URL, no notify URL, no apprise tag). Kept and delivered "
            f"once a channel is set up: {sentence(about, lang)}"
        )
    return kind  # pragma: no cover - every kind is handled above


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("steering", "templates/notifications"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _link(notice: Notice, ui_url: str | None) -> str | None:
    run = notice.facts.get("flow_run_id")
    return f"{ui_url.rstrip('/')}/runs/flow-run/{run}" if ui_url and run else None


def subject(definition: ProgrammeDefinition, digest: Digest, lang: str) -> str:
    """'[Programme] Dringend: 3 Hinweise – Abbruchkriterien, Ampeln' and the like."""
    t = _FRAME[lang]
    count = len(digest.notices)
    kinds = sorted({label(str(n.kind), lang) for n in digest.notices})
    noun = t["note"] if count == 1 else t["notes"]
    urgent = f"{t['urgent']}: " if digest.urgent else ""
    return f"[{definition.programme.title}] {urgent}{count} {noun} – {', '.join(kinds)}"[:480]


def render_digest(
    definition: ProgrammeDefinition, digest: Digest, *, ui_url: str | None = None
) -> Message:
    """Subject, plain text and HTML of a digest in the recipient's language."""
    person = next(p for p in definition.people if p.id == digest.recipient)
    lang = person.language if person.language in _FRAME else "de"
    names = {o.id: o.name for o in definition.organisations}
    groups = [
        {
            "name": names.get(org, org) if org else _FRAME[lang]["programme"],
            "dimensions": [
                {
                    "label": label(dim, lang) if dim else "",
                    "lines": [
                        {"text": sentence(n, lang), "link": _link(n, ui_url)} for n in notices
                    ],
                }
                for dim, notices in dims
            ],
        }
        for org, dims in sorted(
            digest.by_organisation(), key=lambda group: (group[0] != "", names.get(group[0], ""))
        )
    ]
    title = subject(definition, digest, lang)
    context = {
        "t": _FRAME[lang],
        "lang": lang,
        "recipient": person.name,
        "groups": groups,
        "ui_url": f"{ui_url.rstrip('/')}/artifacts" if ui_url else None,
        "subject": title,
    }
    env = _environment()
    return Message(
        subject=title,
        text=env.get_template("digest.txt.j2").render(context),
        html=env.get_template("digest.html.j2").render(context),
    )
