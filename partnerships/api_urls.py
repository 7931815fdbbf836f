"""API routes of the partnerships app, included under /api/v1/."""

urlpatterns: list = []
