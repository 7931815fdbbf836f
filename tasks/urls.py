"""Pages of the tasks app."""

urlpatterns: list = []
