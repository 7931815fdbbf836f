from django.utils.functional import SimpleLazyObject

from accounts.selectors import request_memberships


def navigation(request):
    """The signed-in user's organizations, for the page header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_memberships": SimpleLazyObject(lambda: request_memberships(request))}
