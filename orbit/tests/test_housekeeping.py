"""`manage.py cleanup`: a dry run counts and changes nothing; a real run removes exactly what is past its time
(and requeues stale claims), leaves everything else, logs one JSON line, and a second run finds nothing."""

import json
import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import AuthEvent
from ai.models import AIResultCache, AIRun
from ai.tests.factories import AIRunFactory
from documents.models import Document
from documents.tests.factories import DocumentFactory
from orbit.housekeeping import cleanup_modules, run_cleanup
from orbit.models import IdempotencyKey
from scopes.models import Scope
from scopes.tests.factories import ScopeFactory
from workspaces.models import Invitation
from workspaces.tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=400)


def _age(instance, **fields):
    type(instance).objects.filter(pk=instance.pk).update(**fields)


@pytest.fixture
def queue_for_real(monkeypatch):
    """Tasks go to the ORM broker (the test settings run them in-process), so a requeue is a row we can count."""
    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def world(workspace, user):
    now = timezone.now()
    old = now - LONG_AGO
    stale, fresh = {}, {}

    stale["invitation"] = InvitationFactory(workspace=workspace, expires_at=old)
    fresh["invitation"] = InvitationFactory(workspace=workspace)

    expired_token = RefreshToken.for_user(user)
    stale["token"] = OutstandingToken.objects.get(jti=expired_token["jti"])
    _age(stale["token"], expires_at=old)
    fresh["token"] = OutstandingToken.objects.get(jti=RefreshToken.for_user(user)["jti"])

    stale["auth_event"] = AuthEvent.objects.create(kind=AuthEvent.Kind.LOGIN_SUCCEEDED, email=user.email)
    _age(stale["auth_event"], created_at=old)
    fresh["auth_event"] = AuthEvent.objects.create(kind=AuthEvent.Kind.LOGIN_SUCCEEDED, email=user.email)

    stale["idempotency"] = IdempotencyKey.objects.create(
        user=user, key="k1", method="POST", path="/x", request_hash="h"
    )
    _age(stale["idempotency"], created_at=old)
    fresh["idempotency"] = IdempotencyKey.objects.create(
        user=user, key="k2", method="POST", path="/x", request_hash="h"
    )

    stale["scope"] = ScopeFactory(workspace=workspace, deleted_at=old)
    fresh["scope"] = ScopeFactory(workspace=workspace, deleted_at=now)

    stale["upload"] = DocumentFactory(workspace=workspace, status=Document.Status.PENDING)
    _age(stale["upload"], created_at=old)
    fresh["upload"] = DocumentFactory(workspace=workspace, status=Document.Status.PENDING)

    stale["processing"] = DocumentFactory(workspace=workspace, status=Document.Status.PROCESSING, claimed_at=old)
    fresh["processing"] = DocumentFactory(workspace=workspace, status=Document.Status.PROCESSING, claimed_at=now)

    stale["run"] = AIRunFactory(workspace=workspace, status=AIRun.Status.RUNNING, claimed_at=old)
    fresh["run"] = AIRunFactory(workspace=workspace, status=AIRun.Status.RUNNING, claimed_at=now)

    cache = {"workspace": workspace, "kind": AIRun.Kind.EXTRACT, "provider": "builtin", "prompt_version": "1"}
    stale["cache"] = AIResultCache.objects.create(key="a" * 64, result={}, **cache)
    _age(stale["cache"], created_at=old, last_hit_at=old)
    fresh["cache"] = AIResultCache.objects.create(key="b" * 64, result={}, **cache)
    return stale, fresh


MODELS = (Invitation, OutstandingToken, AuthEvent, IdempotencyKey, Scope, Document, AIRun, AIResultCache, OrmQ)


def _snapshot():
    return {model.__name__: sorted(map(str, model.objects.values_list("pk", flat=True))) for model in MODELS}


EXPECTED = {
    "accounts": {"expired_refresh_tokens": 1, "expired_blacklist_entries": 0, "auth_events_past_retention": 1},
    "orbit": {"expired idempotency keys": 1},
    "scopes": {"trashed scopes purged": 1, "scopes with drifted counts recounted": 0},
    "workspaces": {"expired invitations deleted": 1},
    "documents": {"orphaned uploads removed": 1, "stale documents requeued": 1},
    "ai": {"stale runs requeued": 1, "cache entries past retention deleted": 1},
}


def _ours(counts):
    return {label: counts[label] for label in EXPECTED}


def test_every_app_hook_takes_a_dry_run():
    for label, module in cleanup_modules():
        assert module.cleanup(now=timezone.now() - LONG_AGO * 10, dry_run=True) is not None, label


def test_a_dry_run_counts_and_changes_nothing(world, queue_for_real, caplog):
    before = _snapshot()
    out = StringIO()
    with caplog.at_level(logging.INFO, logger="orbit.housekeeping"):
        call_command("cleanup", "--dry-run", stdout=out)
    assert _snapshot() == before  # no row removed, none added, nothing enqueued
    assert "scopes: trashed scopes purged: 1" in out.getvalue()
    assert "nothing was changed" in out.getvalue()
    logged = [record for record in caplog.records if "cleanup_finished" in str(record.msg)]
    assert len(logged) == 1
    assert logged[0].msg["dry_run"] is True
    assert _ours(logged[0].msg["counts"]) == EXPECTED


def test_a_real_run_removes_exactly_what_is_past_its_time(world, queue_for_real):
    stale, fresh = world
    before_queue = OrmQ.objects.count()
    counts = run_cleanup(now=timezone.now(), dry_run=False)
    assert _ours(counts) == EXPECTED
    for name in ("invitation", "token", "auth_event", "idempotency", "scope", "upload", "cache"):
        assert not type(stale[name]).objects.filter(pk=stale[name].pk).exists(), name
    for name, instance in fresh.items():
        assert type(instance).objects.filter(pk=instance.pk).exists(), name
    assert OrmQ.objects.count() == before_queue + 2  # the stale document and the stale AI run, queued again
    json.dumps(counts)  # the JSON log line holds exactly this


def test_a_second_run_finds_nothing_to_remove(world, queue_for_real):
    run_cleanup(now=timezone.now(), dry_run=False)
    again = _ours(run_cleanup(now=timezone.now(), dry_run=True))
    removals = {label: {what: n for what, n in c.items() if "requeued" not in what} for label, c in again.items()}
    assert all(n == 0 for c in removals.values() for n in c.values()), again
