"""The activity feed's lean read path: ActivityEventSerializer's JSON from a `.values()` row, compiled from the
serializer (orbit.representations.lean); workspaces/tests/test_activity_lean.py proves it byte for byte."""

from orbit.representations import lean
from workspaces.api.serializers import ActivityEventSerializer

activity_row_json = lean(ActivityEventSerializer)
