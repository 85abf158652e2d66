"""UserSummarySerializer as a plain dict, for the lean read paths (orbit/representations.py)."""

from accounts.api.serializers import UserSummarySerializer

USER_SUMMARY_FIELDS = list(UserSummarySerializer._declared_fields)


def user_summary_json(row, prefix: str) -> dict | None:
    """UserSummarySerializer of the user a `.values()` row holds as `<prefix>__<field>`; None for no user."""
    if row[f"{prefix}__id"] is None:
        return None
    return {
        "id": str(row[f"{prefix}__id"]),
        "email": row[f"{prefix}__email"],
        "full_name": row[f"{prefix}__full_name"],
        "avatar_url": row[f"{prefix}__avatar_url"],
    }
