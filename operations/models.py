from django.db import models


class Heartbeat(models.Model):
    """When a periodic job last ran in a worker. ``worker`` proves beat -> broker -> worker works."""

    name = models.CharField(max_length=64, primary_key=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_seen:%Y-%m-%d %H:%M:%S}"
