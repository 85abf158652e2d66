"""orbit.renderers.JSONRenderer: the bytes DRF's JSONRenderer writes, encoded by orjson, and DRF itself wherever
orjson would write something else."""

import dataclasses
import json
import uuid
from collections import OrderedDict
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from orbit.renderers import JSONRenderer


@dataclasses.dataclass
class Point:
    x: int
    y: int


def drf(data, media_type=None) -> bytes:
    return renderers.JSONRenderer().render(data, media_type)


def ours(data, media_type=None) -> bytes:
    return JSONRenderer().render(data, media_type)


PAYLOADS = {
    "scope page": {
        "next": "http://testserver/api/x/?cursor=cD0yMDI2",
        "previous": None,
        "results": [
            {
                "id": str(uuid.UUID(int=7)),
                "title": 'Zürich 東京 — “quotes” \\ back\\slash "dq" \n\t\x00 control',
                "confidence": 0.85,
                "rank": 0.0607927069067955,
                "is_favourite": False,
                "section_count": 20,
                "project": None,
                "tags": [],
            }
        ],
    },
    "line and paragraph separators": {"text": "a\u2028b\u2029c"},
    "emoji and astral": {"text": "🚀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"},
    "aware datetime, ms truncated, Z": {"at": datetime(2026, 11, 30, 1, 2, 3, 456789, tzinfo=UTC)},
    "datetime with offset": {"at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=5, minutes=30)))},
    "naive datetime": {"at": datetime(2026, 1, 2, 3, 4, 5, 6)},
    "date time timedelta": {"d": date(2026, 2, 3), "t": time(4, 5, 6, 789), "delta": timedelta(days=1, seconds=2)},
    "decimal and uuid objects": {"cost": Decimal("0.000123"), "id": uuid.UUID(int=9)},
    "lazy string": {"message": gettext_lazy("This field is required.")},
    "DRF containers": ReturnDict(OrderedDict(a=ReturnList([1, 2], serializer=None)), serializer=None),
    "integers and booleans": {"big": 2**63 - 1, "negative": -(2**63), "yes": True, "no": False},
    "bytes": {"raw": b"plain ascii"},
    "tuple and set-free nesting": {"nested": [[{"a": [1, (2, 3)]}]]},
}


@pytest.mark.parametrize("data", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_same_bytes_as_drf(data):
    assert ours(data) == drf(data)


@pytest.mark.parametrize(
    "data",
    [{"huge": 2**64}, {1: "integer key"}, {"surrogate": "\ud800"}],
    ids=["integer over 64 bits", "non-string key", "lone surrogate"],
)
def test_what_orjson_refuses_drf_renders(data):
    try:
        expected = drf(data)
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            ours(data)
    else:
        assert ours(data) == expected


@pytest.mark.parametrize("value", [Point(1, 2), object()], ids=["dataclass", "object"])
def test_what_drf_cannot_encode_fails_the_same_way(value):
    with pytest.raises(TypeError):
        drf({"v": value})
    with pytest.raises(TypeError):
        ours({"v": value})


def test_an_indented_answer_is_drfs():
    data = {"a": [1, {"b": "c"}]}
    assert ours(data, "application/json; indent=4") == drf(data, "application/json; indent=4")
    assert b"\n    " in ours(data, "application/json; indent=4")


def test_none_is_an_empty_body():
    assert ours(None) == drf(None) == b""


@pytest.mark.parametrize("value", [1e-05, 2.5e-07, 1e16, 1.7976931348623157e308, 5e-324, -0.0, 0.1, 1 / 3])
def test_floats_are_the_same_numbers(value):
    assert json.loads(ours({"v": value})) == json.loads(drf({"v": value})) == {"v": value}


def test_a_nan_is_null_where_drf_refused_it():
    with pytest.raises(ValueError):
        drf({"v": float("nan")})
    assert ours({"v": float("nan"), "w": float("inf")}) == b'{"v":null,"w":null}'
