"""OpenAPI generation limited to the site's own DRF endpoints.

Wagtail's API v2 is not built on DRF's schema machinery and documents itself; the OpenAPI
document covers the plugin APIs under /api/<plugin>/.
"""

CIVIC_API_PREFIXES = (
    "/api/token/",
    "/api/participation/",
    "/api/consultation/",
    "/api/budget/",
)


def only_civic_endpoints(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(CIVIC_API_PREFIXES)]
