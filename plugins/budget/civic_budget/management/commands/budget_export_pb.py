"""Export a counted process as pabulib files, one per zone.

manage.py budget_export_pb PROCESS_SLUG OUTPUT_FOLDER
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civic_budget import pabulib_export
from civic_budget.models import Process


class Command(BaseCommand):
    help = "Write the anonymised ballots, projects and counting parameters of a counted process."

    def add_arguments(self, parser):
        parser.add_argument("process", help="the process's slug")
        parser.add_argument("folder", help="where to write the .pb files (created if needed)")

    def handle(self, *args, **options):
        process = Process.objects.filter(slug=options["process"]).first()
        if process is None:
            raise CommandError(f"no process with the slug {options['process']!r}")
        files = pabulib_export.process_files(process)
        if not files:
            raise CommandError("this process has not been counted: there is nothing to export")
        folder = Path(options["folder"])
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, text in files.items():
                (folder / name).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write to {folder}: {error}") from None
        for name in files:
            self.stdout.write(str(folder / name))
