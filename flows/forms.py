"""The run forms of the served deployments: German titles, descriptions, choices, defaults."""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect.deployments.runner import RunnerDeployment

from flows.form_texts import TEXTS
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.sources import SurveySource
from steering.domain.schedule import due_period
from steering.domain.vocabulary import Driver, label

KEPT = ("title", "description", "default", "position")


def _choice(prop: dict[str, Any], values: list[str]) -> dict[str, Any]:
    """A parameter shown as a drop-down in the Prefect UI's run form."""
    return {**{k: v for k, v in prop.items() if k in KEPT}, "type": "string", "enum": values}


def _without_null(prop: dict[str, Any]) -> dict[str, Any]:
    """An optional parameter as a plain field left empty, not a 'str | None' type switch."""
    kinds = [k for k in prop.get("anyOf", []) if k.get("type") != "null"]
    if "anyOf" not in prop or len(kinds) != 1:
        return prop
    keep = {k: v for k, v in prop.items() if k in KEPT and not (k == "default" and v is None)}
    return {**keep, **kinds[0]}


def german_form(
    deployment: RunnerDeployment,
    flow_name: str,
    definition: ProgrammeDefinition,
    *,
    today: date | None,
) -> None:
    """Give every parameter a German title and description, choices and defaults.

    The programme is the served one: its path is fixed in the deployment, not in the form.
    """
    schema = deployment._parameter_openapi_schema
    properties = schema.properties
    properties.pop("config", None)
    schema.required = [name for name in schema.required or [] if name != "config"]
    names = [o.name for o in definition.organisations if o.active]
    for name, given in list(properties.items()):
        prop = _without_null(given)
        if name == "organisation":
            prop = _choice(prop, names)
        elif name == "period" and flow_name == "evaluation":
            prop = _choice(prop, definition.period_ids())
            if today is not None:
                prop["default"] = due_period(definition.programme.periods, today)
        elif name == "driver":
            drivers = sorted({label(str(d)) for o in definition.organisations for d in o.drivers})
            prop = _choice(prop, drivers)
        elif name == "source":
            surveys = [s.key for s in definition.sources if isinstance(s, SurveySource)]
            if surveys:
                prop = _choice(prop, surveys)
        title, description = TEXTS.get((flow_name, name), (prop.get("title", name), ""))
        properties[name] = {**prop, "title": title, "description": description}


def organisation_id(definition: ProgrammeDefinition, given: str) -> str:
    """The id of an organisation chosen by name in a form (an id is taken as it is)."""
    if given in {o.id for o in definition.organisations}:
        return given
    by_name = {o.name: o.id for o in definition.organisations}
    if given in by_name:
        return by_name[given]
    raise ValueError(
        f"Organisation {given!r} gibt es in {definition.programme.id} nicht "
        "(weder als Name noch als ID)"
    )


def driver_code(given: str) -> str:
    """The code of a driver chosen by its German name in a form (a code is taken as it is)."""
    codes = {label(str(d)): str(d) for d in Driver}
    return codes.get(given, given)
