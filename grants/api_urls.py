"""API routes of the grants app, included under /api/v1/."""

urlpatterns: list = []
