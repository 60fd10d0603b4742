"""Previews for editors: the site's own rendering, or a separate front-end's (headless).

With HEADLESS_PREVIEW_URL set, Wagtail's preview panel shows the front-end at that address,
which fetches the draft from /api/v2/page_preview/?content_type=...&token=...
"""

from django.conf import settings
from wagtail_headless_preview.models import HeadlessPreviewMixin


class SwitchablePreviewMixin(HeadlessPreviewMixin):
    def serve_preview(self, request, mode_name):
        if settings.HEADLESS_PREVIEW_ENABLED:
            return super().serve_preview(request, mode_name)
        # Skip the headless mixin: render the draft with the site's own templates.
        return super(HeadlessPreviewMixin, self).serve_preview(request, mode_name)
