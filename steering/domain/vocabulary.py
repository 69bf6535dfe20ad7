"""Closed vocabularies of the domain (dimensions, drivers, states, ...) with German labels."""

from __future__ import annotations

from enum import StrEnum


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


LABELS_DE: dict[str, str] = {
    "quality": "Qualität",
    "cost": "Kosten",
    "staff": "Personal",
    "time": "Zeit",
    "green": "grün",
    "yellow": "gelb",
    "red": "rot",
    "no_data": "keine Daten",
    "leistungserbringung": "Leistungserbringung",
    "verwaltung_4_0": "Verwaltung 4.0",
    "interne_kommunikation": "interne Kommunikation",
    "online_platforms": "Online-Plattformen",
    "ar_vr": "AR/VR",
    "ai": "Künstliche Intelligenz",
    "robotics": "Robotik",
    "big_data": "Big Data",
    "3d_printing": "3D-Druck",
    "iot": "Internet der Dinge",
    "cloud": "Cloud",
    "specialist_software": "Fachsoftware",
    "plan": "Plan",
    "do": "Do",
    "check": "Check",
    "act": "Act",
    "continue": "fortsetzen",
    "watch": "beobachten",
    "escalate": "eskalieren",
    "abort_review": "Abbruchprüfung",
    # the project lead's decisions, and the state an abort leaves
    "adapt": "anpassen",
    "abort": "abbrechen",
    "aborted": "abgebrochen",
    # notice kinds (digest subjects) and programme event kinds
    "light_worse": "Ampel verschlechtert",
    "light_recovered": "Ampel erholt",
    "abort_decision": "Abbruchkriterien",
    "step_due": "Schritt fällig",
    "step_overdue": "Schritt überfällig",
    "phase_due": "Phase fällig",
    "phase_overdue": "Phase überfällig",
    "escalation": "Eskalation",
    "data_missing": "Daten fehlen",
    "event": "Termin",
    "evaluation_waiting": "Auswertung wartet",
    "message_given_up": "Zustellung aufgegeben",
    "recipient_unreachable": "nicht erreichbar",
    "light_swing": "Ampeln zurückgehalten",
    "entwicklungszirkel": "Entwicklungszirkel",
    "fachtag": "Fachtag",
    "expertenforum": "Expertenforum",
    "webinar": "Webinar",
    "sonstiges": "Sonstiges",
}

LABELS_EN: dict[str, str] = {
    "quality": "Quality",
    "cost": "Cost",
    "staff": "Staff",
    "time": "Time",
    "no_data": "no data",
    "leistungserbringung": "Service delivery",
    "verwaltung_4_0": "Administration 4.0",
    "interne_kommunikation": "Internal communication",
    "green": "green",
    "yellow": "yellow",
    "red": "red",
    "online_platforms": "Online platforms",
    "ar_vr": "AR/VR",
    "ai": "Artificial intelligence",
    "big_data": "Big data",
    "cloud": "Cloud",
    "plan": "Plan",
    "do": "Do",
    "check": "Check",
    "act": "Act",
    "continue": "continue",
    "watch": "watch",
    "escalate": "escalate",
    "robotics": "Robotics",
    "3d_printing": "3D printing",
    "iot": "Internet of things",
    "specialist_software": "Specialist software",
    "abort_review": "abort review",
    # the project lead's decisions, and the state an abort leaves
    "adapt": "adapt",
    "abort": "abort",
    "aborted": "aborted",
    # notice kinds (digest subjects) and programme event kinds
    "light_worse": "light got worse",
    "light_recovered": "light recovered",
    "abort_decision": "abort criteria",
    "step_due": "step due",
    "step_overdue": "step overdue",
    "phase_due": "phase due",
    "phase_overdue": "phase overdue",
    "escalation": "escalation",
    "data_missing": "data missing",
    "event": "event",
    "evaluation_waiting": "evaluation waiting",
    "message_given_up": "delivery given up",
    "recipient_unreachable": "unreachable",
    "light_swing": "lights held back",
    "entwicklungszirkel": "development circle",
    "fachtag": "conference",
    "expertenforum": "expert forum",
    "webinar": "webinar",
    "sonstiges": "other",
}


def label(value: str, lang: str = "de") -> str:
    """Human label of a vocabulary value in the given language."""
    table = LABELS_DE if lang == "de" else LABELS_EN
    return table.get(value, value.replace("_", " ") if lang != "de" else value)
