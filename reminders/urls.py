"""Pages of a person's notifications, reminder preferences and calendar feeds."""

from django.urls import path

from reminders import views, views_queue

urlpatterns = [
    path("queue/", views_queue.queue_page, name="queue"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="notification-read"),
    path("notifications/read-all/", views.notification_read_all, name="notification-read-all"),
    path("notifications/preferences/", views.preferences, name="notification-preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="notification-unsubscribe"),
    path("calendar/", views.calendar_feeds, name="calendar-feeds"),
    path("calendar/<int:feed_id>/revoke/", views.calendar_feed_revoke, name="calendar-feed-revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
