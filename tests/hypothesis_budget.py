"""Hypothesis example budgets: few examples in the dev loop, the full count in CI."""

from __future__ import annotations

import os

from hypothesis import settings

PROFILE_ENV = "HYPOTHESIS_PROFILE"
# The example counts the tests name are their CI counts, written against this profile budget.
CI_EXAMPLES = 100
DEV_EXAMPLES = 10


def register_profiles() -> None:
    """Register `dev` (default, fast) and `ci` (thorough) and load the one asked for."""
    settings.register_profile("ci", max_examples=CI_EXAMPLES, print_blob=True)
    settings.register_profile("dev", max_examples=DEV_EXAMPLES)
    settings.load_profile(os.environ.get(PROFILE_ENV, "dev"))


def examples(thorough: int) -> int:
    """A test's example count: `thorough` under the ci profile, scaled down under dev."""
    return max(5, thorough * settings().max_examples // CI_EXAMPLES)
