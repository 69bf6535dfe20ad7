"""Deployments are built from the programme definition with schedules in its timezone."""

from __future__ import annotations

import asyncio
import inspect
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from paths import CONFIG
from prefect.server.schemas.schedules import CronSchedule

from flows.deployments import build_deployments
from flows.forms import driver_code, organisation_id
from steering.adapters.config import load_definition


def _deployments(today: date | None = None) -> dict[str, object]:
    definition = load_definition(CONFIG)
    return {d.name: d for d in build_deployments(Path(CONFIG), definition, today=today)}


LEBENSHILFE = "Lebenshilfe für Menschen mit Behinderung Erfurt e. V. (fiktiv)"


def test_the_checkpoint_runs_at_seven_berlin_time_in_winter_and_in_summer() -> None:
    deployment = _deployments()["digital-und-sozial-checkpoint"]
    (schedule,) = deployment.schedules  # type: ignore[attr-defined]
    assert schedule.schedule.timezone == "Europe/Berlin"

    server_side = CronSchedule(cron=schedule.schedule.cron, timezone="Europe/Berlin")
    computed = server_side.get_dates(n=2, start=datetime(2019, 1, 1, tzinfo=UTC))
    # Prefect computes dates synchronously or as a coroutine depending on the caller.
    dates = asyncio.run(computed) if inspect.isawaitable(computed) else computed

    # 07:00 CET is 06:00 UTC in January, 07:00 CEST is 05:00 UTC in July.
    assert [d.astimezone(UTC).hour for d in dates] == [6, 5]
    assert [(d.month, d.day) for d in dates] == [(1, 15), (7, 15)]


def test_every_flow_is_deployed_and_only_the_evaluation_and_the_shards_are_unscheduled() -> None:
    deployments = _deployments()

    assert set(deployments) == {
        "digital-und-sozial-checkpoint",
        "digital-und-sozial-pdca",
        "digital-und-sozial-integration",
        "digital-und-sozial-reminders",
        "digital-und-sozial-evaluation",
        "digital-und-sozial-checkpoint-shard",
    }
    assert deployments["digital-und-sozial-evaluation"].schedules == []  # type: ignore[attr-defined]
    shards = deployments["digital-und-sozial-checkpoint-shard"]
    assert shards.schedules == []  # type: ignore[attr-defined]


def test_the_evaluation_form_offers_the_configured_organisations_periods_and_surveys() -> None:
    evaluation = _deployments()["digital-und-sozial-evaluation"]
    properties = evaluation._parameter_openapi_schema.properties  # type: ignore[attr-defined]

    assert LEBENSHILFE in properties["organisation"]["enum"]  # chosen by name
    assert "lebenshilfe-erfurt" not in properties["organisation"]["enum"]
    assert properties["period"]["enum"][0] == "2018-H1"
    assert properties["source"]["enum"] == ["feedback-weiterbildung", "mo-befragung"]
    assert properties["organisation"]["description"] == "Organisation, die evaluiert wird."


def test_every_form_field_is_german_and_the_served_programme_is_no_field() -> None:
    for name, deployment in _deployments().items():
        schema = deployment._parameter_openapi_schema  # type: ignore[attr-defined]

        assert "config" not in schema.properties and "config" not in (schema.required or [])
        for field, prop in schema.properties.items():
            assert prop["title"] and prop["title"] != field, (name, field)
            assert len(prop["description"]) > 20, (name, field)


def test_the_evaluation_form_proposes_the_last_closed_half_year_and_drivers_by_name() -> None:
    served = _deployments(today=date(2019, 8, 1))
    evaluation = served["digital-und-sozial-evaluation"]
    integration = served["digital-und-sozial-integration"]

    period = evaluation._parameter_openapi_schema.properties["period"]  # type: ignore[attr-defined]
    driver = integration._parameter_openapi_schema.properties["driver"]  # type: ignore[attr-defined]
    assert period["default"] == "2019-H1"
    assert "Künstliche Intelligenz" in driver["enum"] and "anyOf" not in driver
    assert driver_code("Künstliche Intelligenz") == "ai"


def test_an_organisation_chosen_by_name_or_id_is_its_id_and_an_unknown_one_is_named() -> None:
    definition = load_definition(CONFIG)

    assert organisation_id(definition, LEBENSHILFE) == "lebenshilfe-erfurt"
    assert organisation_id(definition, "lebenshilfe-erfurt") == "lebenshilfe-erfurt"
    with pytest.raises(ValueError, match="'Lebenshilfe Erfurt' gibt es in digital-und-sozial"):
        organisation_id(definition, "Lebenshilfe Erfurt")


def test_the_work_pool_deployments_in_prefect_yaml_match_the_served_ones() -> None:
    import yaml
    from paths import ROOT

    listed = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    served = _deployments()
    crons = {d["name"]: [s["cron"] for s in d.get("schedules", [])] for d in listed}

    assert set(crons) == set(served)
    for name, deployment in served.items():
        expected = [s.schedule.cron for s in deployment.schedules]  # type: ignore[attr-defined]
        assert crons[name] == expected, name
