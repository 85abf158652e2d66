"""Templates: workspace templates (editable) and public ones (read-only); create from a scope; apply to a scope."""

from django.db import transaction

from orbit.errors import MAX_DESCRIPTION, MAX_TEMPLATE_SECTIONS, MAX_TITLE, PermissionDenied, ValidationFailed, clip
from scopes.models import Scope, ScopeSection
from scopes.services.sections import append_sections, lock_scope
from templates.models import Template
from workspaces import activity
from workspaces.activity import Verb

EDITABLE_FIELDS = ("name", "description", "category", "sections")


def normalise_sections(sections) -> list[dict]:
    """Validated [{title, section_type, content}]; anything else is a validation error on `sections`."""
    if not isinstance(sections, list):
        raise ValidationFailed("sections must be a list.", details={"sections": ["Expected a list."]})
    if len(sections) > MAX_TEMPLATE_SECTIONS:
        message = f"A template has at most {MAX_TEMPLATE_SECTIONS} sections."
        raise ValidationFailed(message, details={"sections": [message]})
    valid_types = set(ScopeSection.SectionType.values)
    cleaned, errors = [], {}
    for index, section in enumerate(sections):
        if not isinstance(section, dict) or not str(section.get("title", "")).strip():
            errors[str(index)] = ["Each section needs a title."]
            continue
        section_type = section.get("section_type") or ScopeSection.SectionType.CUSTOM
        if section_type not in valid_types:
            errors[str(index)] = [f"Unknown section_type {section_type!r}."]
            continue
        cleaned.append(
            {
                "title": str(section["title"])[:MAX_TITLE],
                "section_type": section_type,
                "content": str(section.get("content", "")),
            }
        )
    if errors:
        raise ValidationFailed("Some sections are invalid.", details={"sections": errors})
    return cleaned


def _check_editable(template: Template) -> None:
    if template.workspace_id is None:
        raise PermissionDenied("Public templates are read-only. Create a workspace template from it instead.")


@transaction.atomic
def create_template(
    *, workspace, actor, name: str, description: str = "", category: str = "", sections: list | None = None
) -> Template:
    template = Template(
        workspace=workspace,
        name=name,
        description=description,
        category=category,
        sections=normalise_sections(sections or []),
        created_by=actor,
    )
    template.full_clean()
    template.save()
    activity.record(actor=actor, verb=Verb.TEMPLATE_CREATED, target=template)
    return template


@transaction.atomic
def create_template_from_scope(
    *, scope: Scope, actor, name: str = "", description: str = "", category: str = ""
) -> Template:
    """A workspace template with the scope's sections, named and described after the scope unless told (cut to
    what a template accepts); a scope with more sections than a template holds is a 400 naming `scope_id` (its
    sections are not silently dropped)."""
    count = scope.sections.count()
    if count > MAX_TEMPLATE_SECTIONS:
        message = f"The scope has {count} sections; a template has at most {MAX_TEMPLATE_SECTIONS}."
        raise ValidationFailed(message, details={"scope_id": [message]})
    sections = [
        {"title": s.title, "section_type": s.section_type, "content": s.content}
        for s in scope.sections.order_by("position")
    ]
    return create_template(
        workspace=scope.workspace,
        actor=actor,
        name=name or clip(scope.title, Template._meta.get_field("name").max_length),
        description=description or clip(scope.summary, MAX_DESCRIPTION),  # a summary may be 4 times longer
        category=category,
        sections=sections,
    )


@transaction.atomic
def update_template(*, template: Template, actor, changes: dict, replace: bool = False) -> Template:
    """PATCH or PUT (`replace`: omitted fields go back to their defaults; a name is then required)."""
    _check_editable(template)
    if replace and not changes.get("name"):
        raise ValidationFailed("A template needs a name.", details={"name": ["This field is required."]})
    if "sections" in changes:
        changes = {**changes, "sections": normalise_sections(changes["sections"])}
    activity.record_update(
        template, changes, fields=EDITABLE_FIELDS, replace=replace, actor=actor, verb=Verb.TEMPLATE_UPDATED
    )
    return template


@transaction.atomic
def delete_template(*, template: Template, actor) -> None:
    _check_editable(template)
    activity.record(actor=actor, verb=Verb.TEMPLATE_DELETED, target=template, metadata={"name": template.name})
    template.delete()


@transaction.atomic
def apply_template(*, template: Template, scope: Scope, actor) -> dict:
    """Merge the template into the scope: append its sections, skipping exact (title, content) duplicates."""
    if template.workspace_id not in (None, scope.workspace_id):
        raise ValidationFailed("The template belongs to another workspace.")
    # Lock before reading, so the duplicate check and the append see the same sections.
    lock_scope(scope)
    existing = set(scope.sections.values_list("title", "content"))
    to_add, skipped = [], 0
    for section in template.sections:
        fingerprint = (section["title"], section.get("content", ""))
        if fingerprint in existing:
            skipped += 1
            continue
        existing.add(fingerprint)
        to_add.append(section)
    added = append_sections(scope=scope, actor=actor, specs=to_add, record=False)
    activity.record(
        actor=actor,
        verb=Verb.TEMPLATE_APPLIED,
        target=scope,
        metadata={"template_id": str(template.pk), "added": len(added), "skipped": skipped},
    )
    return {"added": [section.pk for section in added], "skipped": skipped}
