"""Rate limits per participant and per network address: counters in fixed time windows in the
site's cache (Redis in production, so every web worker shares them), and the refusal of an
action over its limit (:func:`check`).

Generous limits are counted in batches: a process adds its actions to the shared counter once
per ``limit // BATCH_DIVISOR`` actions (and remembers a subject found over the limit until the
window ends), so a vote does not pay a cache round trip each. The price: a limit can be passed
by at most one batch per web process, about 1 % of it per process; limits below
``BATCH_DIVISOR`` stay exact.
"""

import ipaddress
import time

from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from civic_consultation import identity, integrity
from civic_consultation.app_settings import app_settings
from civic_consultation.errors import ConsultationError


def rate_limited():
    """The refusal of an action over its rate limit (429)."""
    return ConsultationError(
        _("Too many requests in a short time: please try again in a few minutes."),
        ConsultationError.RATE_LIMITED,
    )


# The RATE_LIMITS setting merged over its defaults, read once per process (votes read it on
# every call): emptied when a test changes the setting.
_settings = {}


def rate_limits():
    """``RATE_LIMITS``: {kind: (actions, seconds), or None where the site switched it off}."""
    merged = _settings.get("RATE_LIMITS")
    if merged is None:
        merged = _settings["RATE_LIMITS"] = app_settings.RATE_LIMITS
    return merged


def rate_limit(kind):
    """(actions, seconds) of the limit ``kind``, or None when there is none."""
    return rate_limits().get(kind)


def check(action, participant_id=None, address=None):
    """Refuse ``action`` over its rate limit, per participant and per address (the limits of
    ``RATE_LIMITS`` named ``<action>_participant`` and ``<action>_address``; a limit set to
    None is off)."""
    subjects = [("participant", participant_id), ("address", address_subject(address))]
    configured = rate_limits()
    for scope, subject in subjects:
        kind = f"{action}_{scope}"
        if subject and configured.get(kind) is not None and not allow(kind, subject):
            raise rate_limited()


def address_subject(address):
    """The unit an address is limited by: one IPv4 address, or an IPv6 /64 (one household's
    prefix, which its devices rotate addresses within), as a keyed hash: the cache (shared,
    often kept apart from the database) never holds an address."""
    parsed = integrity.client_ip(address)
    if parsed is None:
        return ""
    if parsed.version == 6:
        parsed = ipaddress.ip_network(f"{parsed}/64", strict=False)
    return identity.keyed_hash("rate_limit", str(parsed))[:ADDRESS_SUBJECT_LENGTH]


# Hex digits of the address hash: 128 bits, no collision between a city's addresses.
ADDRESS_SUBJECT_LENGTH = 32
BATCH_DIVISOR = 100

# (kind, subject) -> [window, actions not yet added to the shared counter, over the limit]
_local = {}
LOCAL_ENTRIES = 10_000


def window_number(seconds, now=None):
    """The number of the fixed window of ``seconds`` that ``now`` (a timestamp) falls in."""
    return int((now if now is not None else time.time()) // seconds)


def allow(kind, subject, now=None):
    """Count one ``kind`` action of ``subject``; False when it goes over the limit."""
    limit, seconds = rate_limits()[kind]
    window = window_number(seconds, now)
    entry = _local.get((kind, subject))
    if entry is None or entry[0] != window:
        if len(_local) >= LOCAL_ENTRIES:
            _local.clear()
        entry = _local[(kind, subject)] = [window, 0, False]
    if entry[2]:
        return False
    entry[1] += 1
    if entry[1] < max(1, limit // BATCH_DIVISOR):
        return True
    actions, entry[1] = entry[1], 0
    over = _add(f"civic_consultation:rate:{kind}:{subject}:{window}", actions, seconds) > limit
    entry[2] = over
    return not over


@receiver(setting_changed)
def reset(setting=None, **kwargs):
    """Forget the counts kept in this process (new limits, or a cleared cache in tests)."""
    if setting in (None, "CIVIC_CONSULTATION_RATE_LIMITS"):
        _local.clear()
        _settings.clear()


def _add(key, actions, seconds):
    """Add ``actions`` to the shared counter ``key``; returns its new value."""
    # Increment first: inside a window the key exists, so most calls cost one cache call.
    try:
        return cache.incr(key, actions)
    except ValueError:  # the first call of the window (or the key just expired)
        if cache.add(key, actions, timeout=seconds + 1):
            return actions
        return cache.incr(key, actions)
