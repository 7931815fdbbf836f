from accounts.selectors import user_memberships


def navigation(request):
    """The signed-in user's organizations, for the page header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_memberships": user_memberships(user=user)}
