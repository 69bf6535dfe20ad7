"""Pure domain: programme definitions, periods, PDCA, indicators, lights (no I/O)."""
