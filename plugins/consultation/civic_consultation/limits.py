"""Rate limits per participant and per network address: counters in fixed time windows in the
site's cache (Redis in production, so every web worker shares them)."""

import ipaddress
import time

from django.core.cache import cache

from civic_consultation.app_settings import app_settings


def address_range(address):
    """The unit an address is limited by: one IPv4 address, or an IPv6 /64 (one household's
    prefix, which its devices rotate addresses within)."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def allow(kind, subject, now=None):
    """Count one ``kind`` action of ``subject``; False when it goes over the limit."""
    limit, seconds = app_settings.RATE_LIMITS[kind]
    window = int((now if now is not None else time.time()) // seconds)
    key = f"civic_consultation:rate:{kind}:{subject}:{window}"
    # Increment first: inside a window the key exists, so most actions cost one cache call.
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the first action of the window (or the key just expired)
        if cache.add(key, 1, timeout=seconds + 1):
            return limit >= 1
        return cache.incr(key) <= limit
