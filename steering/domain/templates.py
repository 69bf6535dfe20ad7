"""Built-in PDCA template and the 12-step driver integration (from the programme plan)."""

from __future__ import annotations

from typing import Any

# Phase gates: which steps of every active driver must be done and which evidence must be
# recorded before the cycle may leave the phase. Kept as plain data so YAML can override it.
DEFAULT_PDCA: dict[str, Any] = {
    "phases": [
        {
            "id": "plan",
            "title": "Plan – Digitalisierungsstrategie entwickeln",
            "default_duration_days": 120,
            "exit_gate": {"steps_done": [1, 2, 3, 4], "evidence": ["strategy_document"]},
        },
        {
            "id": "do",
            "title": "Do – Erprobung im Experimentierfeld",
            "default_duration_days": 180,
            "exit_gate": {"steps_done": [5, 6, 7, 8], "evidence": []},
        },
        {
            "id": "check",
            "title": "Check – Überprüfung der Ergebnisse",
            "default_duration_days": 60,
            "exit_gate": {"steps_done": [9], "evidence": ["evaluation"]},
        },
        {
            "id": "act",
            "title": "Act – Bedingungen festlegen, veröffentlichen",
            "default_duration_days": 90,
            "exit_gate": {"steps_done": [10, 11, 12], "evidence": ["recommendations"]},
        },
    ]
}

_STEPS: tuple[tuple[str, str, tuple[str, str]], ...] = (
    (
        "Bedarfsanalyse und Zielsetzung",
        "plan",
        (
            "Bedarfe der Zielgruppe und Beitrag digitaler Technologien ermitteln",
            "Klare Projektziele festlegen",
        ),
    ),
    (
        "Markt- und Technologierecherche",
        "plan",
        (
            "Entwicklungen in relevanten Technologiefeldern sichten",
            "Bestehende Lösungen analysieren",
        ),
    ),
    (
        "Stakeholder*innen-Engagement",
        "plan",
        (
            "Mitarbeitende, Klient*innen und Technologiepartner früh einbinden",
            "Planung mit den Beteiligten abstimmen",
        ),
    ),
    (
        "Konzeptentwicklung",
        "plan",
        (
            "Technologie, Aktivitäten, Zielgruppe, Zeitrahmen, Budget und"
            " Erfolgsmetriken festlegen",
            "Detailliertes Umsetzungskonzept erstellen",
        ),
    ),
    (
        "Anschaffung und Zugänglichmachung",
        "do",
        ("Lizenzen und Werkzeuge beschaffen", "Mitarbeitenden Zugang verschaffen"),
    ),
    (
        "Prototyp und Pilotphase",
        "do",
        ("Prototyp oder Pilot aufbauen", "Begrenzten Test durchführen und Feedback sammeln"),
    ),
    (
        "Schulung und Kompetenzaufbau",
        "do",
        ("Schulungen und Workshops durchführen", "Verständnis für Werkzeuge und Nutzen schaffen"),
    ),
    (
        "Rahmenbedingungen und Richtlinien",
        "do",
        (
            "Klaren Rahmen schaffen",
            "Barrierefreiheit, inklusives Design, Datenschutz, Ethik und Datensicherheit regeln",
        ),
    ),
    (
        "Evaluation und Anpassung",
        "check",
        (
            "Pilot an den in Schritt 4 festgelegten Metriken bewerten",
            "Anhand des Feedbacks anpassen",
        ),
    ),
    (
        "Skalierung und Implementierung",
        "act",
        ("Skalierung und vollständige Einführung planen", "Ressourcen sichern"),
    ),
    (
        "Fortlaufende Überwachung und Verbesserung",
        "act",
        ("Überwachungsmechanismen einrichten", "Kontinuierlich bewerten"),
    ),
    (
        "Dokumentation und Wissensaustausch",
        "act",
        ("Verlauf und Ergebnisse dokumentieren", "Best Practices teilen"),
    ),
)

DEFAULT_DRIVER_INTEGRATION: dict[str, Any] = {
    "sequential": True,
    "steps": [
        {
            "number": number,
            "title": title,
            "phase": phase,
            "subtasks": list(subtasks),
            "default_duration_days": 30,
        }
        for number, (title, phase, subtasks) in enumerate(_STEPS, start=1)
    ],
}
