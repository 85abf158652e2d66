import pytest
from rest_framework.test import APIRequestFactory

from orbit.concurrency import etag_for, expected_version, update_versioned
from orbit.errors import NotFound, PreconditionFailed
from scopes.models import Scope
from scopes.tests.factories import ScopeFactory


def request_with(if_match=None):
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    return APIRequestFactory().patch("/", **headers)


@pytest.mark.parametrize(
    ("header", "expected"), [(None, None), ("*", None), ('"3"', 3), ('W/"12"', 12), ("7", 7), (' "5" ', 5)]
)
def test_expected_version_reads_our_etags(header, expected):
    assert expected_version(request_with(header)) == expected


@pytest.mark.parametrize("header", ['"abc"', '"1", "2"', "", '"-1"'])
def test_foreign_etags_cannot_match(header):
    with pytest.raises(PreconditionFailed):
        expected_version(request_with(header))


def test_etag_round_trips():
    assert expected_version(request_with(etag_for(42))) == 42


@pytest.mark.django_db
class TestUpdateVersioned:
    def test_conditional_update_bumps_once(self, workspace):
        scope = ScopeFactory(workspace=workspace)
        update_versioned(scope, values={"title": "New"}, expected=1)
        assert (scope.title, scope.version) == ("New", 2)
        assert Scope.objects.get(pk=scope.pk).version == 2

    def test_stale_instance_cannot_overwrite(self, workspace):
        scope = ScopeFactory(workspace=workspace)
        stale = Scope.objects.get(pk=scope.pk)
        update_versioned(scope, values={"title": "First"}, expected=1)
        with pytest.raises(PreconditionFailed) as raised:
            update_versioned(stale, values={"title": "Second"}, expected=1)
        assert raised.value.details == {"expected_version": 1, "current_version": 2}
        assert Scope.objects.get(pk=scope.pk).title == "First"

    def test_missing_row_is_not_found(self, workspace):
        scope = ScopeFactory(workspace=workspace)
        Scope.objects.filter(pk=scope.pk).delete()
        with pytest.raises(NotFound):
            update_versioned(scope, values={"title": "x"}, expected=None)


@pytest.mark.django_db
def test_an_empty_update_checks_the_precondition_but_keeps_the_version(workspace):
    scope = ScopeFactory(workspace=workspace)
    update_versioned(scope, values={}, expected=1)
    assert Scope.objects.get(pk=scope.pk).version == 1
    with pytest.raises(PreconditionFailed):
        update_versioned(scope, values={}, expected=5)
