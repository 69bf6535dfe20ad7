"""Organisation shards: every organisation in exactly one shard, the same one every time."""

from __future__ import annotations

import pytest

from steering.services.sharded_checkpoint import shard_of

ORGANISATIONS = [f"org-{n:03d}" for n in range(10)][::-1]  # in no particular order


def test_the_shards_together_hold_every_organisation_exactly_once() -> None:
    shards = [shard_of(ORGANISATIONS, shard, 3) for shard in range(3)]

    assert sorted(o for part in shards for o in part) == sorted(ORGANISATIONS)
    assert [len(part) for part in shards] == [4, 3, 3]  # as even as the count allows


def test_a_shard_does_not_depend_on_the_order_the_store_lists_organisations_in() -> None:
    assert shard_of(ORGANISATIONS, 1, 3) == shard_of(sorted(ORGANISATIONS), 1, 3)
    assert shard_of(ORGANISATIONS, 1, 3) == ["org-001", "org-004", "org-007"]


def test_more_shards_than_organisations_leave_the_last_shards_empty() -> None:
    assert shard_of(["a", "b"], 1, 4) == ["b"]
    assert shard_of(["a", "b"], 3, 4) == []


@pytest.mark.parametrize("shard", [-1, 3])
def test_a_shard_outside_the_count_is_refused(shard: int) -> None:
    with pytest.raises(ValueError, match="shard"):
        shard_of(ORGANISATIONS, shard, 3)
