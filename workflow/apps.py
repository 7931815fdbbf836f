from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class WorkflowConfig(AppConfig):
    name = "workflow"

    def ready(self) -> None:
        from workflow.redactions import register_redactables
        from workflow.waiting import register_waiting_steps

        checks.register(check_machines)
        register_waiting_steps()
        register_redactables()
        post_migrate.connect(reach_install, sender=self)


def reach_install(using="default", **kwargs) -> None:
    """After every migrate: the triggers that keep ``workflow.Reach`` follow the rights in the code."""
    from django.db import connections

    from workflow.access import reach_install
    from workflow.models import Reach

    if Reach._meta.db_table in connections[using].introspection.table_names():
        reach_install(using)


def check_machines(app_configs=None, **kwargs):
    """A machine with unreachable stages or undeclared targets fails `manage.py check` (and start-up)."""
    from workflow.machines import registry
    from workflow.roles import roles

    known = {role.key for role in roles}
    return [
        checks.Error(f"Stage machine {machine.kind!r}: {problem}", id="workflow.E001")
        for machine in registry
        for problem in machine.problems()
    ] + [
        checks.Error(f"Stage {machine.kind}.{stage.name} waits on undeclared role {key!r}", id="workflow.E002")
        for machine in registry
        for stage in machine.stages
        for key in stage.waits_on
        if key not in known
    ]
