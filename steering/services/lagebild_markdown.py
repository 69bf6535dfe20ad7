"""Render the Lagebild as Markdown and its signal as a one-line artifact description."""

from __future__ import annotations

from collections.abc import Mapping

from steering.domain.evaluation.light_scale import SYMBOLS
from steering.domain.lagebild import DIMENSION_ORDER, SEVERITY, severity_rank, worst_dimensions
from steering.domain.vocabulary import label
from steering.markup import md_text
from steering.services.lagebild import AttentionLine, Change, Lagebild
from steering.services.presentation import light_text

# The longest reason shown in a Lagebild line; the status artifact has the full text.
REASON_CHARS = 110
# Names listed per missed indicator before the rest is counted.
NAMES_PER_MISS = 8


def _symbols(lights: Mapping[str, str], lang: str) -> str:
    """The lights as initial and symbol in dimension order, e.g. 'K🔴 P🟡 Z🟢'."""
    return " ".join(
        f"{label(d, lang)[0]}{SYMBOLS[lights[d]]}" for d in DIMENSION_ORDER if d in lights
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def signal(lights: Mapping[str, str], decision: str, phase: str | None, lang: str = "de") -> str:
    """An artifact description that carries the signal, e.g. '🔴 Kosten · Abbruchprüfung · Do'."""
    worst, dims = worst_dimensions(lights)
    parts = []
    if worst is not None:
        shown = ", ".join(label(d, lang) for d in dims) if worst != "green" else label(worst, lang)
        parts.append(f"{SYMBOLS[worst]} {shown}")
    parts.append(label(decision, lang))
    if phase:
        parts.append(label(phase, lang))
    return " · ".join(parts)


def _attention(line: AttentionLine, lang: str) -> str:
    de = lang == "de"
    head = f"- {_symbols(line.lights, lang)} **{md_text(line.name)}**"
    parts = []
    if line.worst_dimensions:
        dims = ", ".join(label(d, lang) for d in line.worst_dimensions)
        # The reason's first part names the indicators; the rule behind it is in the status.
        reason = line.worst_reason.split(" · ")[0]
        parts.append(f"{dims}: {md_text(_short(reason, REASON_CHARS))}")
    decision = label(line.decision, lang)
    parts.append(f"{'Kriterien' if de else 'criteria'}: **{decision}**")
    if line.lead_decision:
        parts.append(f"{'PL' if de else 'lead'}: **{label(line.lead_decision, lang)}**")
    elif line.decision in ("escalate", "abort_review"):
        parts.append("PL: *offen*" if de else "lead: *open*")
    if line.phase:
        late = ""
        if line.phase_days_overdue:
            late = (
                f" (+{line.phase_days_overdue} Tage)"
                if de
                else f" (+{line.phase_days_overdue} days)"
            )
        parts.append(f"Phase {label(line.phase, lang)}{late}")
    if line.overdue_steps:
        parts.append(
            f"{line.overdue_steps} {'Schritte überfällig' if de else 'steps overdue'}"
            if line.overdue_steps > 1
            else ("1 Schritt überfällig" if de else "1 step overdue")
        )
    return f"{head} – " + " · ".join(parts)


def _change(change: Change, lang: str) -> str:
    if change.subject == "decision":
        what = "Kriterien" if lang == "de" else "criteria"
        before = label(change.before or "continue", lang)
        marker = " ⚠️" if change.escalation else ""
        return f"{what} {before} → **{label(change.after, lang)}**{marker}"
    marker = " ↘" if change.escalation else " ↗"
    before, after = light_text(change.before, lang), light_text(change.after, lang)
    return f"{label(change.subject, lang)} {before} → **{after}**{marker}"


def _change_lines(changes: list[Change], lang: str) -> list[str]:
    """One line per organisation: most severe escalation first, then more worse lights, name."""
    by_org: dict[str, list[Change]] = {}
    for change in changes:
        by_org.setdefault(change.name, []).append(change)

    def order(item: tuple[str, list[Change]]) -> tuple[int, int, str]:
        name, mine = item
        # The most severe escalation first (to an abort review before to watch).
        escalations = [
            severity_rank(c.after) for c in mine if c.escalation and c.subject == "decision"
        ]
        return (min(escalations, default=9), -sum(c.escalation for c in mine), name.casefold())

    return [
        f"- **{md_text(name)}** – " + " · ".join(_change(c, lang) for c in mine)
        for name, mine in sorted(by_org.items(), key=order)
    ]


def _counted(counts: Mapping[str, int], lang: str) -> str:
    return ", ".join(f"{n} {label(d, lang)}" for d in SEVERITY if (n := counts.get(d, 0)))


def _none(de: bool) -> list[str]:
    return ["- " + ("keine" if de else "none")]


def _header(view: Lagebild, de: bool, lang: str) -> list[str]:
    when = f"{view.at:%d.%m.%Y %H:%M} {view.at.tzname()}"
    counts = view.decisions
    waiting = len(view.waiting)
    if de:
        line = f"Checkpoint `{view.key}` vom {when} · {view.organisations} Organisationen: "
        tail = f" · {waiting} {'Evaluation wartet' if waiting == 1 else 'Evaluationen warten'}"
    else:
        line = f"Checkpoint `{view.key}` of {when} · {view.organisations} organisations: "
        tail = f" · {waiting} {'evaluation' if waiting == 1 else 'evaluations'} waiting"
    return [
        f"# Lagebild {view.period}",
        "",
        f"**{md_text(view.title)}**",
        "",
        line + _counted(counts, lang) + (tail if waiting else ""),
    ]


def _who(view: Lagebild, de: bool, lang: str) -> list[str]:
    legend = (
        "Ampeln: Q Qualität, K Kosten, P Personal, Z Zeit. Kriterien = was die "
        "Abbruchkriterien ergeben, PL = Entscheidung der Projektleitung. "
        "Gründe und Maßnahmen: Artefakt `status-<organisation>`."
        if de
        else "Lights: Q quality, C cost, S staff, T time. Criteria = what the abort "
        "criteria say, lead = the lead's decision. Reasons and mitigations: artifact "
        "`status-<organisation>`."
    )
    parts = ["## 1. " + ("Wer die Projektleitung braucht" if de else "Who needs the lead")]
    parts += ["", legend, ""]
    parts += [_attention(a, lang) for a in view.attention] or _none(de)
    if view.not_listed:
        rest = _counted(view.not_listed, lang)
        parts += [
            "",
            f"Nicht aufgeführt (keine rote Ampel): {rest}."
            if de
            else f"Not listed (no red light): {rest}.",
        ]
    if view.quiet:
        calm = ", ".join(md_text(n) for n in view.quiet)
        parts += ["", ("Alles grün, nichts zu entscheiden: " if de else "All green: ") + calm]
    if view.aborted:
        ended = ", ".join(md_text(n) for n in view.aborted)
        parts += ["", ("Teilnahme beendet: " if de else "Participation ended: ") + ended]
    return parts


def _waiting(view: Lagebild, de: bool) -> list[str]:
    title = "Evaluationen, die auf Entscheidung warten" if de else "Evaluations waiting"
    lines = []
    for w in view.waiting:
        line = f"- **{md_text(w.name or w.organisation)}** {w.period}: "
        line += f"[{md_text(w.run_name)}]({w.url})"
        if w.since:
            since = w.since.astimezone(view.at.tzinfo)
            line += f" – {'wartet seit' if de else 'waiting since'} {since:%d.%m.%Y %H:%M}"
        lines.append(line)
    return [f"## 2. {title}", "", *(lines or _none(de))]


def _what_changed(view: Lagebild, de: bool, lang: str) -> list[str]:
    title = "Änderungen seit dem vorigen Checkpoint" if de else "Changes since the last checkpoint"
    parts = [f"## 3. {title}", "", *(_change_lines(view.changes, lang) or _none(de))]
    if view.changes_not_listed:
        n = view.changes_not_listed
        parts += [
            "",
            f"Dazu {n} Organisationen ohne rote Ampel mit Änderungen."
            if de
            else f"And {n} organisations without a red light changed.",
        ]
    return parts


def _missed(view: Lagebild, de: bool) -> list[str]:
    title = f"Indikatoren unter Soll in {view.period}" if de else f"Off target in {view.period}"
    lines = []
    for miss in view.misses:
        names = ", ".join(md_text(n) for n in miss.names[:NAMES_PER_MISS])
        more = len(miss.names) - NAMES_PER_MISS
        if more > 0:
            names += f" und {more} weitere" if de else f" and {more} more"
        lines.append(f"- **{md_text(miss.title)}** ({len(miss.names)}): {names}")
    return [f"## 4. {title}", "", *(lines or _none(de))]


def _phases(view: Lagebild, de: bool, lang: str) -> list[str]:
    head = "Organisationen | länger als geplant" if de else "organisations | longer than planned"
    parts = ["## 5. " + ("Phasen" if de else "Phases"), "", f"| Phase | {head} |", "|---|---|---|"]
    parts += [f"| {label(p, lang)} | {n} | {late} |" for p, (n, late) in view.phases.items()]
    if view.stuck:
        parts += ["", "Länger als geplant:" if de else "Longer than planned:", ""]
        parts += [
            f"- **{md_text(name)}** – {label(phase, lang)}, "
            + (f"{days} Tage über Plan" if de else f"{days} days over plan")
            for name, phase, days in view.stuck
        ]
        if view.stuck_not_listed:
            n = view.stuck_not_listed
            parts.append(f"- … und {n} weitere" if de else f"- … and {n} more")
    return parts


def lagebild_markdown(view: Lagebild, lang: str = "de") -> str:
    """The Lagebild as one Markdown document: a header line and five sections."""
    de = lang == "de"
    sections = [
        _header(view, de, lang),
        _who(view, de, lang),
        _waiting(view, de),
        _what_changed(view, de, lang),
        _missed(view, de),
        _phases(view, de, lang),
    ]
    return "\n\n".join("\n".join(part) for part in sections) + "\n"


def lagebild_description(view: Lagebild, lang: str = "de") -> str:
    """The Lagebild artifact's description: period and what needs the lead."""
    counts = {d: sum(1 for a in view.attention if a.decision == d) for d in SEVERITY[:3]}
    shown = _counted(counts, lang) or (
        "nichts Auffälliges" if lang == "de" else "nothing to report"
    )
    waiting = (
        f" · {len(view.waiting)} {'wartet' if lang == 'de' else 'waiting'}" if view.waiting else ""
    )
    return f"Lagebild {view.period}: {shown}{waiting}"
