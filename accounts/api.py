"""API for the signed-in user, organizations and their members, and token login."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_out
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from knox.views import LogoutAllView
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import mfa, selectors, services
from accounts.auth import TokenAuthentication
from accounts.models import Membership, Organization, Role, User
from config.errors import NotAllowed, ServiceError
from config.proxies import ClientRateThrottle
from workflow.matrix import ORGANIZATION_ADMIN, ORGANIZATION_MEMBER, OWN, SIGNED_IN


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

    def update(self, user: User, validated_data: dict) -> User:
        return services.user_profile_update(
            user=user, full_name=validated_data.get("full_name"), time_zone=validated_data.get("time_zone")
        )


class MeView(RetrieveUpdateAPIView):
    """The signed-in user: name, time zone and organizations with roles. PATCH `time_zone` to pick a zone
    (one of the page's list, an IANA name); until then it is the first organization's."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> User:
        return self.request.user


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="Required when the account uses two-step verification: the 6-digit code from the "
        "authenticator app, or a recovery code.",
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField()
    user = MeSerializer()


class TokenView(APIView):
    """Exchange email and password for an expiring API token (stored hashed; revoke with DELETE)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [ClientRateThrottle]
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
        self._check_second_factor(request, user, data.validated_data.get("otp", ""))
        instance, token = services.api_token_create(user=user, request=request._request)
        return Response({"token": token, "expiry": instance.expiry, "user": MeSerializer(user).data})

    @staticmethod
    def _check_second_factor(request, user: User, code: str) -> None:
        """The password is right; an account with two-step verification must also send a good `otp`."""
        state = mfa.second_factor(user)
        if not state.owed:
            return
        if not state.enrolled:
            raise NotAllowed(
                "Your role requires two-step verification. Set it up on the website (Sign-in and security), "
                "then send the code as otp.",
                code="mfa_enrolment_required",
                field="otp",
            )
        if not code:
            raise ServiceError(
                "This account uses two-step verification: send the code from the authenticator app as otp.",
                code="otp_required",
                field="otp",
            )
        if mfa.mfa_verify(user=user, code=code, request=request._request) is None:
            if getattr(request._request, "axes_locked_out", False):
                raise Throttled(detail="Too many failed sign-in attempts. Try again later.")
            raise ServiceError("The code is not right, or it was already used.", code="invalid_otp", field="otp")

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Revoke the token this request was made with."""
        result = TokenAuthentication().authenticate(request)
        if result is None:
            raise PermissionDenied("Send the token to revoke in the Authorization header.")
        services.api_token_revoke(user=result[0], token=result[1])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(request=None, responses={204: None})
class TokenRevokeAllView(LogoutAllView):
    """Revoke every API token of the signed-in user (sign out of all API clients)."""

    authentication_classes = [TokenAuthentication]

    def post(self, request, format=None):
        services.api_token_revoke(user=request.user)
        user_logged_out.send(sender=request.user.__class__, request=request, user=request.user)
        return self.get_post_response(request)


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
        extra_kwargs = {
            "kind": {"help_text": "Site staff only (accounts.models.STAFF_ONLY_FIELDS); an admin's change is a 403."},
            "is_learning_site": {"help_text": "A BJA Learning Site. Site staff only, like `kind`."},
        }

    def get_my_role(self, organization: Organization) -> str | None:
        return self.context.get("roles", {}).get(organization.id)


class OrganizationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Organizations the user belongs to. Site staff create them and set what they are (kind, Learning Site);
    an organization's admins edit the rest."""

    serializer_class = OrganizationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    # Its kind and Learning Site designation (accounts.models.STAFF_ONLY_FIELDS) only site staff change.
    action_rights = {
        "list": ORGANIZATION_MEMBER,
        "retrieve": ORGANIZATION_MEMBER,
        "create": SIGNED_IN,
        "partial_update": ORGANIZATION_ADMIN,
    }
    filterset_fields = ["kind", "state", "is_learning_site"]

    def get_queryset(self):
        return selectors.organization_list_for_user(user=self.request.user).order_by("name", "id")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["roles"] = {
            m.organization_id: m.role for m in Membership.objects.active().filter(user=self.request.user)
        }
        return context

    # A write answers in the shape of the detail (member_count and all): read the row back through the list query.
    def perform_create(self, serializer):
        organization = services.organization_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=organization.pk)

    def perform_update(self, serializer):
        organization = services.organization_update(
            actor=self.request.user, organization=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=organization.pk)


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name", required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices)
    pending = serializers.BooleanField(source="is_pending", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "role", "is_active", "status", "pending", "created_at"]
        read_only_fields = ["id", "is_active", "status", "created_at"]


class MemberUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Members of one organization. Every member may list them; admins invite, change roles and deactivate."""

    serializer_class = MemberSerializer
    # Only for the schema (it reads the model here); get_queryset() scopes rows to one organization.
    queryset = Membership.objects.none()
    filterset_fields = ["role", "is_active", "status"]
    action_rights = {
        "list": ORGANIZATION_MEMBER,
        "retrieve": ORGANIZATION_MEMBER,
        "create": ORGANIZATION_ADMIN,
        "partial_update": ORGANIZATION_ADMIN,
        "destroy": ORGANIZATION_ADMIN,
        "reactivate": ORGANIZATION_ADMIN,
    }

    def organization(self) -> Organization:
        if not hasattr(self, "_organization"):
            self._organization = get_object_or_404(
                selectors.organization_list_for_user(user=self.request.user), pk=self.kwargs["organization_pk"]
            )
        return self._organization

    def get_queryset(self):
        return selectors.membership_list(organization=self.organization()).order_by("user__full_name", "id")

    @extend_schema(responses={201: MemberSerializer})
    def create(self, request, *args, **kwargs):
        """Invite a person: the membership is pending (`status`), and grants nothing, until they accept."""
        organization = self.organization()
        services.members_manage_require(actor=request.user, organization=organization)  # 403 before 400.
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
        services.members_manage_require(actor=request.user, organization=membership.organization)  # Then 403.
        data = MemberUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_change_role(
            actor=request.user, membership=membership, role=data.validated_data["role"]
        )
        return Response(self.get_serializer(membership).data)

    @extend_schema(responses={200: MemberSerializer})
    def destroy(self, request, *args, **kwargs):
        """Deactivate the membership, or withdraw a pending invitation (history is kept)."""
        membership = services.membership_deactivate(actor=request.user, membership=self.get_object())
        return Response(self.get_serializer(membership).data)

    @extend_schema(request=None, responses={200: MemberSerializer})
    def reactivate(self, request, *args, **kwargs):
        """Give a deactivated member their access back (admins only)."""
        membership = services.membership_reactivate(actor=request.user, membership=self.get_object())
        return Response(self.get_serializer(membership).data)


class InvitationSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    organization_kind = serializers.CharField(source="organization.kind", read_only=True)
    invited_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id", "organization", "organization_name", "organization_kind", "role", "status", "is_active",
            "invited_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your invitations to organizations. The list holds those waiting for your answer; accept or decline one.

    Someone else's invitation is not found (404); answering one that is already answered is a 409
    (`invitation_answered`).
    """

    serializer_class = InvitationSerializer
    queryset = Membership.objects.none()  # For the schema; get_queryset() keeps to the user's own.
    action_rights = {"list": OWN, "retrieve": OWN, "accept": OWN, "decline": OWN}

    def get_queryset(self):
        waiting_only = self.action == "list"
        return selectors.invitation_list_for_user(user=self.request.user, waiting_only=waiting_only)

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Join the organization: from now on the membership gives access."""
        membership = services.membership_accept(actor=request.user, membership=self.get_object())
        return Response(self.get_serializer(membership).data)

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        membership = services.membership_decline(actor=request.user, membership=self.get_object())
        return Response(self.get_serializer(membership).data)
