from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Grants"

    def ready(self) -> None:
        from grants import award_machine, machines
        from grants.reminders import register_deadline_sources
        from grants.services.awards import award_created_hook
        from workflow.machines import registry

        if award_created_hook not in machines.ON_AWARDED:
            machines.ON_AWARDED.append(award_created_hook)
        registry.register(machines.MACHINE)
        registry.register(award_machine.MACHINE)
        register_deadline_sources()
