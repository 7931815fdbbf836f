from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Grants"

    def ready(self) -> None:
        from grants import machines
        from grants.awards import machine as award_machine
        from workflow.machines import registry

        registry.register(machines.MACHINE)
        registry.register(award_machine.MACHINE)
        _register_deadlines()


def _register_deadlines() -> None:
    """Award acceptance and closeout are reminded through tasks' deadline registry (docs/reminders.md);
    the reports are milestones with due dates, which it reminds already."""
    from grants.models import Award
    from tasks.reminders import DeadlineSource, registry

    registry.register(
        DeadlineSource(
            key="award_acceptance",
            label="Award acceptance",
            queryset=lambda: Award.objects.filter(case__stage="offered"),
            due_date="acceptance_due",
            title="case__title",
        )
    )
    registry.register(
        DeadlineSource(
            key="award_closeout",
            label="Award closeout (final reports)",
            queryset=lambda: Award.objects.filter(case__stage__in=("planning", "implementation", "closeout")),
            due_date="closeout_due",
            title="case__title",
        )
    )
