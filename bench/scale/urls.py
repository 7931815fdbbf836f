from django.urls import path

from bench.scale.views import FrameworkFloor, bare_tasks

urlpatterns = [
    path("bench/bare/tasks/", bare_tasks, name="bench-bare-tasks"),
    path("bench/drf/tasks/", FrameworkFloor.as_view(), name="bench-drf-tasks"),
]
