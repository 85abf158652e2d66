from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.serializers import MeSerializer, MeUpdateSerializer


class MeView(APIView):
    """The signed-in user."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer)
    def patch(self, request):
        incoming = MeUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        user = services.update_profile(user=request.user, **incoming.validated_data)
        return Response(MeSerializer(user).data)
