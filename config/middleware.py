from __future__ import annotations

from django.utils import timezone


class UserTimeZoneMiddleware:
    """Pages show dates and times in the signed-in user's time zone.

    The API is left in UTC: a client gets the same timestamps however it authenticates
    (token authentication happens in the view, after middleware).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            with timezone.override(user.time_zone):
                return self.get_response(request)
        return self.get_response(request)
