"""One error shape for every JSON endpoint of the site.

{"error": {"status": 400, "code": "invalid", "message": "...", "fields": {...}}}
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def error_body(status, code, message, fields=None):
    body = {"status": status, "code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return {"error": body}


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        response.data = error_body(
            response.status_code, "invalid", _("The request is not valid."), fields
        )
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        detail = getattr(exc, "detail", exc)
        response.data = error_body(response.status_code, code, detail)
    return response


def api_not_found(request, *args, **kwargs):
    """Unknown routes under /api/ answer JSON, not the site's HTML 404 page."""
    return JsonResponse(
        error_body(404, "not_found", _("There is no API endpoint at this address.")), status=404
    )
