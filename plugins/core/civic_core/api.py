"""How every plugin's API answers errors, whatever the host site's DRF settings.

Every error body has one shape::

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {...}}}

Plugin views mix in :class:`CivicAPIMixin`, which makes DRF use :func:`exception_handler` for
them (``APIView.get_exception_handler``), so a domain :class:`~civic_core.errors.CivicError`
raised anywhere under a view is answered with its status and nothing else needs to catch it.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from civic_core.errors import CivicError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = CivicError.INVALID_STATE
    default_detail = gettext_lazy("This action is not possible in the item's current state.")


def to_api_exception(error):
    """The DRF exception that answers a refused action with the status its code implies."""
    if error.code == CivicError.FORBIDDEN:
        return exceptions.PermissionDenied(error.message)
    if error.code == CivicError.NOT_FOUND:
        return exceptions.NotFound(error.message)
    if error.code == CivicError.RATE_LIMITED:
        return exceptions.Throttled(detail=error.message)
    if error.code == CivicError.INVALID:
        if error.fields:
            return exceptions.ValidationError(error.fields)
        return exceptions.ValidationError({"non_field_errors": [error.message]})
    return Conflict(error.message, code=error.code)


def error_body(status_code, code, message, fields=None):
    body = {"status": status_code, "code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return {"error": body}


def exception_handler(exc, context):
    """DRF's handler, with domain errors translated and every body in the shared shape."""
    if isinstance(exc, CivicError):
        exc = to_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        response.data = error_body(
            response.status_code, CivicError.INVALID, _("The request is not valid."), fields
        )
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        response.data = error_body(response.status_code, code, getattr(exc, "detail", exc))
    return response


class CivicAPIMixin:
    """Answer errors in the shared shape even where the host site set another handler."""

    def get_exception_handler(self):
        return exception_handler


def api_not_found(request, *args, **kwargs):
    """Unknown routes under an API prefix answer JSON, not the site's HTML 404 page."""
    return JsonResponse(
        error_body(404, CivicError.NOT_FOUND, _("There is no API endpoint at this address.")),
        status=404,
    )
