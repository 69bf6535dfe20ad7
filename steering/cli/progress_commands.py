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
from steering.cli.context import de_en as _de
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
from steering.i18n import counted
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
            _de(
                f"{where} · Schritt {step} war bereits erledigt; nichts geändert.",
                f"{where} · step {step} was already done; nothing changed.",
            ),
            soft_wrap=True,
        )
        return
    line = f"[green]✓[/green] {where} · " + _de(f"Schritt {step} erledigt", f"step {step} done")
    titles = {s.number: s.title for s in definition.driver_integration.steps}
    if outcome.opened is not None:
        nxt = outcome.opened
        due = (
            _de(f", fällig am {format_date(nxt.due_date)}", f", due {format_date(nxt.due_date)}")
            if nxt.due_date
            else ""
        )
        line += _de(
            f"; Schritt {nxt.step} ({titles[nxt.step]}) ist offen{due}",
            f"; step {nxt.step} ({titles[nxt.step]}) is open{due}",
        )
    elif outcome.done == outcome.total:
        line += _de(
            f"; alle {counted(outcome.total, 'steps')} erledigt",
            f"; all {counted(outcome.total, 'steps', 'en')} done",
        )
    else:
        line += _de(
            f" ({outcome.done} von {outcome.total})", f" ({outcome.done} of {outcome.total})"
        )
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
    where = f"{org} · {driver_label(state.driver, STATE.lang)} · " + _de(
        f"Schritt {step}", f"step {step}"
    )
    name = step_template(definition.driver_integration, step).subtasks[subtask - 1]
    STATE.console.print(
        f"[green]✓[/green] {where}: "
        + _de(f"Teilaufgabe {subtask} „{name}“ abgehakt", f"sub-task {subtask} '{name}' ticked"),
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
    _fail(
        _de(
            f"--due: '{text}' ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT)",
            f"--due: '{text}' is not a date (DD.MM.YYYY or YYYY-MM-DD)",
        )
    )


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
        _fail(_de("Bitte --owner und/oder --due angeben", "Give --owner and/or --due"))
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
    where = f"{org} · {driver_label(state.driver, STATE.lang)} · " + _de(
        f"Schritt {step}", f"step {step}"
    )
    who = state.owner or _de("Verantwortliche der Organisation", "the organisation's owners")
    when = format_date(state.due_date) if state.due_date else "–"
    if not changed:
        STATE.console.print(
            f"{where}: " + _de("unverändert", "unchanged") + f" ({who}, {when})", soft_wrap=True
        )
        return
    STATE.console.print(
        f"[green]✓[/green] {where}: "
        + _de(f"verantwortlich {who}, fällig am {when}", f"owner {who}, due {when}"),
        soft_wrap=True,
    )


def _history_table(view: PhaseView, definition: ProgrammeDefinition) -> Table:
    table = Table(
        title=_de("Verlauf", "History"), title_justify="left", show_lines=False, expand=False
    )
    table.add_column(_de("Zeitpunkt", "Time"), no_wrap=True)
    for column in (
        _de("Zyklus", "Cycle"),
        _de("Übergang", "Transition"),
        _de("Wer", "Who"),
        _de("Begründung", "Reason"),
        _de("Freigabe", "Override"),
    ):
        table.add_column(column, overflow="fold")
    for item in view.history:
        table.add_row(
            format_moment(item.at, definition),
            str(item.cycle),
            f"{phase_label(item.from_phase)} → {phase_label(item.to_phase)}",
            item.actor,
            item.reason or "–",
            _de("ja (Override)", "yes (override)") if item.override else _de("nein", "no"),
        )
    return table


def _show_steps(view: PhaseView, definition: ProgrammeDefinition) -> None:
    if not view.steps:
        return
    console = STATE.console
    titles = {s.number: s.title for s in definition.driver_integration.steps}
    marks = {"done": "[green]✓[/green]", "open": "○", "locked": "·"}
    console.print(_de("Schritte dieser Phase:", "Steps of this phase:"))
    for state in view.steps:
        facts = []
        if state.owner:
            facts.append(state.owner)
        if state.due_date and str(state.status) != "done":
            facts.append(_de("fällig ", "due ") + format_date(state.due_date))
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
                _de(
                    "[bold red]Teilnahme beendet[/bold red]: ",
                    "[bold red]Participation ended[/bold red]: ",
                )
                if lead.aborted
                else _de("Entscheidung der Projektleitung: ", "Lead's decision: ")
            )
            + shown,
            soft_wrap=True,
        )
    console.print(
        _de(
            f"Zyklus {view.cycle.number} · Phase {phase_label(view.cycle.phase)} "
            f"({view.phase_title})",
            f"Cycle {view.cycle.number} · phase {phase_label(view.cycle.phase)} "
            f"({view.phase_title})",
        ),
        soft_wrap=True,
    )
    if view.phase_due is not None:
        line = _de(
            f"Phase fällig am {format_date(view.phase_due)}",
            f"Phase due on {format_date(view.phase_due)}",
        )
        if view.days_overdue:
            line += _de(
                f" [red](seit {view.days_overdue} {'Tag' if view.days_overdue == 1 else 'Tagen'}"
                " überfällig)[/red]",
                f" [red]({view.days_overdue} {'day' if view.days_overdue == 1 else 'days'}"
                " overdue)[/red]",
            )
        console.print(line, soft_wrap=True)
    _show_steps(view, definition)
    target = phase_label(view.gate.next_phase)
    if view.gate.met:
        console.print(
            _de(f"Übergang nach {target}: ", f"Move to {target}: ")
            + _de("[green]✓ Kriterien erfüllt[/green]", "[green]✓ criteria met[/green]"),
            soft_wrap=True,
        )
    else:
        console.print(
            _de(f"Übergang nach {target}: ", f"Move to {target}: ")
            + _de("[red]✗ nicht erfüllt[/red], es fehlt:", "[red]✗ not met[/red], missing:"),
            soft_wrap=True,
        )
        for item in view.gate.missing:
            console.print(f"  • {item}", soft_wrap=True)
    if view.evidence:
        console.print(_de("Nachweise in diesem Zyklus:", "Evidence in this cycle:"))
        for evidence in view.evidence:
            console.print(
                f"  • {evidence.kind}: {evidence.reference} "
                f"({evidence.recorded_by}, {format_moment(evidence.recorded_at, definition)})",
                soft_wrap=True,
            )
    if view.history:
        console.print(_history_table(view, definition))
    else:
        console.print(_de("Noch keine Phasenübergänge.", "No phase transitions yet."))


def _print_transition(transition: Transition) -> None:
    move = f"{phase_label(transition.from_phase)} → {phase_label(transition.to_phase)}"
    line = f"[green]✓[/green] {transition.organisation_id} · " + _de(
        f"Zyklus {transition.cycle}: {move}", f"cycle {transition.cycle}: {move}"
    )
    if transition.starts_cycle:
        line += _de(
            f"; Zyklus {transition.cycle + 1} beginnt", f"; cycle {transition.cycle + 1} begins"
        )
    STATE.console.print(line, soft_wrap=True)
    if transition.override:
        STATE.console.print(
            _de(
                f"[yellow]Freigabe trotz fehlender Kriterien (Override): {transition.reason}"
                "[/yellow]",
                f"[yellow]Approved despite missing criteria (override): {transition.reason}"
                "[/yellow]",
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
        _fail(
            _de(
                "--reason und --override nur zusammen mit --to", "--reason and --override need --to"
            )
        )
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
            _de(
                f"[red]Übergang von {source} nach {target} nicht möglich, es fehlt:[/red]",
                f"[red]Cannot move from {source} to {target}, missing:[/red]",
            ),
            soft_wrap=True,
        )
        for item in exc.missing:
            STATE.errors.print(f"  • {item}", soft_wrap=True)
        _fail(
            _de(
                'Mit --override und --reason "..." kann die Projektleitung den Übergang '
                "trotzdem freigeben.",
                'With --override and --reason "..." the project lead can approve it anyway.',
            )
        )
    except ProgressError as exc:
        _fail(exc.text(STATE.lang))
    if transition is None:
        STATE.console.print(
            _de(
                f"{org} ist bereits in Phase {phase_label(parse_phase(to))}; nichts geändert.",
                f"{org} is already in phase {phase_label(parse_phase(to))}; nothing changed.",
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
            + _de(
                f"Nachweis '{kind}' für {org} in Zyklus {outcome.cycle} erfasst: "
                f"{outcome.reference}",
                f"Evidence '{kind}' for {org} recorded in cycle {outcome.cycle}: "
                f"{outcome.reference}",
            ),
            soft_wrap=True,
        )
    else:
        STATE.console.print(
            _de(
                f"Nachweis '{kind}' für {org} in Zyklus {outcome.cycle} war bereits erfasst; "
                "nichts geändert.",
                f"Evidence '{kind}' for {org} in cycle {outcome.cycle} was already recorded; "
                "nothing changed.",
            ),
            soft_wrap=True,
        )
    required = sorted({k for p in definition.pdca.phases for k in p.exit_gate.evidence})
    if kind not in required:
        STATE.console.print(
            _de(
                f"Hinweis: '{kind}' verlangt kein Übergangskriterium (verlangt: "
                f"{', '.join(required) or '–'}).",
                f"Note: no exit criterion asks for '{kind}' (asked for: "
                f"{', '.join(required) or '–'}).",
            ),
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    """Add the step, phase and evidence commands."""
    app.add_typer(step_app, name="step")
    app.command()(phase)
    app.command()(evidence)
