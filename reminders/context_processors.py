from django.utils.functional import SimpleLazyObject

from reminders.queue import NAV_CAP, request_queue_count


def queue(request):
    """How many items wait on the signed-in user, for the navigation: one query, run only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_queue_count": SimpleLazyObject(lambda: request_queue_count(request)),
        # "99+" past the cap: the count stops there (reminders.queue.NAV_CAP).
        "nav_queue_label": SimpleLazyObject(
            lambda: f"{NAV_CAP - 1}+" if request_queue_count(request) >= NAV_CAP else str(request_queue_count(request))
        ),
    }
