from rest_framework import serializers

from billing.models import BillingState
from billing.plans import plans
from billing.prices import CYCLES
from orbit.schema import component, documented, stored_json

# The plan codes (built in, plus any ORBIT_PLANS adds), as one enum every `plan` field of the schema refers to.
PLAN = component("PlanEnum", {"type": "string", "enum": sorted(plans())})


def plan_field(**kwargs) -> serializers.CharField:
    return documented(serializers.CharField, PLAN, **kwargs)


class LimitUsageSerializer(serializers.Serializer):
    limit = stored_json(
        {"type": ["integer", "boolean", "null"]},
        help_text="The plan's limit: a number, null for unlimited, or a boolean feature.",
    )
    usage = serializers.IntegerField(allow_null=True, help_text="Current usage; null where nothing is counted.")


class UsageSerializer(serializers.Serializer):
    plan = plan_field(help_text="Plan code, e.g. free, pro, team.")
    plan_name = serializers.CharField()
    period_start = serializers.DateTimeField(help_text="Start of the month the *_per_month limits count from.")
    limits = serializers.DictField(child=LimitUsageSerializer(), help_text="Every limit of the plan with its usage.")


class CheckoutSerializer(serializers.Serializer):
    plan = serializers.CharField(max_length=32, help_text="A paid plan: pro or team.")
    cycle = serializers.ChoiceField(choices=CYCLES, default="monthly")


class SessionUrlSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Send the browser here (Stripe-hosted page).")


class SubscriptionSerializer(serializers.Serializer):
    plan = plan_field(help_text="The plan whose limits apply now.")
    plan_name = serializers.CharField()
    subscribed_plan = plan_field(help_text="The plan the subscription pays for (free without one).")
    cycle = serializers.CharField(allow_null=True, help_text="monthly or yearly; null without a subscription.")
    status = serializers.ChoiceField(choices=BillingState.Status.choices)
    current_period_end = serializers.DateTimeField(allow_null=True)
    cancel_at_period_end = serializers.BooleanField(help_text="Canceled: the plan ends at current_period_end.")
    grace_ends_at = serializers.DateTimeField(
        allow_null=True, help_text="Past due: paid limits hold until then, Free limits after."
    )
    usage = serializers.DictField(child=LimitUsageSerializer(), help_text="Every limit of the plan with its usage.")


class InvoiceSerializer(serializers.Serializer):
    id = serializers.CharField()
    number = serializers.CharField(allow_null=True)
    created = serializers.DateTimeField(allow_null=True)
    total = serializers.IntegerField(allow_null=True, help_text="In the currency's smallest unit (cents).")
    currency = serializers.CharField(allow_null=True)
    status = serializers.CharField(allow_null=True, help_text="draft, open, paid, uncollectible or void.")
    hosted_invoice_url = serializers.CharField(allow_null=True)
    invoice_pdf = serializers.CharField(allow_null=True)

    def to_representation(self, invoice):
        data = invoice.stripe_data or {}
        return {
            "id": invoice.id,
            "number": data.get("number"),
            "created": serializers.DateTimeField().to_representation(invoice.created) if invoice.created else None,
            "total": data.get("total"),
            "currency": data.get("currency"),
            "status": data.get("status"),
            "hosted_invoice_url": data.get("hosted_invoice_url"),
            "invoice_pdf": data.get("invoice_pdf"),
        }
