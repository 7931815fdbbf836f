from celery import shared_task

from accounts.emails import invitation_send


@shared_task(name="accounts.send_invitation", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(membership_id: int) -> None:
    invitation_send(membership_id=membership_id)
