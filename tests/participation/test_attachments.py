"""Members-only files: private storage, random names, types checked by content, size limit,
downloads only through the permission-checked views with safe headers."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civic_participation.models import Attachment
from tests.participation.factories import answered_request


def zipped(*entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


ACCEPTED = {
    "compte-rendu.pdf": (b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "application/pdf"),
    "photo.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png"),
    "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40, "image/jpeg"),
    "plan.webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40, "image/webp"),
    "note.docx": (
        zipped(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>")),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "budget.xlsx": (
        zipped(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<w/>")),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "note.odt": (
        zipped(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<x/>")),
        "application/vnd.oasis.opendocument.text",
    ),
    "budget.ods": (
        zipped(
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>")
        ),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    "secret.txt": ("Réunion du 3 mars : présents 12.\n".encode(), "text/plain"),
    "votes.csv": (b"quartier;voix\nBourtzwiller;12\n", "text/csv"),
}
REFUSED = {
    "page.html": b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    "page.txt": b"<html><body onload=alert(1)></body></html>",
    "dessin.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "dessin.png": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
    "setup.pdf": b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60,
    "archive.zip": zipped(("a.txt", "x")),
    "binaire.txt": b"abc\x00def",
    "latin1.txt": "Réunion".encode("latin-1"),
    "script.js": b"alert(1)",
    "vide.txt": b"",
}


@pytest.fixture
def item(city):
    return answered_request(city)


def post(client, item, name, content):
    url = f"/api/participation/requests/{item.pk}/attachments/"
    return client.post(url, {"title": "", "file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_types_are_stored_privately_under_a_random_name(
    name, city, item, client, private_files, settings
):
    content, content_type = ACCEPTED[name]
    client.force_login(city.referent)
    response = post(client, item, name, content)
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    assert attachment.original_name == response.json()["original_name"] == name
    assert attachment.content_type == content_type and attachment.size == len(content)
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(private_files) and stored.read_bytes() == content
    assert Path(name).stem not in stored.name
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.*"))
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 (no public address)


@pytest.mark.parametrize("name", REFUSED)
def test_other_types_are_refused_by_content_whatever_their_name(name, city, item, client):
    client.force_login(city.referent)
    response = post(client, item, name, REFUSED[name])
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    assert not Attachment.objects.exists()


def test_the_size_limit_is_a_setting_with_a_clear_message(city, item, client, settings):
    settings.CIVIC_PARTICIPATION_ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(city.referent)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    response = post(client, item, "long.txt", b"a" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert "dépasse 1,0\xa0Mio" in response.json()["error"]["fields"]["file"][0]
    assert not Attachment.objects.exists()


def test_downloads_are_attachments_under_the_original_name_with_nosniff(city, item, client):
    client.force_login(city.referent)
    post(client, item, "secret.txt", ACCEPTED["secret.txt"][0])
    attachment = Attachment.objects.get()
    api = f"/api/participation/requests/{item.pk}/attachments/{attachment.pk}/download/"
    admin = reverse("civic_participation_download", args=[attachment.pk])
    for url in (api, admin):
        client.force_login(city.elected)  # reads at members' level
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content) == ACCEPTED["secret.txt"][0]
        assert response["Content-Disposition"].startswith("attachment")
        assert 'filename="secret.txt"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"].startswith("text/plain")
        client.force_login(city.other_member)
        assert client.get(url).status_code == 404, url
        client.logout()
        assert client.get(url).status_code in (302, 401, 403), url


def test_a_download_names_the_item_it_belongs_to(city, item, client):
    other = answered_request(city)
    client.force_login(city.referent)
    post(client, item, "secret.txt", ACCEPTED["secret.txt"][0])
    attachment = Attachment.objects.get()
    url = f"/api/participation/requests/{other.pk}/attachments/{attachment.pk}/download/"
    assert client.get(url).status_code == 404


def test_the_member_space_form_refuses_with_a_message_and_saves_nothing(city, item, client):
    client.force_login(city.referent)
    url = reverse("civic_participation_attachment", args=["request", item.pk])
    upload = SimpleUploadedFile("page.html", REFUSED["page.html"])
    response = client.post(url, {"title": "Page", "file": upload}, follow=True)
    assert response.status_code == 200
    assert "not accepted" in response.content.decode() or "accepté" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_private_storage_under_media_root_is_a_start_up_error(settings, tmp_path):
    from civic_participation.checks import check_settings

    assert not [error for error in check_settings() if "ATTACHMENT" in error.msg]
    settings.STORAGES = {
        **settings.STORAGES,
        "civic_private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media" / "private"},
        },
    }
    errors = [error for error in check_settings() if "ATTACHMENT_STORAGE" in error.msg]
    assert errors and errors[0].id == "civic_participation.E004"
