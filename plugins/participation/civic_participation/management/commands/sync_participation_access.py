"""Give every council and service membership the permissions it implies (idempotent).

Memberships saved one by one (admin forms, the Staff field, the API, the shell) are synced by
signals already. Rows written without signals (``bulk_create``, ``loaddata``, a database
import) are synced by running this command once after the import.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from civic_participation import permissions


class Command(BaseCommand):
    help = "Sync the groups and object permissions of every council and service membership."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = permissions.sync_all_access()
        self.stdout.write(f"{count} memberships synced.")
