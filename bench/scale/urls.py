from django.urls import path

from bench.scale.views import bare_tasks

urlpatterns = [path("bench/bare/tasks/", bare_tasks, name="bench-bare-tasks")]
