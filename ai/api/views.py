"""Thin views: input → service → output. Tenancy and roles come from WorkspaceScopedViewSet.

Every AI request is a job (an AIRun) answered 202; poll `runs/{id}/` for its outcome."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ai import services
from ai.api import serializers as s
from ai.api.throttles import AIUserThrottle, AIWorkspaceThrottle
from ai.models import AIRun
from orbit.idempotency import idempotent
from orbit.request_body import validated
from orbit.schema import answers
from workspaces.api.mixins import WorkspaceScopedViewSet
from workspaces.models import Membership


def ai_request(request_serializer, *statuses):
    """An AI request action: a POST of `request_serializer`'s body, idempotent, answered 202 with the queued run;
    it can answer 402 (the plan's AI calls are used up) and `statuses`, the action's own."""

    def decorate(view_method):
        view_method = action(detail=False, methods=["post"])(idempotent(view_method))
        view_method = extend_schema(request=request_serializer, responses={202: s.AIRunSerializer})(view_method)
        return answers(402, *statuses)(view_method)

    return decorate


class AIRequestViewSet(WorkspaceScopedViewSet):
    """Ask for AI work: editors and above. Counted against the plan's ai_calls_per_month before queuing."""

    queryset = AIRun.objects.all()
    serializer_class = s.AIRunSerializer
    required_roles = {action: Membership.Role.EDITOR for action in ("extract", "suggest", "analyze")}
    throttle_classes = [AIUserThrottle, AIWorkspaceThrottle]
    pagination_class = None
    filter_backends = []

    def _ask(self, request_run, data: dict, **params) -> Response:
        """Ask `request_run` (a services.request_* function) for the caller, with the provider the body names, and
        answer the queued run (202)."""
        run = request_run(membership=self.membership, provider=data.get("provider"), **params)
        return Response(s.AIRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @ai_request(s.ExtractRequestSerializer, 409)  # 402 also for the scopes limit; 409: a document not processed
    def extract(self, request, workspace_id):
        """Documents → a new draft scope with sections, confidence and sources. 409 if a document is not processed."""
        data = validated(s.ExtractRequestSerializer, request)
        return self._ask(
            services.request_extract,
            data,
            document_ids=data["document_ids"],
            project_id=data.get("project_id"),
            template_id=data.get("template_id"),
            title=data.get("title", ""),
        )

    @ai_request(s.SuggestRequestSerializer)
    def suggest(self, request, workspace_id):
        """3–5 suggestions for one section, in the run's `result` when it succeeds (nothing is applied)."""
        data = validated(s.SuggestRequestSerializer, request)
        return self._ask(services.request_suggest, data, scope_id=data["scope_id"], section_id=data["section_id"])

    @ai_request(s.AnalyzeRequestSerializer)
    def analyze(self, request, workspace_id):
        """Risks, gaps, requirement coverage and client questions, stored on the scope's `ai_analysis`."""
        data = validated(s.AnalyzeRequestSerializer, request)
        return self._ask(services.request_analyze, data, scope_id=data["scope_id"])


class AIRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkspaceScopedViewSet):
    """The workspace's AI runs, newest first (viewers may read)."""

    queryset = AIRun.objects.all()
    serializer_class = s.AIRunSerializer
    ordering_fields = ["created_at", "status", "kind"]
    filterset_fields = ["kind", "status", "provider"]
