"""Identity verified by an identity provider, as opposed to what a person declares.

A site that signs residents in through an OpenID Connect provider (FranceConnect for French
cities) stores the provider's verified claims in the session at login with :func:`remember`.
Plugins read them with :func:`verified_identity` and trust them over a declaration; without a
provider, plugins fall back to their declarative mode.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

SESSION_KEY = "civic_core.verified_identity"


@dataclass(frozen=True)
class VerifiedIdentity:
    provider: str
    subject: str
    given_name: str = ""
    family_name: str = ""
    birthdate: date | None = None
    # Other claims the provider vouches for (birthplace, postal address, ...).
    claims: dict = field(default_factory=dict)


def remember(request, identity):
    stored = asdict(identity)
    stored["birthdate"] = identity.birthdate.isoformat() if identity.birthdate else None
    request.session[SESSION_KEY] = stored


def forget(request):
    request.session.pop(SESSION_KEY, None)


def verified_identity(request):
    """The verified identity of this session's person, or None."""
    session = getattr(request, "session", None)
    stored = session.get(SESSION_KEY) if session is not None else None
    if not stored:
        return None
    birthdate = stored.get("birthdate")
    return VerifiedIdentity(
        provider=stored["provider"],
        subject=stored["subject"],
        given_name=stored.get("given_name", ""),
        family_name=stored.get("family_name", ""),
        birthdate=date.fromisoformat(birthdate) if birthdate else None,
        claims=stored.get("claims") or {},
    )
