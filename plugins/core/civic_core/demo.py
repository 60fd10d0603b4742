"""Demo commands: they create accounts with a published password, so never by accident."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class DemoCommand(BaseCommand):
    """A command that fills a site with demo data; it refuses to run when ``DEBUG`` is off.

    A production site runs with ``DEBUG`` off. Whoever really wants demo data there (a
    staging copy, a training site) says so with ``--allow-production``.
    """

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though DEBUG is off (demo accounts share a published password).",
        )
        return parser

    def execute(self, *args, **options):
        if not settings.DEBUG and not options.get("allow_production"):
            raise CommandError(
                "Demo data creates accounts with a published password, and DEBUG is off: this "
                "looks like a production site. Run it with DEBUG=1, or pass --allow-production "
                "if this site is a demonstration or training copy."
            )
        return super().execute(*args, **options)
