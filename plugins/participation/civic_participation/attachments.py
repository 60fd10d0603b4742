"""Members-only files: where they are stored and which ones are accepted.

Files live in a private storage, never under ``MEDIA_ROOT``: the site's ``STORAGES`` alias named
by ``CIVIC_PARTICIPATION_ATTACHMENT_STORAGE`` (``"civic_private"``) when the site declares it,
else a file system folder ``private`` next to ``MEDIA_ROOT``. They are stored under a random
name and reach a reader only through the permission-checked download views. A file is accepted
by its content, whatever its name says: PDF, PNG, JPEG, WebP, Word and Excel (OOXML),
OpenDocument text and spreadsheet, plain text and CSV in UTF-8.
"""

import uuid
from pathlib import Path, PurePosixPath

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from civic_participation.app_settings import app_settings
from civic_participation.errors import TransitionError

# Detected kind -> (stored extension, content type served).
BINARY_TYPES = {
    "pdf": ("pdf", "application/pdf"),
    "png": ("png", "image/png"),
    "jpg": ("jpg", "image/jpeg"),
    "webp": ("webp", "image/webp"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),
    "ods": ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
}
# Names a text file may carry; the content type follows the name.
TEXT_TYPES = {"txt": "text/plain", "csv": "text/csv"}
# Text that a browser would render as a page or an image with scripts, whatever its name.
MARKUP_STARTS = ("<!doctype", "<html", "<svg", "<?xml", "<script", "<head", "<body", "<iframe")
DETECTION_BYTES = 8192
ALLOWED_EXTENSIONS = sorted({*TEXT_TYPES, *(ext for ext, _type in BINARY_TYPES.values())})


def private_storage():
    """The storage of attachments (read at each use, so a site or a test may change it)."""
    alias = app_settings.ATTACHMENT_STORAGE
    if alias in settings.STORAGES:
        return storages[alias]
    return FileSystemStorage(location=default_private_root(), base_url=None)


def default_private_root():
    return Path(settings.MEDIA_ROOT or ".").resolve().parent / "private"


@deconstructible(path="civic_participation.attachments.PrivateStorage")
class PrivateStorage(Storage):
    """The ``FileField`` storage: hands every call to :func:`private_storage`; no public URL."""

    def _open(self, name, mode="rb"):
        return private_storage().open(name, mode)

    def _save(self, name, content):
        return private_storage().save(name, content)

    def delete(self, name):
        private_storage().delete(name)

    def exists(self, name):
        return private_storage().exists(name)

    def size(self, name):
        return private_storage().size(name)

    def path(self, name):
        return private_storage().path(name)

    def url(self, name):
        raise ValueError("Attachments have no public address: use the download views.")


def stored_name(instance, filename):
    """A random name, keeping only the extension checked by :func:`check_upload`."""
    extension = PurePosixPath(filename).suffix.lower()
    return f"participation/attachments/{uuid.uuid4().hex}{extension}"


def _refuse(message):
    return TransitionError(message, fields={"file": [message]})


def _text_kind(head, extension):
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the end of the sample is still text.
        if error.start < len(head) - 3:
            return None
        text = head[: error.start].decode("utf-8")
    if "\x00" in text or text.lstrip("\ufeff \t\r\n").lower().startswith(MARKUP_STARTS):
        return None
    return extension if extension in TEXT_TYPES else None


def check_upload(uploaded_file):
    """(stored extension, content type) of an accepted upload, or a TransitionError.

    The content decides; the name only chooses between plain text and CSV.
    """
    if uploaded_file is None or not hasattr(uploaded_file, "read"):
        raise _refuse(_("Choose a file."))
    limit = app_settings.ATTACHMENT_MAX_BYTES
    if uploaded_file.size > limit:
        raise _refuse(_("The file is larger than %(size)s.") % {"size": filesizeformat(limit)})
    if uploaded_file.size == 0:
        raise _refuse(_("The file is empty."))
    uploaded_file.seek(0)
    head = uploaded_file.read(DETECTION_BYTES)
    uploaded_file.seek(0)
    extension = PurePosixPath(uploaded_file.name or "").suffix.lower().lstrip(".")
    kind = filetype.guess(head)
    if kind is None:
        text_extension = _text_kind(head, extension)
        if text_extension is not None and _whole_text_is_clean(uploaded_file):
            return text_extension, TEXT_TYPES[text_extension]
    elif kind.extension in BINARY_TYPES:
        return BINARY_TYPES[kind.extension]
    raise _refuse(
        _("This type of file is not accepted. Accepted: %(types)s.")
        % {"types": ", ".join(ALLOWED_EXTENSIONS)}
    )


def _whole_text_is_clean(uploaded_file):
    """UTF-8 and no NUL from the first byte to the last (the sample saw only the start)."""
    try:
        text = b"".join(uploaded_file.chunks()).decode("utf-8")
    except UnicodeDecodeError:
        return False
    finally:
        uploaded_file.seek(0)
    return "\x00" not in text
