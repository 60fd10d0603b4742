"""Fill the reference site with Mulhouse-like demo content (idempotent)."""

from django.core.management import call_command, get_commands
from django.db import transaction

from civic_core.demo import DemoCommand
from civic_site.demo_accounts import DEMO_PASSWORD, demo_accounts, ensure_demo_accounts
from civic_site.demo_content import build_editorial_content, show_plugin_pages_in_menu

# Each plugin ships its own demo command; the site runs those of the installed plugins.
PLUGIN_DEMO_COMMANDS = ("load_demo_participation", "load_demo_consultation", "load_demo_budget")


class Command(DemoCommand):
    help = "Create demo pages, accounts for every role and each installed plugin's demo data."

    def handle(self, *args, **options):
        with transaction.atomic():
            build_editorial_content()
            ensure_demo_accounts()
        available = get_commands()
        for command in PLUGIN_DEMO_COMMANDS:
            if command in available:
                self.stdout.write(f"Running {command}…")
                # This command already refused a production site unless told otherwise.
                call_command(command, allow_production=True, stdout=self.stdout, stderr=self.stderr)
        show_plugin_pages_in_menu()
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, roles in demo_accounts():
            self.stdout.write(f"  {username:<20} {roles}")
