"""Middleware of the reference site."""

from django.conf import settings


class ForwardedClientAddress:
    """Set REMOTE_ADDR to the client's address as seen by the trusted reverse proxies.

    Rate limits and abuse flags key on REMOTE_ADDR; behind a proxy it is the proxy's own
    address, so every visitor would share one budget. With `PROXY_COUNT` proxies in front, the
    client is the entry that many places from the right of X-Forwarded-For: entries further
    left were written by the client itself and cannot be trusted.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.proxy_count = settings.PROXY_COUNT

    def __call__(self, request):
        if self.proxy_count:
            forwarded = [
                address.strip()
                for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if address.strip()
            ]
            if len(forwarded) >= self.proxy_count:
                request.META["REMOTE_ADDR"] = forwarded[-self.proxy_count]
        return self.get_response(request)
