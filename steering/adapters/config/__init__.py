"""Loading programme definitions from YAML files."""

from steering.adapters.config.loader import ConfigError, ConfigProblem, load_definition

__all__ = ["ConfigError", "ConfigProblem", "load_definition"]
