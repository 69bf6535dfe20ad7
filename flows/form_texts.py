"""The German titles and descriptions of the run forms' fields (the Prefect UI is the lead's)."""

from __future__ import annotations

# (title, description) per flow and parameter; "*" applies to every flow.
TEXTS: dict[tuple[str, str], tuple[str, str]] = {
    ("checkpoint", "period"): (
        "Zeitraum",
        "Halbjahr, das ausgewertet wird, z. B. 2019-H2. Leer = das zuletzt abgeschlossene.",
    ),
    ("checkpoint", "label"): (
        "Zusatz",
        "Nur für Zwischen-Checkpoints: Zusatz zum Checkpoint-Schlüssel. Sonst leer lassen.",
    ),
    ("checkpoint", "shards"): (
        "Teile",
        "Bewertung in so viele Teile nach Trägern aufteilen, je ein Lauf auf einem Worker "
        "(Deployment checkpoint-shard). 1 = alles in diesem Lauf.",
    ),
    ("checkpoint-shard", "key"): (
        "Checkpoint",
        "Schlüssel des Checkpoints, zu dem der Teil gehört.",
    ),
    ("checkpoint-shard", "shard"): ("Teil", "Nummer des Teils, ab 0."),
    ("checkpoint-shard", "shards"): ("Teile", "Anzahl der Teile des Checkpoints."),
    ("checkpoint-shard", "unavailable_sources"): (
        "Nicht lesbare Quellen",
        "Ihre Werte zählen für den Zeitraum als fehlend.",
    ),
    ("pdca-cycle", "organisation"): (
        "Organisation",
        "Nur diese Organisation weiterschalten. Leer = alle aktiven Organisationen.",
    ),
    ("driver-integration", "organisation"): (
        "Organisation",
        "Nur diese Organisation planen und zeigen. Leer = alle.",
    ),
    ("driver-integration", "driver"): (
        "Treiber",
        "Nur dieser Treiber. Leer = alle gewählten Treiber der Organisationen.",
    ),
    ("reminders", "on"): (
        "Stichtag",
        "Tag, für den Erinnerungen ermittelt werden. Leer = heute (Zeitzone des Programms).",
    ),
    ("evaluation", "organisation"): ("Organisation", "Organisation, die evaluiert wird."),
    ("evaluation", "period"): (
        "Zeitraum",
        "Halbjahr der Evaluation; vorgegeben ist das zuletzt abgeschlossene.",
    ),
    ("evaluation", "source"): (
        "Befragung",
        "Datenquelle der Befragung, die vorher importiert wird. Leer = keine.",
    ),
    ("evaluation", "file"): (
        "Datei",
        "Datei der Befragung auf dem Server. Leer = der in der Programmdefinition "
        "konfigurierte Pfad.",
    ),
    ("evaluation", "wait_hours"): (
        "Wartezeit (Stunden)",
        "So lange wartet die Evaluation auf die Entscheidung der Projektleitung.",
    ),
}
