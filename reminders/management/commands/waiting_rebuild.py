"""``manage.py waiting_rebuild``: recompute every open case's waiting items from the declarations (no email)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from reminders.services.handoffs import waiting_rebuild


class Command(BaseCommand):
    help = "Rebuild the 'Waiting for me' queues (WaitingItem) of every open case from the routing declarations."

    def handle(self, *args, **options):
        written = waiting_rebuild()
        self.stdout.write(f"{written:,} waiting item rows written.")
