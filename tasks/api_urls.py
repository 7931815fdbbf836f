"""API routes of the tasks app, included under /api/v1/."""

urlpatterns: list = []
