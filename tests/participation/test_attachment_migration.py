"""Migration 0006 moves attachments uploaded before it out of the public media storage."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from civic_participation.models import Attachment
from tests.participation.factories import answered_request

APP = "civic_participation"
BEFORE = [(APP, "0005_constraint_names_prefixed_with_the_app_label")]
AFTER = [(APP, "0006_private_attachments_former_members")]


@pytest.mark.django_db(transaction=True)
def test_public_files_move_to_the_private_storage_under_random_names(city, private_files):
    item = answered_request(city)
    public_name = default_storage.save(
        "participation/attachments/2026/03/secret.txt", ContentFile(b"ordre du jour")
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old_apps = executor.loader.project_state(BEFORE).apps
        old_attachment = old_apps.get_model(APP, "Attachment")
        old_attachment.objects.create(
            request_id=item.pk,
            title="Ordre du jour",
            file=public_name,
            uploaded_by_id=city.member.pk,
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        call_command("migrate", APP, verbosity=0)
    attachment = Attachment.objects.get()
    assert attachment.original_name == "secret.txt"
    assert attachment.content_type == "text/plain" and attachment.size == 13
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(private_files) and "secret" not in stored.name
    assert stored.read_bytes() == b"ordre du jour"
    assert not default_storage.exists(public_name)
