"""Participants without accounts: a signed token in a cookie (or a header for API clients).

The token is ``django.core.signing`` of the participant and consultation ids: the server can
trust the id without a database read, and nobody can forge another participant's token. It
carries the time it was issued and is refused ``COOKIE_MAX_AGE`` seconds later; the pages issue
a new one after each contribution, so it lapses after that long without taking part.
"""

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from civic_consultation import integrity
from civic_consultation.app_settings import app_settings

SALT = "civic_consultation.participant"
ADDRESS_RANGE_KEY_LENGTH = 32
HEX_DIGITS = frozenset("0123456789abcdef")
HEADER = "HTTP_X_PARTICIPANT_TOKEN"


def make_token(participant):
    return signing.dumps([participant.pk, participant.consultation_id], salt=SALT)


def read_token(token, consultation_id):
    """The participant id carried by ``token`` for this consultation, or None."""
    if not token:
        return None
    try:
        participant_id, token_consultation = signing.loads(
            token, salt=SALT, max_age=app_settings.COOKIE_MAX_AGE
        )
    except (signing.BadSignature, ValueError, TypeError):  # SignatureExpired included
        return None
    if token_consultation != consultation_id or not isinstance(participant_id, int):
        return None
    return participant_id


def cookie_name(consultation_id):
    return f"{app_settings.COOKIE_NAME}_{consultation_id}"


def participant_id_from_request(request, consultation_id):
    """The header wins over the cookie, so a front-end can hold its own token. Read once per
    request and consultation: the permission check and the view both ask (the vote path)."""
    known = request.__dict__.setdefault("_civic_consultation_participants", {})
    if consultation_id not in known:
        token = request.META.get(HEADER) or request.COOKIES.get(cookie_name(consultation_id))
        known[consultation_id] = read_token(token, consultation_id)
    return known[consultation_id]


def remember(response, participant):
    response.set_cookie(
        cookie_name(participant.consultation_id),
        make_token(participant),
        max_age=app_settings.COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def client_address(request):
    """The client's network address as the server sees it. Behind a reverse proxy every
    request comes from the proxy: the site must then set REMOTE_ADDR from the header its
    trusted proxy writes (a small middleware), or the address limits apply to the proxy."""
    return request.META.get("REMOTE_ADDR", "")


def keyed_hash(purpose, value):
    """A keyed hash (HMAC-SHA-256 under the site's SECRET_KEY) of ``value``, what the plugin
    keeps instead of a network address or range wherever it stores one (database, cache)."""
    return salted_hmac(f"civic_consultation.{purpose}", value, algorithm="sha256").hexdigest()


def address_range_key(consultation_id, address):
    """What a participant stores of their network: a keyed hash of the address's range
    (``integrity.address_block``) that sessions from one network share. It differs between
    consultations, and only someone holding the site's secret key could find the range back
    (by trying every one); "" without an address."""
    block = integrity.address_block(address)
    if not block:
        return ""
    return keyed_hash("address_range", f"{consultation_id}:{block}")[:ADDRESS_RANGE_KEY_LENGTH]


def is_address_range_key(value):
    """Whether ``value`` has the form of an ``address_range_key`` (user input, e.g. a filter)."""
    return len(value) == ADDRESS_RANGE_KEY_LENGTH and all(c in HEX_DIGITS for c in value)
