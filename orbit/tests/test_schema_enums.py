"""Fixed values are enums in the schema (issue 9: plain strings where the values are fixed), and the schema
declares no parameter an operation ignores."""

import pytest

from billing.plans import plans
from documents.file_types import ACCEPTED_TYPES
from orbit.tests.schemas import generated, problems
from workspaces import activity
from workspaces.activity import TARGET_TYPES
from workspaces.models import ActivityEvent
from workspaces.services.invitations import INVITATION_STATUSES

REF = "#/components/schemas/"


def _refs(prop: dict) -> set[str]:
    branches = [prop, *prop.get("allOf", []), *prop.get("oneOf", [])]
    return {branch["$ref"].removeprefix(REF) for branch in branches if "$ref" in branch}


@pytest.mark.parametrize(
    ("component", "field", "enum"),
    [
        ("Workspace", "plan", "PlanEnum"),
        ("Usage", "plan", "PlanEnum"),
        ("Subscription", "plan", "PlanEnum"),
        ("Subscription", "subscribed_plan", "PlanEnum"),
        ("OnboardingPlanRequest", "plan", "PlanEnum"),
        ("Invitation", "status", "InvitationStatusEnum"),
        ("InvitationPreview", "status", "InvitationStatusEnum"),
        ("ActivityEvent", "verb", "ActivityVerbEnum"),
        ("ActivityEvent", "target_type", "ActivityTargetTypeEnum"),
        ("DocumentText", "status", "DocumentStatusEnum"),
        ("DocumentCreateRequest", "content_type", "UploadContentTypeEnum"),
    ],
)
def test_fields_with_fixed_values_refer_to_their_enum(component, field, enum):
    assert enum in _refs(generated()["components"]["schemas"][component]["properties"][field])


def test_the_enums_list_the_values_the_code_uses():
    schemas = generated()["components"]["schemas"]
    assert schemas["PlanEnum"]["enum"] == sorted(plans())
    assert schemas["InvitationStatusEnum"]["enum"] == list(INVITATION_STATUSES)
    assert set(schemas["ActivityTargetTypeEnum"]["enum"]) == set(TARGET_TYPES) - {""}
    assert problems("ActivityEvent/properties/target_type", "") == []  # an event about no object
    assert schemas["UploadContentTypeEnum"]["enum"] == list(ACCEPTED_TYPES)


def test_every_target_type_is_a_model_label():
    from django.apps import apps

    assert all(apps.get_model(label) for label in TARGET_TYPES if label)


@pytest.mark.django_db
def test_an_event_about_an_unlisted_kind_of_object_is_refused(workspace, user):
    """The enum stays complete: a new kind of target is added to TARGET_TYPES before it can be recorded."""
    with pytest.raises(TypeError, match="TARGET_TYPES"):
        activity.record(
            workspace=workspace,
            actor=user,
            verb=ActivityEvent.Verb.WORKSPACE_UPDATED,
            target=user.emailaddress_set.create(email="x@example.com"),
        )


@pytest.mark.django_db
def test_the_target_type_filter_refuses_an_unknown_type(member, workspace):
    response = member("viewer").get(f"/api/workspaces/{workspace.pk}/activity/", {"target_type": "scopes.nope"})
    assert response.status_code == 400
    assert "target_type" in response.json()["error"]["details"]


def _operations():
    for path, operations in generated()["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def test_every_ordering_parameter_lists_its_values():
    unlisted = []
    for method, path, operation in _operations():
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "ordering":
                schema = parameter["schema"]
                if not (schema.get("enum") or schema.get("items", {}).get("enum")):
                    unlisted.append((method, path))
    assert not unlisted


def test_no_write_declares_list_parameters_it_ignores():
    """`sections/reorder` declared `ordering`, which did nothing: writes take no list parameters."""
    listing = {"ordering", "cursor", "limit", "search", "q"}
    ignored = [
        (method, path, parameter["name"])
        for method, path, operation in _operations()
        if method != "get"
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and parameter["name"] in listing
    ]
    assert not ignored


def test_every_limit_parameter_documents_its_bounds():
    from orbit.pagination import CursorPagination

    bounds = {
        (method, path): (parameter["schema"].get("minimum"), parameter["schema"].get("maximum"))
        for method, path, operation in _operations()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "limit"
    }
    assert len(bounds) >= 10
    assert set(bounds.values()) == {(1, CursorPagination.max_page_size)}
    assert CursorPagination.max_page_size == 100


@pytest.mark.parametrize(
    ("component", "field", "max_items"),
    [
        ("OnboardingTeamRequest", "invites", 20),  # a nested many=True serializer's max_length (orbit/internals.py)
        ("OnboardingGoalsRequest", "goals", 20),
        ("PatchedWorkspaceUpdateRequest", "goals", 20),
        ("ExtractRequestRequest", "document_ids", "AI_MAX_DOCUMENTS"),
    ],
)
def test_request_arrays_with_a_limit_document_it(settings, component, field, max_items):
    if isinstance(max_items, str):
        max_items = getattr(settings, max_items)
    assert generated()["components"]["schemas"][component]["properties"][field]["maxItems"] == max_items
