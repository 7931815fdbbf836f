"""The one signal the tasks app listens to: a member leaving an organization.

accounts knows nothing of tasks (dependencies point down), so it cannot call
us; this receiver only hands over to the service.
"""

from __future__ import annotations


def membership_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    """When a membership is deactivated, the person's open tasks for that organization go to the organization."""
    if created or instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        return
    from tasks.services.task import task_bulk_reassign

    task_bulk_reassign(actor=None, organization=instance.organization, from_user=instance.user, to_user=None)
