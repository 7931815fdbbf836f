from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from accounts.demo import DEMO_PASSWORD, USERS, demo_is_loaded


class Command(BaseCommand):
    help = "Load demo organizations and one account per role (idempotent). Refuses in production without --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DJANGO_DEBUG is off.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already holds organizations."
        )
        parser.add_argument("--accounts", action="store_true", help="Only print the demo accounts.")

    def handle(self, *args, force: bool, if_empty: bool, accounts: bool, **options):
        if not accounts:
            if not settings.DEBUG and not force:
                raise CommandError(
                    "Refusing to load demo accounts with a known password while DJANGO_DEBUG is off. "
                    "Use --force if this really is a demo server."
                )
            from accounts.models import Organization

            if if_empty and Organization.objects.exists():
                self.stdout.write("Database already has data; demo data not loaded.")
            else:
                created = sum(import_string(loader)() or 0 for loader in settings.DEMO_LOADERS)
                self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({created} new rows)."))
        if accounts or demo_is_loaded():
            self._print_accounts()

    def _print_accounts(self):
        width = max(len(user.email) for user in USERS)
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
        for user in USERS:
            self.stdout.write(f"  {user.email:<{width}}  {user.description}")
