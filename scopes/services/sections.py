"""Sections of a scope. Positions stay 0..n-1, unique, under concurrent edits.

Every write that touches positions first locks the scope row (SELECT ... FOR UPDATE), so adds, deletes and
reorders on one scope run one after the other; the deferred unique constraint on (scope, position) lets a
reorder swap positions inside its transaction and still refuses a duplicate at commit. Writes that lock a
section row always lock its scope first, so two writers never take the locks in opposite orders.
"""

from collections import Counter
from uuid import UUID

from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When

from orbit.errors import ValidationFailed
from scopes import counts, search
from scopes.models import Scope, ScopeSection
from scopes.services.sources import check_sources
from workspaces import activity
from workspaces.activity import Verb

EDITABLE_FIELDS = ("section_type", "title", "content", "confidence", "ai_generated", "sources")
_SEARCHED_FIELDS = {"title", "content"}


def lock_scope(scope: Scope) -> None:
    Scope.objects.select_for_update().filter(pk=scope.pk).values_list("pk", flat=True).get()


def build_sections(*, scope: Scope, specs: list[dict], start: int) -> list[ScopeSection]:
    """Unsaved, validated sections from dicts ({title, section_type, content, ...}), positioned from `start`."""
    check_sources(workspace=scope.workspace, sections=[spec.get("sources") for spec in specs])
    sections = []
    for offset, spec in enumerate(specs):
        section = ScopeSection(
            scope=scope,
            position=start + offset,
            **{name: spec[name] for name in EDITABLE_FIELDS if spec.get(name) is not None},
        )
        section.full_clean(exclude=["scope"], validate_unique=False, validate_constraints=False)
        sections.append(section)
    return sections


def copy_sections(*, source: Scope, to: Scope) -> list[ScopeSection]:
    """`source`'s sections as new sections of `to`, each in its place with every editable field (at version 1, with
    no comments): what a duplicate keeps. `to` is a new scope nobody else sees yet, so nothing is locked."""
    return ScopeSection.objects.bulk_create(
        ScopeSection(scope=to, position=section.position, **{name: getattr(section, name) for name in EDITABLE_FIELDS})
        for section in source.sections.order_by("position")
    )


@transaction.atomic
def add_section(*, scope: Scope, actor, **fields) -> ScopeSection:
    """Append a section at the end of the scope."""
    return append_sections(scope=scope, actor=actor, specs=[fields])[0]


@transaction.atomic
def append_sections(*, scope: Scope, actor, specs: list[dict], record: bool = True) -> list[ScopeSection]:
    lock_scope(scope)
    start = ScopeSection.objects.filter(scope=scope).count()
    sections = ScopeSection.objects.bulk_create(build_sections(scope=scope, specs=specs, start=start))
    counts.refresh(scope)
    search.refresh([scope.pk])
    if record and sections:
        activity.record(
            actor=actor,
            verb=Verb.SCOPE_UPDATED,
            target=scope,
            metadata={"change": "sections_added", "section_ids": [str(s.pk) for s in sections]},
        )
    return sections


@transaction.atomic
def update_section(
    *, section: ScopeSection, actor, changes: dict, replace: bool = False, expected_version: int | None = None
) -> ScopeSection:
    """PATCH or PUT (`replace`) the section's EDITABLE_FIELDS if it is still at `expected_version` (None: any)."""
    lock_scope(section.scope)  # the scope first, as every section write: locks are always taken in one order
    if changes.get("sources"):
        check_sources(workspace=section.scope.workspace, sections=[changes["sources"]])
    changed = activity.record_update(
        section,
        changes,
        fields=EDITABLE_FIELDS,
        replace=replace,
        expected_version=expected_version,
        actor=actor,
        verb=Verb.SCOPE_UPDATED,
        target=section.scope,  # the feed shows a section's edit as its scope's
        metadata={"change": "section_updated", "section_id": str(section.pk)},
    )
    if _SEARCHED_FIELDS & set(changed):
        search.refresh([section.scope_id])
    return section


@transaction.atomic
def delete_section(*, section: ScopeSection, actor) -> None:
    """Remove the section and close the gap it leaves."""
    scope = section.scope
    lock_scope(scope)
    position = ScopeSection.objects.filter(pk=section.pk).values_list("position", flat=True).first()
    if position is None:  # deleted by someone else while we waited for the lock
        return
    ScopeSection.objects.filter(pk=section.pk).delete()
    ScopeSection.objects.filter(scope=scope, position__gt=position).update(position=F("position") - 1)
    counts.refresh(scope)
    search.refresh([scope.pk])
    activity.record(
        actor=actor,
        verb=Verb.SCOPE_UPDATED,
        target=scope,
        metadata={"change": "section_deleted", "section_id": str(section.pk), "title": section.title},
    )


@transaction.atomic
def reorder_sections(*, scope: Scope, actor, order: list[UUID]) -> list[ScopeSection]:
    """Give the sections the positions of `order`, which must list each of the scope's sections exactly once."""
    lock_scope(scope)
    current = set(ScopeSection.objects.filter(scope=scope).values_list("pk", flat=True))
    wanted = [UUID(str(pk)) for pk in order]
    times = Counter(wanted)
    if len(wanted) != len(times) or set(times) != current:
        raise ValidationFailed(
            "The order must list every section of the scope exactly once.",
            details={
                "order": ["Must be a permutation of the scope's section ids."],
                "missing": sorted(str(pk) for pk in current - set(wanted)),
                "unknown": sorted(str(pk) for pk in set(wanted) - current),
                "duplicates": sorted(str(pk) for pk, n in times.items() if n > 1),
            },
        )
    if wanted:
        # One statement; the deferred unique constraint is checked at commit, after every row has moved.
        ScopeSection.objects.filter(scope=scope).update(
            position=Case(
                *(When(pk=pk, then=Value(index)) for index, pk in enumerate(wanted)), output_field=IntegerField()
            )
        )
    search.refresh([scope.pk])
    activity.record(actor=actor, verb=Verb.SCOPE_UPDATED, target=scope, metadata={"change": "reordered"})
    return list(ScopeSection.objects.filter(scope=scope).order_by("position"))
