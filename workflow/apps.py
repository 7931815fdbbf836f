from django.apps import AppConfig
from django.core import checks


class WorkflowConfig(AppConfig):
    name = "workflow"

    def ready(self) -> None:
        checks.register(check_machines)


def check_machines(app_configs=None, **kwargs):
    """A machine with unreachable stages or undeclared targets fails `manage.py check` (and start-up)."""
    from workflow.machines import registry

    return [
        checks.Error(f"Stage machine {machine.kind!r}: {problem}", id="workflow.E001")
        for machine in registry
        for problem in machine.problems()
    ]
