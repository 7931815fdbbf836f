from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Health check, worker heartbeat and the beat schedule: beside ``config``, not a domain app.

    It imports no domain app; any app may record a heartbeat here (docs/architecture.md).
    """

    name = "operations"
    verbose_name = "Operations"
