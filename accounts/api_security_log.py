"""GET /api/v1/organizations/{id}/security-log/: the organization's security log, newest first."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from accounts import selectors
from accounts.models import SecurityEvent
from accounts.security_log import security_event_list
from workflow.matrix import ORGANIZATION_ADMIN


class SecurityEventSerializer(serializers.ModelSerializer):
    actor_email = serializers.EmailField(source="actor.email", default=None, read_only=True)

    class Meta:
        model = SecurityEvent
        fields = ["id", "at", "kind", "actor", "actor_email", "user", "email", "ip_address", "user_agent", "details"]


class SecurityEventListView(ListAPIView):
    """Sign-ins, failures, second factors, API tokens, roles, case grants and exports that concern the
    organization. Its admins and site staff read it; other members get 403, outsiders 404. Filter with `?kind=`."""

    serializer_class = SecurityEventSerializer
    # Only for the schema (it reads the model here); get_queryset() scopes rows to one organization.
    queryset = SecurityEvent.objects.none()
    filterset_fields = ["kind"]
    action_rights = {"get": ORGANIZATION_ADMIN}

    def get_queryset(self):
        organization = get_object_or_404(
            selectors.organization_list_for_user(user=self.request.user), pk=self.kwargs["organization_pk"]
        )
        return security_event_list(actor=self.request.user, organization=organization)
