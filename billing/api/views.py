from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from billing.plans import month_start, plan_for, usage_summary
from workspaces.api.mixins import WorkspaceScopedAPIView
from workspaces.models import Workspace


class LimitUsageSerializer(serializers.Serializer):
    limit = serializers.JSONField(help_text="The plan's limit: a number, null for unlimited, or a boolean feature.")
    usage = serializers.IntegerField(allow_null=True, help_text="Current usage; null where nothing is counted.")


class UsageSerializer(serializers.Serializer):
    plan = serializers.CharField(help_text="Plan code, e.g. free, pro, team.")
    plan_name = serializers.CharField()
    period_start = serializers.DateTimeField(help_text="Start of the month the *_per_month limits count from.")
    limits = serializers.DictField(child=LimitUsageSerializer(), help_text="Every limit of the plan with its usage.")


class UsageView(WorkspaceScopedAPIView):
    """The workspace's plan, its limits and this month's usage. Any member may read it."""

    queryset = Workspace.objects.all()
    workspace_field = "pk"

    @extend_schema(responses=UsageSerializer)
    def get(self, request, workspace_id):
        plan = plan_for(self.workspace)
        data = {
            "plan": plan["code"],
            "plan_name": plan["name"],
            "period_start": month_start(),
            "limits": usage_summary(self.workspace),
        }
        return Response(UsageSerializer(data).data)
