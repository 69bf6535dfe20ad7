"""Planned vs actual, traffic lights with hysteresis and abort criteria, vectorised."""
