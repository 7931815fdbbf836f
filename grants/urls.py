"""Pages of the grants app."""

urlpatterns: list = []
