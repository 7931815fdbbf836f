from __future__ import annotations

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.signals import token_expired


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token authentication without its per-request sweep of the user's other tokens.

    knox reads every token of the user on every request to delete the expired ones: one query per
    API call for housekeeping. Here only the presented token is checked; the user's other expired
    tokens are deleted when a new token is issued (accounts.services.api_token_create).
    """

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI description of our token authentication (knox's, under our class's name)."""

    target_class = "accounts.auth.TokenAuthentication"
