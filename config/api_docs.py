"""The OpenAPI schema and Swagger UI: for signed-in users, unless ``API_DOCS_PUBLIC`` (on with DJANGO_DEBUG).

The schema lists every endpoint, field and filter; in production that is a map for nobody but our users.
"""

from __future__ import annotations

from csp.constants import SELF
from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, permissions


class ApiDocsAccess(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return settings.API_DOCS_PUBLIC or bool(request.user and request.user.is_authenticated)


class SchemaView(SpectacularAPIView):
    permission_classes = [ApiDocsAccess]


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI, its start-up script served as a file of its own (``?script``) rather than inline."""

    permission_classes = [ApiDocsAccess]

    def handle_exception(self, exc):
        # A person opening the docs signed out is sent to sign in and back, not shown a JSON error.
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


# Swagger UI's stylesheet draws its icons as data: images; otherwise the site's policy holds (its page's inline
# <style> moved to our static files: templates/drf_spectacular/swagger_ui.html).
swagger_view = csp_update({"img-src": [SELF, "data:"]})(SwaggerView.as_view(url_name="api-schema"))
