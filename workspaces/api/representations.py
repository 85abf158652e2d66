"""The activity feed's lean read path: ActivityEventSerializer's JSON as a plain dict, byte for byte
(workspaces/tests/test_activity_lean.py proves it). The serializer stays the contract and the schema's source."""

from accounts.api.representations import user_summary_json
from orbit.representations import datetime_json


def activity_row_json(row, zone=None) -> dict:
    """ActivityEventSerializer, for a row of workspaces.selectors.ACTIVITY_VALUES."""
    return {
        "id": str(row["id"]),
        "verb": row["verb"],
        "actor": user_summary_json(row, "actor"),
        "target_type": row["target_type"],
        "target_id": row["target_id"],
        "metadata": row["metadata"],
        "created_at": datetime_json(row["created_at"], zone),
    }
