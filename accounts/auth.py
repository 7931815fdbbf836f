from __future__ import annotations

import binascii
from functools import cache
from hmac import compare_digest

from django.db.models import Aggregate, CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from accounts.models import Membership


class _List(Aggregate):
    """Values joined with commas: ``string_agg`` on PostgreSQL, ``group_concat`` on SQLite."""

    function = "string_agg"
    template = "%(function)s(CAST(%(expressions)s AS TEXT), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="group_concat", template="%(function)s(%(expressions)s)")


def _memberships():
    """The user's active memberships (``Membership.objects.active()``) as "organization:role,…", one column of the
    token's row."""
    active = Membership.objects.active().filter(user=OuterRef("user_id")).order_by()
    pair = Concat(Cast("organization_id", CharField()), Value(":"), "role", output_field=CharField())
    return Subquery(active.values("user_id").annotate(pairs=_List(pair)).values("pairs"))


@cache
def _tokens():
    """Tokens with their user and memberships: built once per process (the expressions are the same for every
    request; each request filters a copy)."""
    return get_token_model().objects.select_related("user").annotate(memberships=_memberships())


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token authentication in one query, with the user's organizations read beside the token.

    - knox reads every token of the user on every request to delete the expired ones: here only the presented
      token is checked; the user's other expired tokens are deleted when a new token is issued
      (accounts.services.api_token_create).
    - The token's row also brings the user's active memberships (``workflow.access.memberships`` reads them
      instead of asking again): they are read fresh on every request, so nothing can be stale.
    """

    def authenticate_credentials(self, token: bytes):
        message = _("Invalid token.")
        token = token.decode("utf-8")
        tokens = _tokens().filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
        for auth_token in tokens:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(message) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                pairs = [pair.split(":", 1) for pair in (auth_token.memberships or "").split(",") if pair]
                auth_token.user._memberships = [(int(organization), role) for organization, role in pairs]
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(message)

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
