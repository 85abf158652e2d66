"""Comments: one-level threads on a scope or one of its sections.

Comment events target the scope (metadata carries the comment), so they show in the scope's activity feed.
Who may do what beyond roles (SPEC §3): editing is the author's alone; deleting and resolving are the author's
or an owner's/admin's. A deleted comment that has replies stays in its thread with its body blanked.
"""

from django.db import transaction
from django.utils import timezone

from orbit.errors import PermissionDenied, ValidationFailed, not_in_workspace
from orbit.updates import apply_changes
from scopes import counts
from scopes.models import Comment, Scope, ScopeSection
from scopes.services.sections import lock_scope
from workspaces import activity
from workspaces.activity import Verb
from workspaces.models import Membership


def _is_moderator(membership: Membership) -> bool:
    return membership.role >= Membership.Role.ADMIN


def _check_author_or_moderator(*, comment: Comment, membership: Membership, doing: str) -> None:
    if comment.author_id != membership.user_id and not _is_moderator(membership):
        raise PermissionDenied(f"Only the author or a workspace owner or admin can {doing} this comment.")


@transaction.atomic
def add_comment(*, scope: Scope, author, body: str, section_id=None, parent_id=None) -> Comment:
    """A comment on the scope, on one of its sections (`section_id`), or a reply to a thread (`parent_id`, one
    level only; the reply joins its thread's section). Every check of the ids is here, none in the view."""
    # The scope lock first (as every section write takes it), so a section or thread deleted while this request
    # ran is seen as gone here instead of failing the insert's foreign key at commit.
    lock_scope(scope)
    # An id that is not of this scope is "not here": 404 naming the body field (README, API conventions).
    section = parent = None
    if section_id is not None:
        section = ScopeSection.objects.filter(pk=section_id, scope=scope).first()
        if section is None:
            raise not_in_workspace("section_id", section_id)
    if parent_id is not None:
        parent = Comment.objects.select_for_update().filter(pk=parent_id, scope=scope).first()
        if parent is None:  # also a comment of another scope: nothing is revealed about it
            raise not_in_workspace("parent_id", parent_id)
        if parent.parent_id is not None:
            raise ValidationFailed(
                "Reply to the first comment of a thread.", details={"parent_id": ["Replies cannot be nested."]}
            )
        if parent.deleted_at is not None:
            raise ValidationFailed("The comment was deleted.", details={"parent_id": ["Deleted."]})
        section = section or parent.section
    comment = Comment(scope=scope, section=section, parent=parent, author=author, body=body)
    comment.full_clean()
    if not body.strip():
        raise ValidationFailed("A comment needs some text.", details={"body": ["This field may not be blank."]})
    comment.save()
    counts.refresh(scope)
    activity.record(
        actor=author,
        verb=Verb.COMMENT_ADDED,
        target=scope,
        metadata={"comment_id": str(comment.pk), "section_id": str(section.pk) if section else None},
    )
    return comment


@transaction.atomic
def edit_comment(*, comment: Comment, actor, body: str) -> Comment:
    if comment.author_id != actor.pk:
        raise PermissionDenied("Only the author can edit a comment.")
    if comment.deleted_at is not None:
        raise ValidationFailed("The comment was deleted.")
    if not body.strip():
        raise ValidationFailed("A comment needs some text.", details={"body": ["This field may not be blank."]})
    apply_changes(comment, {"body": body}, fields=("body",))
    return comment


@transaction.atomic
def delete_comment(*, comment: Comment, membership: Membership) -> None:
    _check_author_or_moderator(comment=comment, membership=membership, doing="delete")
    # The scope lock first, as add_comment takes it before a thread starter's: the open-comment count is recounted.
    lock_scope(comment.scope)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.parent_id is None and comment.replies.exists():
        comment.body = ""
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["body", "deleted_at", "updated_at"])
    else:
        parent_id = comment.parent_id
        comment.delete()
        # The last reply of a deleted thread starter takes the empty starter with it.
        if parent_id is not None:
            Comment.objects.filter(pk=parent_id, deleted_at__isnull=False, replies__isnull=True).delete()
    counts.refresh(comment.scope_id)


@transaction.atomic
def set_resolved(*, comment: Comment, membership: Membership, resolved: bool) -> Comment:
    _check_author_or_moderator(comment=comment, membership=membership, doing="resolve")
    if comment.parent_id is not None:
        raise ValidationFailed("Resolve the thread through its first comment.")
    if resolved == (comment.resolved_at is not None):
        return comment  # already so: nothing to save or record
    lock_scope(comment.scope)  # the open-comment count is recounted under it
    comment.resolved_at, comment.resolved_by = (timezone.now(), membership.user) if resolved else (None, None)
    comment.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
    counts.refresh(comment.scope_id)
    activity.record(
        actor=membership.user,
        verb=Verb.COMMENT_RESOLVED if resolved else Verb.COMMENT_UNRESOLVED,
        target=comment.scope,
        metadata={"comment_id": str(comment.pk)},
    )
    return comment
