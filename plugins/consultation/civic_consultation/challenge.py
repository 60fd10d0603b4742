"""A proof-of-work check before costly anonymous actions (submitting a proposal, drawing a new
sequence of cards), in the spirit of ALTCHA: no third party, no cookie, nothing about the
visitor sent anywhere.

The server issues a challenge: a random salt, a difficulty (leading zero bits), an expiry, the
purpose and the consultation, signed with the site's secret so that issuing stores nothing. The
browser searches the nonce whose SHA-256(salt + nonce) starts with that many zero bits (about
2**difficulty hashes) and sends ``<challenge>.<nonce>`` back. The server checks the signature,
expiry, purpose, consultation and hash, and remembers the salt in the cache until the challenge
expires, so one answer serves one action.
"""

import hashlib
import re
import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

from civic_consultation.app_settings import DEFAULTS, app_settings
from civic_consultation.errors import ConsultationError

PROPOSE = "propose"
SEQUENCE = "sequence"
PURPOSES = (PROPOSE, SEQUENCE)

# Where the answer travels: a field of the public pages' forms, a header of the API.
FIELD = "proof"
HEADER = "HTTP_X_PROOF_OF_WORK"

SIGNING_SALT = "civic_consultation.challenge"
# Nonces are decimal counters; 15 digits is far beyond any search a difficulty allows.
NONCE = re.compile(r"[0-9]{1,15}")
HASH_BITS = 256


@dataclass(frozen=True)
class Challenge:
    token: str
    salt: str
    difficulty: int
    expires_at: int
    purpose: str
    consultation_id: int

    def expires_in(self, now=None):
        return max(0, self.expires_at - int(now if now is not None else time.time()))


def config():
    """The PROOF_OF_WORK setting merged over its defaults, ``False`` read as ``{"enabled":
    False}`` (the system checks validate it at start-up: a wrong difficulty would lock
    residents out)."""
    values = app_settings.PROOF_OF_WORK
    if values is False:
        return {**DEFAULTS["PROOF_OF_WORK"], "enabled": False}
    return values


def is_enabled():
    return bool(config().get("enabled"))


def issue(consultation_id, purpose, now=None):
    if purpose not in PURPOSES:
        raise ConsultationError.for_field("purpose", _("The purpose must be propose or sequence."))
    checked = config()
    salt = secrets.token_hex(16)
    expires_at = int(now if now is not None else time.time()) + checked["seconds"]
    payload = {
        "s": salt,
        "d": checked["difficulty"],
        "e": expires_at,
        "p": purpose,
        "c": consultation_id,
    }
    token = signing.Signer(salt=SIGNING_SALT).sign_object(payload)
    return Challenge(token, salt, checked["difficulty"], expires_at, purpose, consultation_id)


def meets_difficulty(salt, nonce, difficulty):
    """Whether SHA-256 of ``salt`` followed by the decimal ``nonce`` starts with ``difficulty``
    zero bits."""
    digest = hashlib.sha256(f"{salt}{nonce}".encode()).digest()
    return int.from_bytes(digest, "big") >> (HASH_BITS - difficulty) == 0


def _refused(message, reason):
    return ConsultationError.for_field(FIELD, message, reason)


def _read(proof):
    """The signed payload and nonce of ``proof``; raises a clear error when it is not one."""
    if not proof:
        raise _refused(
            _(
                "The anti-robot check did not run: your browser does it, and it needs "
                "JavaScript. Please turn JavaScript on for this site and send the form again."
            ),
            "challenge_missing",
        )
    token, _dot, nonce = proof.strip().rpartition(".")
    invalid = _refused(
        _("The anti-robot check is not valid. Please try again."), "challenge_invalid"
    )
    if not token or not NONCE.fullmatch(nonce):
        raise invalid
    try:
        payload = signing.Signer(salt=SIGNING_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise invalid from None
    if not isinstance(payload, dict) or not all(key in payload for key in "sdepc"):
        raise invalid
    return payload, int(nonce)


def verify(proof, consultation_id, purpose, now=None):
    """Accept ``proof`` once for ``purpose`` in this consultation, or raise ConsultationError
    (bad input under the field ``proof``, reasons challenge_missing, challenge_invalid,
    challenge_expired and challenge_used)."""
    if not is_enabled():
        return
    payload, nonce = _read(proof)
    if payload["p"] != purpose or payload["c"] != consultation_id:
        raise _refused(
            _("This anti-robot check was issued for another form. Please try again."),
            "challenge_invalid",
        )
    now = int(now if now is not None else time.time())
    if now >= payload["e"]:
        raise _refused(
            _("The anti-robot check has expired. Please send the form again."),
            "challenge_expired",
        )
    if not meets_difficulty(payload["s"], nonce, payload["d"]):
        raise _refused(
            _("The answer to the anti-robot check is wrong. Please try again."),
            "challenge_invalid",
        )
    # add() is atomic in every cache backend: of two requests with one answer, one wins.
    if not cache.add(f"civic_consultation:challenge:{payload['s']}", 1, payload["e"] - now + 1):
        raise _refused(
            _("This anti-robot check was already used. Please send the form again."),
            "challenge_used",
        )
