"""Pages of the tasks app."""

from django.urls import path

from tasks.views import inbox, tasks

urlpatterns = [
    path("tasks/", tasks.task_list, name="task-list"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task-detail"),
    path("tasks/<int:task_id>/edit/", tasks.task_update, name="task-update"),
    path("tasks/<int:task_id>/status/", tasks.task_status, name="task-status"),
    path("tasks/<int:task_id>/comments/", tasks.task_comment, name="task-comment"),
    path("tasks/<int:task_id>/watch/", tasks.task_watch, name="task-watch"),
    path("cases/<int:case_id>/tasks/", tasks.case_tasks, name="case-tasks"),
    path("organizations/<int:organization_id>/tasks/", tasks.organization_tasks, name="organization-tasks"),
    path(
        "organizations/<int:organization_id>/tasks/reassign/",
        tasks.organization_reassign,
        name="organization-tasks-reassign",
    ),
    path("notifications/", inbox.notification_list, name="notification-list"),
    path("notifications/<int:notification_id>/read/", inbox.notification_read, name="notification-read"),
    path("notifications/read-all/", inbox.notification_read_all, name="notification-read-all"),
    path("notifications/preferences/", inbox.preferences, name="notification-preferences"),
    path("notifications/unsubscribe/<str:token>/", inbox.unsubscribe, name="notification-unsubscribe"),
    path("calendar/", inbox.calendar_feeds, name="calendar-feeds"),
    path("calendar/<int:feed_id>/revoke/", inbox.calendar_feed_revoke, name="calendar-feed-revoke"),
    path("calendar/<str:token>.ics", inbox.calendar_feed, name="calendar-feed"),
]
