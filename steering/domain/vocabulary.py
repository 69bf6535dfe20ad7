"""Closed vocabularies of the domain (dimensions, drivers, states, ...) with their labels."""

from __future__ import annotations

from enum import StrEnum

from steering.i18n import N_, tr


class Dimension(StrEnum):
    """The four steering dimensions of the Ampelprinzip."""

    QUALITY = "quality"
    COST = "cost"
    STAFF = "staff"
    TIME = "time"


class Light(StrEnum):
    """A traffic-light state; no data is its own state, never green."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NO_DATA = "no_data"


class ExperimentField(StrEnum):
    """Experimentierfelder of the programme."""

    SERVICE_DELIVERY = "leistungserbringung"
    ADMINISTRATION = "verwaltung_4_0"
    INTERNAL_COMMUNICATION = "interne_kommunikation"


class Driver(StrEnum):
    """Digital drivers (Treiber) an organisation can integrate."""

    ONLINE_PLATFORMS = "online_platforms"
    AR_VR = "ar_vr"
    AI = "ai"
    ROBOTICS = "robotics"
    BIG_DATA = "big_data"
    PRINTING_3D = "3d_printing"
    IOT = "iot"
    CLOUD = "cloud"
    SPECIALIST_SOFTWARE = "specialist_software"


class Phase(StrEnum):
    """Phases of the PDCA cycle."""

    PLAN = "plan"
    DO = "do"
    CHECK = "check"
    ACT = "act"


class FederalState(StrEnum):
    """German federal states (ISO 3166-2:DE codes, as the holidays library uses them)."""

    BW = "BW"
    BY = "BY"
    BE = "BE"
    BB = "BB"
    HB = "HB"
    HH = "HH"
    HE = "HE"
    MV = "MV"
    NI = "NI"
    NW = "NW"
    RP = "RP"
    SL = "SL"
    SN = "SN"
    ST = "ST"
    SH = "SH"
    TH = "TH"


class IndicatorKind(StrEnum):
    """What an indicator counts."""

    COUNT = "count"
    SCORE = "score"
    RATIO = "ratio"
    MONEY = "money"
    MILESTONE = "milestone"


class Direction(StrEnum):
    """Which side of the target is good."""

    HIGHER = "higher"
    LOWER = "lower"
    RANGE = "range"


class Scope(StrEnum):
    """Whether an indicator is measured once for the programme or per organisation."""

    PROGRAMME = "programme"
    ORGANISATION = "organisation"


class NoDataPolicy(StrEnum):
    """What a missing value means for the light."""

    NO_DATA = "no_data"
    KEEP_LAST = "keep_last"
    BREACH = "breach"


class Decision(StrEnum):
    """Outcome of the abort criteria; a human decides an actual abort."""

    CONTINUE = "continue"
    WATCH = "watch"
    ESCALATE = "escalate"
    ABORT_REVIEW = "abort_review"


# The English msgids of the vocabulary's values, marked for extraction (see i18n.N_);
# label() translates them when they are shown.
LABELS: dict[str, str] = {
    "quality": N_("Quality"),
    "cost": N_("Cost"),
    "staff": N_("Staff"),
    "time": N_("Time"),
    "green": N_("green"),
    "yellow": N_("yellow"),
    "red": N_("red"),
    "no_data": N_("no data"),
    "leistungserbringung": N_("Service delivery"),
    "verwaltung_4_0": N_("Administration 4.0"),
    "interne_kommunikation": N_("Internal communication"),
    "online_platforms": N_("Online platforms"),
    "ar_vr": N_("AR/VR"),
    "ai": N_("Artificial intelligence"),
    "robotics": N_("Robotics"),
    "big_data": N_("Big data"),
    "3d_printing": N_("3D printing"),
    "iot": N_("Internet of things"),
    "cloud": N_("Cloud"),
    "specialist_software": N_("Specialist software"),
    "plan": N_("Plan"),
    "do": N_("Do"),
    "check": N_("Check"),
    "act": N_("Act"),
    "continue": N_("continue"),
    "watch": N_("watch"),
    "escalate": N_("escalate"),
    "abort_review": N_("abort review"),
    "adapt": N_("adapt"),
    "abort": N_("abort"),
    "aborted": N_("aborted"),
    "entwicklungszirkel": N_("development circle"),
    "fachtag": N_("conference"),
    "expertenforum": N_("expert forum"),
    "webinar": N_("webinar"),
    "sonstiges": N_("other"),
}


def label(value: str, lang: str = "de") -> str:
    """Human label of a vocabulary value in the given language."""
    if value in LABELS:
        return tr(LABELS[value], lang)
    return value.replace("_", " ") if lang == "en" else value  # an id without a label
