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
        from grants.rules import APPLICATION_KIND
        from grants.waiting import register_waiting
        from workflow.document_changes import CHANGED_THROUGH_DOMAIN
        from workflow.documents import UPLOADED_THROUGH_DOMAIN
        from workflow.machines import registry
        from workflow.participants import REMOVED_THROUGH_DOMAIN

        registry.register(machines.MACHINE)
        # A co-applicant leaves a draft only: the applicants sign again (grants.services.co_applicant_remove).
        REMOVED_THROUGH_DOMAIN[APPLICATION_KIND] = "the application's co-applicants, while it is a draft"
        # So does an attachment (grants.services.application_document_withdraw); a new version is attached anew.
        CHANGED_THROUGH_DOMAIN[APPLICATION_KIND] = (
            "the application's attachments, while it is a draft: withdraw it there and attach the new version"
        )
        # An attachment has a kind the solicitation asks for and a file type that kind accepts, and only a draft takes
        # one (grants.services.application_document_upload); the generic upload checks none of that.
        UPLOADED_THROUGH_DOMAIN[APPLICATION_KIND] = (
            "the application, while it is a draft: “Attach a document” on its page, or "
            "POST /api/v1/applications/{id}/documents/ with the kind of attachment (each kind takes its own file types)"
        )
        registry.register(award_machine.MACHINE)
        # A recipient's partners on an award change only through a Grant Award Modification that BJA approves.
        REMOVED_THROUGH_DOMAIN[award_machine.AWARD_KIND] = (
            "a Grant Award Modification of the award: a scope change naming the partner that leaves, which takes "
            "effect when BJA approves it"
        )
        register_deadline_sources()
        register_announcements()
        register_waiting()
        register_redactables()
