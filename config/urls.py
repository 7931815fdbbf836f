from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.views_signin import admin_login_redirect
from operations.health import healthz

admin.site.site_header = "JMHCP Workflow administration"
admin.site.site_title = "JMHCP Workflow admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/login/", admin_login_redirect),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.signin_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("config.api_urls")),
    path("", include("tasks.urls")),
    path("", include("reminders.urls")),
    path("", include("grants.urls")),
    path("", include("partnerships.urls")),
    path("cases/", include("workflow.urls")),
    path("", include("accounts.urls")),
]

if settings.BENCH_ENABLED:
    # The bare comparison view of docs/benchmarks.md: benchmarks only, never in production.
    urlpatterns.append(path("", include("bench.scale.urls")))
