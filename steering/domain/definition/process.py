"""PDCA template and the 12-step driver-integration template."""

from __future__ import annotations

from pydantic import Field, model_validator

from steering.domain.definition.common import StrictModel
from steering.domain.templates import DEFAULT_DRIVER_INTEGRATION, DEFAULT_PDCA
from steering.domain.vocabulary import Phase


class Gate(StrictModel):
    """Evidence needed to leave a phase."""

    steps_done: list[int] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)


class PhaseTemplate(StrictModel):
    """One PDCA phase with its duration and exit gate."""

    id: Phase
    title: str
    default_duration_days: int = Field(gt=0, le=3650)
    exit_gate: Gate = Gate()


class PdcaTemplate(StrictModel):
    """The four phases in order."""

    phases: list[PhaseTemplate]

    @model_validator(mode="after")
    def _four_phases_in_order(self) -> PdcaTemplate:
        if [p.id for p in self.phases] != list(Phase):
            raise ValueError("phases must be exactly plan, do, check, act in this order")
        return self


class StepTemplate(StrictModel):
    """One step of the driver integration."""

    number: int = Field(ge=1, le=50)
    title: str
    phase: Phase
    subtasks: list[str] = Field(default_factory=list)
    default_duration_days: int = Field(default=30, gt=0, le=3650)


class DriverIntegrationTemplate(StrictModel):
    """The numbered steps; with `sequential`, step n+1 opens when step n is done."""

    sequential: bool = True
    steps: list[StepTemplate]

    @model_validator(mode="after")
    def _numbered_consecutively(self) -> DriverIntegrationTemplate:
        numbers = [s.number for s in self.steps]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("steps must be numbered 1, 2, 3, ... without gaps")
        order = list(Phase)
        phases = [order.index(s.phase) for s in self.steps]
        if phases != sorted(phases):
            raise ValueError("step phases must follow the PDCA order (plan, do, check, act)")
        return self


def default_pdca() -> PdcaTemplate:
    """The built-in PDCA template."""
    return PdcaTemplate.model_validate(DEFAULT_PDCA)


def default_driver_integration() -> DriverIntegrationTemplate:
    """The built-in 12-step driver integration."""
    return DriverIntegrationTemplate.model_validate(DEFAULT_DRIVER_INTEGRATION)
