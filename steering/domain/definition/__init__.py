"""The programme definition a project lead writes in YAML, as validated pydantic models."""

from steering.domain.definition.programme import ProgrammeDefinition

__all__ = ["ProgrammeDefinition"]
