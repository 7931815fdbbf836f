from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Grants (pre-award)"

    def ready(self) -> None:
        from grants.machines import MACHINE
        from workflow.machines import registry

        registry.register(MACHINE)
