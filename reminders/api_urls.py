"""API routes of notifications, reminder preferences and calendar feeds, included under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reminders.api import CalendarFeedViewSet, NotificationViewSet, PreferenceView
from reminders.api_queue import QueueView

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("calendar-feeds", CalendarFeedViewSet, basename="calendar-feed")

urlpatterns = [
    path("me/queue/", QueueView.as_view(), name="api-queue"),
    path("notification-preferences/", PreferenceView.as_view(), name="api-notification-preferences"),
    *router.urls,
]
