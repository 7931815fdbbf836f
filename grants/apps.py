from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Grants"

    def ready(self) -> None:
        from grants import machines
        from grants.announcements import register_announcements
        from grants.awards import machine as award_machine
        from grants.redactions import register_redactables
        from grants.reminders import register_deadline_sources
        from grants.waiting import register_waiting
        from workflow.machines import registry

        registry.register(machines.MACHINE)
        registry.register(award_machine.MACHINE)
        register_deadline_sources()
        register_announcements()
        register_waiting()
        register_redactables()
