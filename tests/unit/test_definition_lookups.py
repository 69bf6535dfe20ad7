"""Looking up people and organisations by id follows copies of the definition."""

from __future__ import annotations

from paths import CONFIG

from steering.adapters.config import load_definition


def test_an_organisation_is_found_in_a_copy_with_other_organisations() -> None:
    base = load_definition(CONFIG)
    first = base.organisations[0]
    assert base.organisation(first.id) is first  # the index of the original is built
    renamed = first.model_copy(update={"name": "Umbenannt e. V."})
    copy = base.model_copy(update={"organisations": [renamed, *base.organisations[1:]]})

    assert copy.organisation(first.id).name == "Umbenannt e. V."
    assert base.organisation(first.id).name == first.name


def test_a_person_is_found_in_a_copy_with_other_people() -> None:
    base = load_definition(CONFIG)
    first = base.people[0]
    assert base.person(first.id) is first
    renamed = first.model_copy(update={"name": "Neue Leitung"})
    copy = base.model_copy(update={"people": [renamed, *base.people[1:]]})

    assert copy.person(first.id).name == "Neue Leitung"
    assert base.person(first.id).name == first.name
