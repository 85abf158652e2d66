from djstripe.models import Invoice
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from billing import services
from billing.api import serializers as s
from billing.models import BillingState
from billing.plans import month_start, plan_for, usage_summary
from orbit.idempotency import idempotent
from orbit.pagination import CursorPagination
from orbit.request_body import validated
from orbit.schema import answers
from workspaces.api.mixins import WorkspaceScopedAPIView
from workspaces.models import Membership, Workspace

MANAGERS = Membership.Role.ADMIN  # owners and admins manage billing (SPEC §3)


class UsageView(WorkspaceScopedAPIView):
    """The workspace's plan, its limits and this month's usage. Any member may read it."""

    queryset = Workspace.objects.all()
    workspace_field = "pk"

    @extend_schema(responses=s.UsageSerializer)
    def get(self, request, workspace_id):
        plan = plan_for(self.workspace)
        data = {
            "plan": plan["code"],
            "plan_name": plan["name"],
            "period_start": month_start(),
            "limits": usage_summary(self.workspace),
        }
        return Response(s.UsageSerializer(data).data)


class BillingView(WorkspaceScopedAPIView):
    """Billing is managed by owners and admins: each view sets `required_roles` for its methods to MANAGERS."""

    queryset = Workspace.objects.all()
    workspace_field = "pk"


class CheckoutView(BillingView):
    """A Stripe Checkout Session for a paid plan; 409 `conflict` (pointing to the portal) if already subscribed."""

    required_roles = {"post": MANAGERS}
    serializer_class = s.CheckoutSerializer  # OPTIONS describes the POST form from it (a 500 without one)

    @answers(409, 503)  # already subscribed, or a checkout just paid; Stripe unavailable
    @extend_schema(request=s.CheckoutSerializer, responses={201: s.SessionUrlSerializer})
    @idempotent
    def post(self, request, workspace_id):
        url = services.start_checkout(workspace=self.workspace, **validated(s.CheckoutSerializer, request))
        return Response({"url": url}, status=status.HTTP_201_CREATED)


class PortalView(BillingView):
    """A Stripe Customer Portal session: change plan or cycle, update the card, cancel, see invoices."""

    required_roles = {"post": MANAGERS}
    serializer_class = serializers.Serializer  # the POST takes no fields; OPTIONS says so (a 500 without one)

    @answers(409, 503)  # no billing account yet; Stripe unavailable
    @extend_schema(request=None, responses={201: s.SessionUrlSerializer})
    @idempotent
    def post(self, request, workspace_id):
        return Response({"url": services.open_portal(workspace=self.workspace)}, status=status.HTTP_201_CREATED)


class SubscriptionView(BillingView):
    """Plan, cycle, status, period end, cancellation, grace end and usage against every limit."""

    required_roles = {"get": MANAGERS}

    @extend_schema(responses=s.SubscriptionSerializer)
    def get(self, request, workspace_id):
        workspace = self.workspace
        state = BillingState.objects.filter(workspace=workspace).first() or BillingState(workspace=workspace)
        plan = plan_for(workspace)
        data = {
            "plan": plan["code"],
            "plan_name": plan["name"],
            "subscribed_plan": workspace.plan,
            "cycle": state.cycle or None,
            "status": state.status,
            "current_period_end": state.current_period_end,
            "cancel_at_period_end": state.cancel_at_period_end,
            "grace_ends_at": state.grace_ends_at,
            "usage": usage_summary(workspace),
        }
        return Response(s.SubscriptionSerializer(data).data)


class InvoicePagination(CursorPagination):
    ordering = "-created"


class InvoiceListView(BillingView):
    """The workspace's invoices as dj-stripe mirrors them, newest first, in cursor pages."""

    required_roles = {"get": MANAGERS}

    pagination_class = InvoicePagination

    @extend_schema(responses=s.InvoiceSerializer(many=True))
    def get(self, request, workspace_id):
        invoices = Invoice.objects.filter(customer__subscriber=self.workspace).order_by("-created")
        page = self.paginate_queryset(invoices)
        return self.get_paginated_response(s.InvoiceSerializer(page, many=True).data)
