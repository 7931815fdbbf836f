"""API for the signed-in user, organizations and their members, and token login."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from knox.views import LogoutAllView
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.auth import TokenAuthentication
from accounts.models import Membership, Organization, Role, User


class MembershipBriefSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organization", "organization_name", "role"]


class MeSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "time_zone", "is_staff", "memberships"]
        read_only_fields = ["id", "email", "is_staff"]

    def get_memberships(self, user: User) -> list[dict]:
        return MembershipBriefSerializer(selectors.user_memberships(user=user), many=True).data


class MeView(RetrieveUpdateAPIView):
    """The signed-in user: name, time zone and organizations with roles."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> User:
        return self.request.user


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField()
    user = MeSerializer()


class TokenView(APIView):
    """Exchange email and password for an expiring API token (stored hashed; revoke with DELETE)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request, username=data.validated_data["email"].lower(), password=data.validated_data["password"]
        )
        if getattr(request._request, "axes_locked_out", False):
            raise Throttled(detail="Too many failed sign-in attempts. Try again later.")
        if user is None:
            # The same answer whether the email exists or not.
            return Response(
                {"code": "invalid_credentials", "message": "Email or password is incorrect.", "errors": []},
                status=status.HTTP_400_BAD_REQUEST,
            )
        instance, token = services.api_token_create(user=user, request=request._request)
        return Response({"token": token, "expiry": instance.expiry, "user": MeSerializer(user).data})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Revoke the token this request was made with."""
        result = TokenAuthentication().authenticate(request)
        if result is None:
            raise PermissionDenied("Send the token to revoke in the Authorization header.")
        result[1].delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(request=None, responses={204: None})
class TokenRevokeAllView(LogoutAllView):
    """Revoke every API token of the signed-in user (sign out of all API clients)."""

    authentication_classes = [TokenAuthentication]


class OrganizationSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)
    my_role = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id", "name", "kind", "state", "jurisdiction", "time_zone",
            "is_learning_site", "is_active", "member_count", "my_role",
        ]  # fmt: skip
        read_only_fields = ["is_active"]

    def get_my_role(self, organization: Organization) -> str | None:
        return self.context.get("roles", {}).get(organization.id)


class OrganizationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Organizations the user belongs to. Site staff create them; an organization's admins edit them."""

    serializer_class = OrganizationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["kind", "state", "is_learning_site"]

    def get_queryset(self):
        return selectors.organization_list_for_user(user=self.request.user).order_by("name", "id")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["roles"] = {
            m.organization_id: m.role for m in Membership.objects.active().filter(user=self.request.user)
        }
        return context

    def perform_create(self, serializer):
        serializer.instance = services.organization_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.organization_update(
            actor=self.request.user, organization=serializer.instance, **serializer.validated_data
        )


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name", required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices)
    pending = serializers.BooleanField(source="is_pending", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "role", "is_active", "pending", "created_at"]
        read_only_fields = ["id", "is_active", "created_at"]


class MemberUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Members of one organization. Every member may list them; admins invite, change roles and deactivate."""

    serializer_class = MemberSerializer
    # Only for the schema (it reads the model here); get_queryset() scopes rows to one organization.
    queryset = Membership.objects.none()
    filterset_fields = ["role", "is_active"]

    def organization(self) -> Organization:
        if not hasattr(self, "_organization"):
            self._organization = get_object_or_404(
                selectors.organization_list_for_user(user=self.request.user), pk=self.kwargs["organization_pk"]
            )
        return self._organization

    def get_queryset(self):
        return selectors.membership_list(organization=self.organization()).order_by("user__full_name", "id")

    def create(self, request, *args, **kwargs):
        organization = self.organization()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_invite(
            actor=request.user,
            organization=organization,
            email=serializer.validated_data["user"]["email"],
            full_name=serializer.validated_data["user"].get("full_name", ""),
            role=serializer.validated_data["role"],
        )
        return Response(self.get_serializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberUpdateSerializer, responses={200: MemberSerializer})
    def partial_update(self, request, *args, **kwargs):
        membership = self.get_object()  # Found first: bad input about a member you cannot see is a 404.
        data = MemberUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_change_role(
            actor=request.user, membership=membership, role=data.validated_data["role"]
        )
        return Response(self.get_serializer(membership).data)

    @extend_schema(responses={200: MemberSerializer})
    def destroy(self, request, *args, **kwargs):
        """Deactivate the membership (history is kept)."""
        membership = services.membership_deactivate(actor=request.user, membership=self.get_object())
        return Response(self.get_serializer(membership).data)
