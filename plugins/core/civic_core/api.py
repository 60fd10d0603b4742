"""What every plugin API view does the same way, whatever the host site's DRF settings.

Plugin views mix in :class:`CivicAPIMixin` first. A host site's ``REST_FRAMEWORK`` defaults
(a default permission of ``IsAuthenticated``, no pagination, another error handler...) then
change nothing in the plugins' APIs: the mixin sets their authentication, permission,
pagination, filter and schema classes, and their error handler.

Every error body has one shape::

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {...}}}

A domain :class:`~civic_core.errors.CivicError` raised anywhere under a view is answered with
the status its code implies; views do not catch them.

Bodies are refused (400, nothing changed) before any view sees them when they cannot be stored
or walked safely: a JSON body that is not an object or is nested deeper than
:data:`MAX_JSON_DEPTH`, and any text holding a NUL character (PostgreSQL refuses it in text).
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from rest_framework import authentication, exceptions, parsers, permissions, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.schemas.inspectors import ViewInspector
from rest_framework.settings import api_settings
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
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        # Django's own refusals of a body (too many fields or files): Django would answer them
        # with its HTML 400 page.
        exc = exceptions.ParseError(str(exc))
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


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = gettext_lazy("The request body is too large.")


# No plugin input nests this deep; refusing deeper bodies keeps every recursive walk of the data
# (validation, rendering, storage in a JSON column) far from Python's recursion limit.
MAX_JSON_DEPTH = 32
NUL = "\x00"


def refuse_unsafe_text(data, max_depth=MAX_JSON_DEPTH):
    """Raise ``ParseError`` if ``data`` nests deeper than ``max_depth`` or a key or text in it
    holds a NUL character. Walked with a stack, so the check itself cannot recurse too deep."""
    pending = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if NUL in value:
                raise exceptions.ParseError(_("Text may not contain NUL characters."))
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= max_depth:
            raise exceptions.ParseError(
                _("The body is nested more than %(depth)d levels deep.") % {"depth": max_depth}
            )
        children = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in children:
            if isinstance(key, str):
                pending.append((key, depth + 1))
            pending.append((child, depth + 1))


def content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies the views could not use: too large, not an object,
    too deep, or holding a NUL character."""

    def parse(self, stream, media_type=None, parser_context=None):
        # Django bounds form bodies by DATA_UPLOAD_MAX_MEMORY_SIZE; DRF reads JSON from the
        # stream, past that bound: apply it here too.
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None and content_length(request) > limit:
            raise RequestTooLarge()
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Python's decoder gives up on very deep bodies before our depth check sees them.
            raise exceptions.ParseError(
                _("The body is nested more than %(depth)d levels deep.") % {"depth": MAX_JSON_DEPTH}
            ) from None
        if not isinstance(data, dict):
            raise exceptions.ParseError(_("The JSON body must be an object."))
        refuse_unsafe_text(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        refuse_unsafe_text(dict(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    """Form fields are checked for NUL characters; uploaded files are bytes and kept as sent."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        refuse_unsafe_text(dict(parsed.data.lists()))
        return parsed


class CivicPagination(LimitOffsetPagination):
    """``?limit=&offset=`` on every list, 20 items unless asked, 100 at most."""

    default_limit = 20
    max_limit = 100


class DefaultAuthentication:
    """Sessions, and DRF's token keys where the site installed DRF's token app."""

    def __get__(self, view, owner):
        classes = [authentication.SessionAuthentication]
        if apps.is_installed("rest_framework.authtoken"):
            classes.append(authentication.TokenAuthentication)
        return classes


class DefaultFilterBackends:
    """django-filter for the views that declare a filter set, and nothing for the others."""

    def __get__(self, view, owner):
        declared = getattr(owner, "filterset_class", None) or getattr(
            owner, "filterset_fields", None
        )
        return [DjangoFilterBackend] if declared else []


class OpenAPISchema(ViewInspector):
    """drf-spectacular's inspector for each view, whatever ``DEFAULT_SCHEMA_CLASS`` says.

    As DRF's own default descriptor, but naming the class: a schema set on the view (by
    ``@extend_schema`` on a method) still wins.
    """

    def __get__(self, instance, owner):
        result = super().__get__(instance, owner)
        if not isinstance(result, OpenAPISchema):
            return result
        inspector = AutoSchema()
        inspector.view = instance
        return inspector


class CivicAPIMixin:
    """The plugins' own API defaults; a view still sets any of them explicitly where it must.

    Anyone may call a plugin endpoint unless the view (or the domain) says otherwise: each view
    that needs an account or a role declares its permission classes itself.
    """

    authentication_classes = DefaultAuthentication()
    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    pagination_class = CivicPagination
    filter_backends = DefaultFilterBackends()
    schema = OpenAPISchema()

    def get_exception_handler(self):
        return exception_handler

    def dispatch(self, request, *args, **kwargs):
        # Routers add a `.json` twin of each route that passes `format` to the handler; the
        # suffix is read here once, so no action has to accept a `format` argument.
        self.route_format = kwargs.pop(api_settings.FORMAT_SUFFIX_KWARG, None)
        return super().dispatch(request, *args, **kwargs)

    def get_format_suffix(self, **kwargs):
        return getattr(self, "route_format", None)


# Nothing to protect: without the exemption a POST to an unknown route answers the HTML 403 of
# Django's CSRF check instead of this 404.
@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Unknown routes under an API prefix answer JSON, not the site's HTML 404 page."""
    return JsonResponse(
        error_body(404, CivicError.NOT_FOUND, _("There is no API endpoint at this address.")),
        status=404,
    )
