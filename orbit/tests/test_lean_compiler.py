"""orbit.representations.lean: a serializer compiled to one dict literal over a `.values()` row. The apps' own
tests prove the bytes on their real serializers (scopes/tests/test_representations.py, test_lean_reads.py,
workspaces/tests/test_activity_lean.py); these pin the compiler's rules on small serializers of its own."""

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from rest_framework import serializers

from orbit.representations import instance_row, lean

WHEN = datetime(2026, 3, 4, 5, 6, 7, 890000, tzinfo=UTC)
ID = uuid.UUID("6f1c1a2e-0d8b-4c55-9a3c-2b7e6d1f0a11")


class OwnerSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()


class ThingSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    parent_id = serializers.UUIDField(allow_null=True)
    name = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    count = serializers.IntegerField()
    flag = serializers.BooleanField()
    data = serializers.JSONField()
    owner = OwnerSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


def _row(**changes) -> dict:
    row = {
        "id": ID,
        "parent_id": None,
        "name": "Ünïcode",
        "score": 0.5,
        "count": 3,
        "flag": True,
        "data": {"a": [1, 2]},
        "owner__id": ID,
        "owner__email": "a@example.com",
        "created_at": WHEN,
    }
    return {**row, **changes}


def _drf(row: dict) -> dict:
    """The serializer's own answer for the object the row stands for."""
    owner = None if row["owner__id"] is None else {"id": row["owner__id"], "email": row["owner__email"]}
    plain = {key: value for key, value in row.items() if not key.startswith("owner__")}
    return dict(ThingSerializer({**plain, "owner": owner}).data)


@pytest.mark.parametrize(
    "changes",
    [{}, {"parent_id": ID, "score": None}, {"owner__id": None, "owner__email": None}, {"score": 1, "flag": False}],
    ids=["plain", "nullable values", "no owner", "int as float"],
)
def test_the_compiled_function_answers_the_serializers_dict(changes):
    row = _row(**changes)
    assert lean(ThingSerializer)(row) == _drf(row)


def test_keys_come_in_the_serializers_order_and_values_lists_what_is_read():
    thing = lean(ThingSerializer)
    assert list(thing(_row())) == list(ThingSerializer().fields)
    assert thing.values == [
        "id", "parent_id", "name", "score", "count", "flag", "data", "owner__id", "owner__email", "created_at"
    ]  # fmt: skip


def test_datetimes_follow_the_given_or_current_time_zone(settings):
    thing = lean(ThingSerializer)
    assert thing(_row())["created_at"] == "2026-03-04T05:06:07.890000Z"
    assert thing(_row(), ZoneInfo("Asia/Kolkata"))["created_at"] == "2026-03-04T10:36:07.890000+05:30"


def test_a_field_with_no_known_conversion_fails_when_compiled_naming_it():
    class Computed(serializers.Serializer):
        id = serializers.UUIDField()
        rank = serializers.SerializerMethodField()

        def get_rank(self, obj):
            return None

    with pytest.raises(TypeError, match=r"lean\(Computed\): no conversion for 'rank' \(SerializerMethodField\)"):
        lean(Computed)
    assert lean(Computed, computed={"rank": 'row.get("rank")'})({"id": ID}) == {"id": str(ID), "rank": None}
    assert lean(Computed, skip=("rank",))({"id": ID}) == {"id": str(ID)}


def test_instance_row_reads_through_relations_and_stops_at_none():
    class Obj:
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

    thing = Obj(id=ID, owner=Obj(id=ID, email="a@example.com"))
    assert instance_row(thing, ["id", "owner__email"]) == {"id": ID, "owner__email": "a@example.com"}
    assert instance_row(Obj(id=ID, owner=None), ["owner__id", "owner__email"]) == {
        "owner__id": None,
        "owner__email": None,
    }
