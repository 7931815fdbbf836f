from django.utils.functional import SimpleLazyObject

from reminders.queue import request_queue_count


def queue(request):
    """How many items wait on the signed-in user, for the navigation: one query, run only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_queue_count": SimpleLazyObject(lambda: request_queue_count(request))}
