"""The one way a members-only file leaves the server: the member space's and the API's download
views check the reader (``services.readable_attachment``), then answer with this response."""

from django.http import FileResponse


def attachment_response(attachment):
    """The file as a download under its original name, never rendered by the browser."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name or attachment.title,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
