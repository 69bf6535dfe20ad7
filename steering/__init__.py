"""PDCA steering engine for digitalisation programmes in the German social economy."""

__version__ = "0.1.0"
