"""`steer step done|tick|assign`, `steer phase`, `steer evidence`: steps and phases by hand."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, NoReturn
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.table import Table

from steering import clock
from steering.bootstrap import wire
from steering.cli.context import STATE
from steering.cli.context import current_actor as _actor
from steering.cli.status_commands import ConfigArg, load_or_exit, open_programme
from steering.domain.definition import ProgrammeDefinition
from steering.domain.integration import (
    ProgressError,
    driver_label,
    step_template,
    subtask_summary,
)
from steering.domain.pdca import GateNotMet, Transition, parse_phase, phase_label
from steering.domain.reporting.formats import day_text, parse_day
from steering.i18n import ntr, ptr, tr
from steering.services.decisions import LeadView, lead_views
from steering.services.integration import assign_step, complete_step, tick_subtask
from steering.services.pdca import PhaseView, advance_phase, phase_status, record_evidence

OrgArg = Annotated[str, typer.Argument(help="Organisation (ID aus der Programmdefinition).")]
DriverArg = Annotated[str, typer.Argument(help="Treiber, z. B. cloud oder online_platforms.")]
StepArg = Annotated[int, typer.Argument(help="Nummer des Schritts (1 bis 12).")]

step_app = typer.Typer(help="Schritte der Treiberintegration.", no_args_is_help=True)


def _now() -> datetime:
    return clock.now()


def _fail(message: str) -> NoReturn:
    STATE.errors.print(f"[red]{message}[/red]", soft_wrap=True)
    raise typer.Exit(1)


def format_date(day: date) -> str:
    """A date as users read it: 14.02.2020 in German, 2020-02-14 in English."""
    return day_text(day, STATE.lang)


def format_moment(moment: datetime, definition: ProgrammeDefinition) -> str:
    """A timestamp in the programme's timezone, e.g. 14.02.2020 09:30."""
    local = moment.astimezone(ZoneInfo(definition.programme.timezone))
    return f"{format_date(local.date())} {local:%H:%M}"


@step_app.command("done")
def step_done(
    config: ConfigArg,
    org: OrgArg,
    driver: DriverArg,
    step: StepArg,
    evidence: Annotated[
        str | None, typer.Option("--evidence", help="Link zum Nachweis (Dokument, Protokoll).")
    ] = None,
) -> None:
    """Markiert einen Schritt als erledigt und öffnet den nächsten."""
    definition, wiring = open_programme(config)
    try:
        outcome = complete_step(
            definition,
            org,
            driver,
            step,
            evidence_url=evidence,
            uow=wiring.uow(),
            now=_now(),
            actor=_actor(),
        )
    except ProgressError as exc:
        _fail(exc.text(STATE.lang))
    where = f"{org} · {driver_label(outcome.driver, STATE.lang)}"
    if not outcome.completed:
        STATE.console.print(
            tr(
                "{where} · step {step} was already done; nothing changed.",
                STATE.lang,
                where=where,
                step=step,
            ),
            soft_wrap=True,
        )
        return
    line = f"[green]✓[/green] {where} · " + tr("step {step} done", STATE.lang, step=step)
    titles = {s.number: s.title for s in definition.driver_integration.steps}
    if outcome.opened is not None:
        nxt = outcome.opened
        due = (
            tr(", due {due_date}", STATE.lang, due_date=format_date(nxt.due_date))
            if nxt.due_date
            else ""
        )
        line += tr(
            "; step {step} ({value}) is open{due}",
            STATE.lang,
            step=nxt.step,
            value=titles[nxt.step],
            due=due,
        )
    elif outcome.done == outcome.total:
        line += ntr("; all {n} step done", "; all {n} steps done", outcome.total, STATE.lang)
    else:
        line += tr(" ({done} of {total})", STATE.lang, done=outcome.done, total=outcome.total)
    STATE.console.print(line, soft_wrap=True)


@step_app.command("tick")
def step_tick(
    config: ConfigArg,
    org: OrgArg,
    driver: DriverArg,
    step: StepArg,
    subtask: Annotated[int, typer.Argument(help="Nummer der Teilaufgabe (ab 1).")],
) -> None:
    """Hakt eine Teilaufgabe eines offenen Schritts ab."""
    definition, wiring = open_programme(config)
    try:
        state = tick_subtask(
            definition,
            org,
            driver,
            step,
            subtask - 1,
            uow=wiring.uow(),
            now=_now(),
            actor=_actor(),
        )
    except ProgressError as exc:
        _fail(exc.text(STATE.lang))
    where = f"{org} · {driver_label(state.driver, STATE.lang)} · " + tr(
        "step {step}", STATE.lang, step=step
    )
    name = step_template(definition.driver_integration, step).subtasks[subtask - 1]
    STATE.console.print(
        f"[green]✓[/green] {where}: "
        + tr("sub-task {subtask} '{name}' ticked", STATE.lang, subtask=subtask, name=name),
        soft_wrap=True,
    )
    STATE.console.print(
        "  " + subtask_summary(state, definition.driver_integration, STATE.lang), soft_wrap=True
    )


def _parse_day(text: str) -> date:
    try:
        return parse_day(text)
    except ValueError:
        pass
    _fail(tr("--due: '{text}' is not a date (DD.MM.YYYY or YYYY-MM-DD)", STATE.lang, text=text))


@step_app.command("assign")
def step_assign(
    config: ConfigArg,
    org: OrgArg,
    driver: DriverArg,
    step: StepArg,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Verantwortliche Person (ID aus people).")
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="Fälligkeit (TT.MM.JJJJ oder JJJJ-MM-TT).")
    ] = None,
) -> None:
    """Setzt Verantwortliche und/oder Fälligkeit eines Schritts (Erinnerungen gehen an sie)."""
    if owner is None and due is None:
        _fail(tr("Give --owner and/or --due", STATE.lang))
    day = None if due is None else _parse_day(due)
    definition, wiring = open_programme(config)
    try:
        state, changed = assign_step(
            definition,
            org,
            driver,
            step,
            owner=owner,
            due=day,
            uow=wiring.uow(),
            now=_now(),
            actor=_actor(),
        )
    except ProgressError as exc:
        _fail(exc.text(STATE.lang))
    where = f"{org} · {driver_label(state.driver, STATE.lang)} · " + tr(
        "step {step}", STATE.lang, step=step
    )
    who = state.owner or tr("the organisation's owners", STATE.lang)
    when = format_date(state.due_date) if state.due_date else "–"
    if not changed:
        STATE.console.print(
            f"{where}: " + tr("unchanged", STATE.lang) + f" ({who}, {when})", soft_wrap=True
        )
        return
    STATE.console.print(
        f"[green]✓[/green] {where}: "
        + tr("owner {who}, due {when}", STATE.lang, who=who, when=when),
        soft_wrap=True,
    )


def _history_table(view: PhaseView, definition: ProgrammeDefinition) -> Table:
    table = Table(
        title=tr("History", STATE.lang), title_justify="left", show_lines=False, expand=False
    )
    table.add_column(ptr("moment", "Time", STATE.lang), no_wrap=True)
    for column in (
        tr("Cycle", STATE.lang),
        tr("Transition", STATE.lang),
        tr("Who", STATE.lang),
        tr("Reason", STATE.lang),
        tr("Override", STATE.lang),
    ):
        table.add_column(column, overflow="fold")
    for item in view.history:
        table.add_row(
            format_moment(item.at, definition),
            str(item.cycle),
            f"{phase_label(item.from_phase)} → {phase_label(item.to_phase)}",
            item.actor,
            item.reason or "–",
            tr("yes (override)", STATE.lang) if item.override else tr("no", STATE.lang),
        )
    return table


def _show_steps(view: PhaseView, definition: ProgrammeDefinition) -> None:
    if not view.steps:
        return
    console = STATE.console
    titles = {s.number: s.title for s in definition.driver_integration.steps}
    marks = {"done": "[green]✓[/green]", "open": "○", "locked": "·"}
    console.print(tr("Steps of this phase:", STATE.lang))
    for state in view.steps:
        facts = []
        if state.owner:
            facts.append(state.owner)
        if state.due_date and str(state.status) != "done":
            facts.append(tr("due ", STATE.lang) + format_date(state.due_date))
        extra = f" ({', '.join(facts)})" if facts else ""
        console.print(
            f"  {marks[str(state.status)]} {driver_label(state.driver, STATE.lang)} · "
            f"{state.step} {titles.get(state.step, '')}{extra}",
            soft_wrap=True,
        )
        summary = subtask_summary(state, definition.driver_integration, STATE.lang)
        if summary:
            console.print(f"      {summary}", soft_wrap=True)


def _show(view: PhaseView, definition: ProgrammeDefinition, lead: LeadView | None = None) -> None:
    console = STATE.console
    console.print(f"[bold]{view.organisation_id}[/bold] – {view.name}", soft_wrap=True)
    if lead is not None:
        shown = escape(lead.text(STATE.lang))
        console.print(
            (
                tr("[bold red]Participation ended[/bold red]: ", STATE.lang)
                if lead.aborted
                else tr("Lead's decision: ", STATE.lang)
            )
            + shown,
            soft_wrap=True,
        )
    console.print(
        tr(
            "Cycle {number} · phase {phase} ({phase_title})",
            STATE.lang,
            number=view.cycle.number,
            phase=phase_label(view.cycle.phase),
            phase_title=view.phase_title,
        ),
        soft_wrap=True,
    )
    if view.phase_due is not None:
        line = tr("Phase due on {phase_due}", STATE.lang, phase_due=format_date(view.phase_due))
        if view.days_overdue:
            line += ntr(
                " [red]({n} day overdue)[/red]",
                " [red]({n} days overdue)[/red]",
                view.days_overdue,
                STATE.lang,
            )
        console.print(line, soft_wrap=True)
    _show_steps(view, definition)
    target = phase_label(view.gate.next_phase)
    if view.gate.met:
        console.print(
            tr("Move to {target}: ", STATE.lang, target=target)
            + tr("[green]✓ criteria met[/green]", STATE.lang),
            soft_wrap=True,
        )
    else:
        console.print(
            tr("Move to {target}: ", STATE.lang, target=target)
            + tr("[red]✗ not met[/red], missing:", STATE.lang),
            soft_wrap=True,
        )
        for item in view.gate.missing:
            console.print(f"  • {item}", soft_wrap=True)
    if view.evidence:
        console.print(tr("Evidence in this cycle:", STATE.lang))
        for evidence in view.evidence:
            console.print(
                f"  • {evidence.kind}: {evidence.reference} "
                f"({evidence.recorded_by}, {format_moment(evidence.recorded_at, definition)})",
                soft_wrap=True,
            )
    if view.history:
        console.print(_history_table(view, definition))
    else:
        console.print(tr("No phase transitions yet.", STATE.lang))


def _print_transition(transition: Transition) -> None:
    move = f"{phase_label(transition.from_phase)} → {phase_label(transition.to_phase)}"
    line = f"[green]✓[/green] {transition.organisation_id} · " + tr(
        "cycle {cycle}: {move}", STATE.lang, cycle=transition.cycle, move=move
    )
    if transition.starts_cycle:
        line += tr("; cycle {value} begins", STATE.lang, value=transition.cycle + 1)
    STATE.console.print(line, soft_wrap=True)
    if transition.override:
        STATE.console.print(
            tr(
                "[yellow]Approved despite missing criteria (override): {reason}[/yellow]",
                STATE.lang,
                reason=transition.reason,
            ),
            soft_wrap=True,
        )


def phase(
    config: ConfigArg,
    org: OrgArg,
    to: Annotated[
        str | None,
        typer.Option("--to", help="Nächste Phase (plan, do, check, act); ohne: nur anzeigen."),
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Begründung des Übergangs.")] = "",
    override: Annotated[
        bool,
        typer.Option("--override", help="Trotz fehlender Kriterien freigeben (mit --reason)."),
    ] = False,
) -> None:
    """Zeigt Zyklus, Phase und Übergangskriterien oder wechselt mit --to in die nächste Phase."""
    definition = load_or_exit(config)
    if to is None and (override or reason):
        _fail(tr("--reason and --override need --to", STATE.lang))
    wiring = wire()
    wiring.migrate()
    if to is None:
        try:
            view = phase_status(definition, org, uow=wiring.uow(), lang=STATE.lang, now=_now())
        except ProgressError as exc:
            _fail(exc.text(STATE.lang))
        lead = lead_views(definition, uow=wiring.uow(), period=None).get(org)
        _show(view, definition, lead)
        return
    try:
        transition = advance_phase(
            definition,
            org,
            to=to,
            reason=reason,
            actor=_actor(),
            override=override,
            uow=wiring.uow(),
            now=_now(),
            lang=STATE.lang,
        )
    except GateNotMet as exc:
        source, target = phase_label(exc.from_phase), phase_label(exc.to_phase)
        STATE.errors.print(
            tr(
                "[red]Cannot move from {source} to {target}, missing:[/red]",
                STATE.lang,
                source=source,
                target=target,
            ),
            soft_wrap=True,
        )
        for item in exc.missing:
            STATE.errors.print(f"  • {item}", soft_wrap=True)
        _fail(
            tr(
                'With --override and --reason "..." the project lead can approve it anyway.',
                STATE.lang,
            )
        )
    except ProgressError as exc:
        _fail(exc.text(STATE.lang))
    if transition is None:
        STATE.console.print(
            tr(
                "{org} is already in phase {to}; nothing changed.",
                STATE.lang,
                org=org,
                to=phase_label(parse_phase(to)),
            )
        )
        return
    _print_transition(transition)


def evidence(
    config: ConfigArg,
    org: OrgArg,
    kind: Annotated[str, typer.Argument(help="Art des Nachweises, z. B. strategy_document.")],
    reference: Annotated[str, typer.Argument(help="Verweis: Link oder Ablageort.")],
) -> None:
    """Erfasst einen Nachweis (z. B. strategy_document) im laufenden PDCA-Zyklus."""
    definition, wiring = open_programme(config)
    try:
        outcome = record_evidence(
            definition, org, kind, reference, uow=wiring.uow(), now=_now(), actor=_actor()
        )
    except ProgressError as exc:
        _fail(exc.text(STATE.lang))
    if outcome.recorded:
        STATE.console.print(
            "[green]✓[/green] "
            + tr(
                "Evidence '{kind}' for {org} recorded in cycle {cycle}: {reference}",
                STATE.lang,
                kind=kind,
                org=org,
                cycle=outcome.cycle,
                reference=outcome.reference,
            ),
            soft_wrap=True,
        )
    else:
        STATE.console.print(
            tr(
                "Evidence '{kind}' for {org} in cycle {cycle} was already recorded; "
                "nothing changed.",
                STATE.lang,
                kind=kind,
                org=org,
                cycle=outcome.cycle,
            ),
            soft_wrap=True,
        )
    required = sorted({k for p in definition.pdca.phases for k in p.exit_gate.evidence})
    if kind not in required:
        STATE.console.print(
            tr(
                "Note: no exit criterion asks for '{kind}' (asked for: {value}).",
                STATE.lang,
                kind=kind,
                value=", ".join(required) or "–",
            ),
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    """Add the step, phase and evidence commands."""
    app.add_typer(step_app, name="step")
    app.command()(phase)
    app.command()(evidence)
