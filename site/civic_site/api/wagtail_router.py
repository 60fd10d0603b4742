"""Wagtail API v2: pages, images and documents for a headless front-end."""

from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.response import Response
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from civic_core.api import NUL, error_body

# Far past any listing of the site, and far from the databases' 64-bit bound on OFFSET.
MAX_OFFSET = 1_000_000_000


class BoundedPagination(WagtailPagination):
    """Wagtail's pagination, refusing offsets the database cannot take instead of failing."""

    def paginate_queryset(self, queryset, request, view=None):
        try:
            offset = int(request.GET.get("offset", 0))
        except ValueError:
            offset = 0  # Wagtail's own message answers it
        if offset > MAX_OFFSET:
            raise BadRequestError(_("offset cannot be higher than %(max)d") % {"max": MAX_OFFSET})
        return super().paginate_queryset(queryset, request, view)


class CivicErrorShapeMixin:
    """Wagtail answers bad queries with {"message": ...}; give them the site's error shape.

    Queries holding a NUL character are refused before any lookup (PostgreSQL refuses NUL in
    text), and offsets are bounded.
    """

    pagination_class = BoundedPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                raise BadRequestError(_("Query parameters may not contain NUL characters."))

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        data = response.data
        if response.status_code >= 400 and isinstance(data, dict) and "error" not in data:
            message = data.get("message") or data.get("detail") or response.status_text
            code = "not_found" if response.status_code == 404 else "invalid"
            response.data = error_body(response.status_code, code, message)
        return response


class PagesEndpoint(CivicErrorShapeMixin, PagesAPIViewSet):
    # Listings carry the description so a front-end can build cards without a second call.
    listing_default_fields = PagesAPIViewSet.listing_default_fields + ["search_description"]
    meta_fields = PagesAPIViewSet.meta_fields + ["search_description"]

    def get_queryset(self):
        # `fields=*` includes each page's locale: join it instead of one query per page.
        return super().get_queryset().select_related("locale")


class PagePreviewEndpoint(PagesEndpoint):
    """The draft behind a headless preview token, in the shape of the pages endpoint."""

    known_query_parameters = PagesEndpoint.known_query_parameters.union(["content_type", "token"])

    def listing_view(self, request):
        # Serialise with every API field of the page type, as the detail view does.
        self.action = "detail_view"
        page = self.get_object()
        return Response(self.get_serializer(page).data)

    def detail_view(self, request, pk):
        return self.listing_view(request)

    def get_object(self):
        if hasattr(self, "_preview_page"):
            return self._preview_page
        content_type = self.request.GET.get("content_type", "")
        token = self.request.GET.get("token", "")
        if not content_type or not token:
            raise BadRequestError(_("content_type and token are required."))
        app_label, _dot, model = content_type.partition(".")
        try:
            page_model = ContentType.objects.get_by_natural_key(app_label, model).model_class()
        except ContentType.DoesNotExist:
            raise BadRequestError(_("Unknown content_type.")) from None
        if page_model is None or not hasattr(page_model, "get_page_from_preview_token"):
            raise BadRequestError(_("This content type has no headless preview."))
        try:
            page = page_model.get_page_from_preview_token(token)
        except BadSignature:
            raise Http404 from None
        if page is None:
            raise Http404
        self._preview_page = page
        return page


class ImagesEndpoint(CivicErrorShapeMixin, ImagesAPIViewSet):
    pass


class DocumentsEndpoint(CivicErrorShapeMixin, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
api_router.register_endpoint("page_preview", PagePreviewEndpoint)
api_router.register_endpoint("images", ImagesEndpoint)
api_router.register_endpoint("documents", DocumentsEndpoint)
