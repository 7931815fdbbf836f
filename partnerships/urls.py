"""Pages of the partnerships app."""

urlpatterns: list = []
