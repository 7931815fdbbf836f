"""Pages of the tasks app."""

from django.urls import path

from tasks.views import exports, tasks

urlpatterns = [
    path("tasks/", tasks.task_list, name="task-list"),
    path("tasks/export.<slug:extension>", exports.task_list_export, name="task-list-export"),
    path("cases/<int:case_id>/tasks/export.<slug:extension>", exports.case_tasks_export, name="case-tasks-export"),
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
]
