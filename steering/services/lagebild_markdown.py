"""Render the Lagebild as Markdown and its signal as a one-line artifact description."""

from __future__ import annotations

from collections.abc import Mapping

from steering.domain.evaluation.light_scale import SYMBOLS
from steering.domain.lagebild import DIMENSION_ORDER, SEVERITY, severity_rank, worst_dimensions
from steering.domain.vocabulary import label
from steering.i18n import ntr, tr
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
    head = f"- {_symbols(line.lights, lang)} **{md_text(line.name)}**"
    parts = []
    if line.worst_dimensions:
        dims = ", ".join(label(d, lang) for d in line.worst_dimensions)
        # The reason's first part names the indicators; the rule behind it is in the status.
        reason = line.worst_reason.split(" · ")[0]
        parts.append(f"{dims}: {md_text(_short(reason, REASON_CHARS))}")
    parts.append(tr("criteria: **{decision}**", lang, decision=label(line.decision, lang)))
    if line.lead_decision:
        parts.append(tr("lead: **{decision}**", lang, decision=label(line.lead_decision, lang)))
    elif line.decision in ("escalate", "abort_review"):
        parts.append(tr("lead: *open*", lang))
    if line.phase:
        late = ""
        if line.phase_days_overdue:
            # Not ntr: the Lagebild has always said "+1 Tage"/"+1 days".
            late = " " + tr("(+{days} days)", lang, days=line.phase_days_overdue)
        parts.append(f"Phase {label(line.phase, lang)}{late}")
    if line.overdue_steps:
        parts.append(ntr("1 step overdue", "{n} steps overdue", line.overdue_steps, lang))
    return f"{head} – " + " · ".join(parts)


def _change(change: Change, lang: str) -> str:
    if change.subject == "decision":
        what = tr("criteria", lang)
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


def _none(lang: str) -> list[str]:
    return ["- " + tr("none", lang)]


def _header(view: Lagebild, lang: str) -> list[str]:
    # Both languages have always shown the checkpoint's moment day first.
    when = f"{view.at:%d.%m.%Y %H:%M} {view.at.tzname()}"
    waiting = len(view.waiting)
    line = tr(
        "Checkpoint `{key}` of {when} · {count} organisations: {decisions}",
        lang,
        key=view.key,
        when=when,
        count=view.organisations,
        decisions=_counted(view.decisions, lang),
    )
    if waiting:
        line += " · " + ntr("{n} evaluation waiting", "{n} evaluations waiting", waiting, lang)
    return [f"# Lagebild {view.period}", "", f"**{md_text(view.title)}**", "", line]


def _who(view: Lagebild, lang: str) -> list[str]:
    legend = tr(
        "Lights: Q quality, C cost, S staff, T time. Criteria = what the abort "
        "criteria say, lead = the lead's decision. Reasons and mitigations: artifact "
        "`status-<organisation>`.",
        lang,
    )
    parts = ["## 1. " + tr("Who needs the lead", lang), "", legend, ""]
    parts += [_attention(a, lang) for a in view.attention] or _none(lang)
    if view.not_listed:
        rest = _counted(view.not_listed, lang)
        parts += ["", tr("Not listed (no red light): {rest}.", lang, rest=rest)]
    if view.quiet:
        calm = ", ".join(md_text(n) for n in view.quiet)
        parts += ["", tr("All green: {names}", lang, names=calm)]
    if view.aborted:
        ended = ", ".join(md_text(n) for n in view.aborted)
        parts += ["", tr("Participation ended: {names}", lang, names=ended)]
    return parts


def _waiting(view: Lagebild, lang: str) -> list[str]:
    lines = []
    for w in view.waiting:
        line = f"- **{md_text(w.name or w.organisation)}** {w.period}: "
        line += f"[{md_text(w.run_name)}]({w.url})"
        if w.since:
            # Both languages have always shown the moment day first.
            since = f"{w.since.astimezone(view.at.tzinfo):%d.%m.%Y %H:%M}"
            line += " – " + tr("waiting since {since}", lang, since=since)
        lines.append(line)
    return ["## 2. " + tr("Evaluations waiting", lang), "", *(lines or _none(lang))]


def _what_changed(view: Lagebild, lang: str) -> list[str]:
    title = tr("Changes since the last checkpoint", lang)
    parts = [f"## 3. {title}", "", *(_change_lines(view.changes, lang) or _none(lang))]
    if view.changes_not_listed:
        n = view.changes_not_listed
        parts += ["", tr("And {count} organisations without a red light changed.", lang, count=n)]
    return parts


def _missed(view: Lagebild, lang: str) -> list[str]:
    lines = []
    for miss in view.misses:
        names = ", ".join(md_text(n) for n in miss.names[:NAMES_PER_MISS])
        more = len(miss.names) - NAMES_PER_MISS
        if more > 0:
            names += " " + tr("and {count} more", lang, count=more)
        lines.append(f"- **{md_text(miss.title)}** ({len(miss.names)}): {names}")
    title = tr("Off target in {period}", lang, period=view.period)
    return [f"## 4. {title}", "", *(lines or _none(lang))]


def _phases(view: Lagebild, lang: str) -> list[str]:
    head = tr("organisations | longer than planned", lang)
    parts = ["## 5. " + tr("Phases", lang), "", f"| Phase | {head} |", "|---|---|---|"]
    parts += [f"| {label(p, lang)} | {n} | {late} |" for p, (n, late) in view.phases.items()]
    if view.stuck:
        parts += ["", tr("Longer than planned:", lang), ""]
        parts += [
            f"- **{md_text(name)}** – {label(phase, lang)}, "
            + tr("{days} days over plan", lang, days=days)
            for name, phase, days in view.stuck
        ]
        if view.stuck_not_listed:
            parts.append("- " + tr("… and {count} more", lang, count=view.stuck_not_listed))
    return parts


def lagebild_markdown(view: Lagebild, lang: str = "de") -> str:
    """The Lagebild as one Markdown document: a header line and five sections."""
    sections = [
        _header(view, lang),
        _who(view, lang),
        _waiting(view, lang),
        _what_changed(view, lang),
        _missed(view, lang),
        _phases(view, lang),
    ]
    return "\n\n".join("\n".join(part) for part in sections) + "\n"


def lagebild_description(view: Lagebild, lang: str = "de") -> str:
    """The Lagebild artifact's description: period and what needs the lead."""
    counts = {d: sum(1 for a in view.attention if a.decision == d) for d in SEVERITY[:3]}
    shown = _counted(counts, lang) or tr("nothing to report", lang)
    waiting = " · " + tr("{count} waiting", lang, count=len(view.waiting)) if view.waiting else ""
    return f"Lagebild {view.period}: {shown}{waiting}"
