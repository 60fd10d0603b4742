"""Who may do what in a consultation: the permission table of
``docs/consultation-permissions.md`` and the one check that the API, the member space and the
public pages call (:func:`require`).

An actor holds one or more roles towards a consultation (:func:`roles_of`): everyone is
``anonymous`` or ``user`` (signed in); holding a participant token or an account that joined
makes a ``participant``; the "Consultation moderators" group (or guardian's permission on one
consultation) a ``moderator``; the "Consultation editors" group an ``editor``; Django's
superuser flag a ``superuser``. An action is allowed when one of the actor's roles is in its
row of :data:`PERMISSIONS`. Roles are worked out lazily, cheapest first, so that the vote (a
participant's token, no database read) pays nothing for the check.
"""

from django.utils.translation import gettext as _

from civic_consultation import identity
from civic_consultation.errors import ConsultationError
from civic_consultation.models import Consultation, Participant
from civic_consultation.permissions import can_moderate, moderated_consultations

ANONYMOUS = "anonymous"
PARTICIPANT = "participant"
USER = "user"
MODERATOR = "moderator"
EDITOR = "editor"
SUPERUSER = "superuser"
ROLES = (ANONYMOUS, PARTICIPANT, USER, MODERATOR, EDITOR, SUPERUSER)
EVERYONE = frozenset(ROLES)
STAFF = frozenset({MODERATOR, EDITOR, SUPERUSER})
NOBODY = frozenset()

# The model permission that makes an editor (held by the "Consultation editors" group).
EDIT = "civic_consultation.change_consultation"

# (kind of object, action) -> the roles allowed. Drafts are consultations nobody outside the
# staff may read; "manage" is the member space's listings and inspect pages.
PERMISSIONS = {
    ("consultation", "read"): EVERYONE,
    ("draft consultation", "read"): STAFF,
    ("consultation", "manage"): STAFF,
    ("consultation", "write"): frozenset({EDITOR, SUPERUSER}),
    ("consultation", "delete"): frozenset({SUPERUSER}),
    ("participant", "join"): EVERYONE,
    ("participant", "read"): frozenset({PARTICIPANT}),
    ("participant", "write"): frozenset({PARTICIPANT}),
    ("proof of work", "read"): EVERYONE,
    ("proposal", "read"): EVERYONE,
    ("proposal", "write"): EVERYONE,
    ("proposal", "manage"): frozenset({MODERATOR, SUPERUSER}),
    ("proposal", "moderate"): frozenset({MODERATOR, SUPERUSER}),
    ("proposal", "change"): NOBODY,
    ("card", "read"): frozenset({PARTICIPANT}),
    ("card", "write"): frozenset({PARTICIPANT}),
    ("vote", "write"): frozenset({PARTICIPANT}),
    ("vote", "export"): EVERYONE,
    ("results", "read"): EVERYONE,
    ("session", "moderate"): frozenset({MODERATOR, SUPERUSER}),
}

# Every route of the plugin -> (kind, action) per method: API route names (the router's), the
# member space's URL names, the page's routes ("page:<route>").
API_ROUTES = {
    "api-root": {"GET": ("consultation", "read")},
    "consultation-list": {"GET": ("consultation", "read")},
    "consultation-detail": {"GET": ("consultation", "read")},
    "consultation-participant": {"GET": ("participant", "read"), "POST": ("participant", "join")},
    "consultation-profile": {"POST": ("participant", "write")},
    "consultation-similar": {"GET": ("proposal", "read")},
    "consultation-challenge": {"GET": ("proof of work", "read")},
    "consultation-cards": {"GET": ("card", "read"), "POST": ("card", "write")},
    "consultation-vote": {"POST": ("vote", "write")},
    "consultation-results": {"GET": ("results", "read")},
    "consultation-segments": {"GET": ("results", "read")},
    "consultation-export": {"GET": ("vote", "export")},
    "consultation-opinion-groups": {"GET": ("results", "read")},
    "proposal-list": {"GET": ("proposal", "read"), "POST": ("proposal", "write")},
    "proposal-detail": {"GET": ("proposal", "read")},
}
MODERATION = {"GET": ("proposal", "moderate"), "POST": ("proposal", "moderate")}
ADMIN_ROUTES = {
    "civic_consultation_moderation": {"GET": ("proposal", "moderate")},
    "civic_consultation_queue": MODERATION,
    "civic_consultation_review_next": {"POST": ("proposal", "moderate")},
    "civic_consultation_review": MODERATION,
    "civic_consultation_flagged": {
        "GET": ("session", "moderate"),
        "POST": ("session", "moderate"),
    },
    "civic_consultation_consultation_modeladmin_index": {"GET": ("consultation", "manage")},
    "civic_consultation_consultation_modeladmin_inspect": {"GET": ("consultation", "manage")},
    "civic_consultation_consultation_modeladmin_history": {"GET": ("consultation", "manage")},
    "civic_consultation_consultation_modeladmin_create": {
        "GET": ("consultation", "write"),
        "POST": ("consultation", "write"),
    },
    "civic_consultation_consultation_modeladmin_edit": {
        "GET": ("consultation", "write"),
        "POST": ("consultation", "write"),
    },
    "civic_consultation_consultation_modeladmin_delete": {
        "GET": ("consultation", "delete"),
        "POST": ("consultation", "delete"),
    },
    "civic_consultation_proposal_modeladmin_index": {"GET": ("proposal", "manage")},
    "civic_consultation_proposal_modeladmin_inspect": {"GET": ("proposal", "manage")},
    "civic_consultation_proposal_modeladmin_history": {"GET": ("proposal", "manage")},
    "civic_consultation_proposal_modeladmin_create": {
        "GET": ("proposal", "change"),
        "POST": ("proposal", "change"),
    },
    "civic_consultation_proposal_modeladmin_edit": {
        "GET": ("proposal", "change"),
        "POST": ("proposal", "change"),
    },
    "civic_consultation_proposal_modeladmin_delete": {
        "GET": ("proposal", "change"),
        "POST": ("proposal", "change"),
    },
}
PAGE_ROUTES = {
    "page:landing": {"GET": ("consultation", "read")},
    "page:propose": {"GET": ("proposal", "read"), "POST": ("proposal", "write")},
    "page:vote": {"GET": ("consultation", "read"), "POST": ("participant", "join")},
    "page:results": {"GET": ("results", "read")},
}


def is_superuser(user):
    return user.is_active and user.is_superuser


def is_editor(user):
    return user.is_authenticated and user.is_active and user.has_perm(EDIT)


class Actor:
    """Who asks: the account (``AnonymousUser`` when nobody signed in) and the request the
    participant token is read from (None for the member space and tasks)."""

    def __init__(self, user, request=None):
        self.user = user
        self.request = request

    def participant_id(self, consultation_id):
        """The participant this actor speaks for in the consultation, or None: the token's
        (no database read), else the account's."""
        if consultation_id is None:
            return None
        if self.request is not None:
            found = identity.participant_id_from_request(self.request, consultation_id)
            if found is not None:
                return found
        if self.user.is_authenticated:
            return (
                Participant.objects.filter(consultation_id=consultation_id, user=self.user)
                .values_list("pk", flat=True)
                .first()
            )
        return None

    def has_role(self, role, consultation_id=None):
        user = self.user
        if role == ANONYMOUS:
            return not user.is_authenticated
        if role == USER:
            return user.is_authenticated
        if role == PARTICIPANT:
            return self.participant_id(consultation_id) is not None
        if role == SUPERUSER:
            return is_superuser(user)
        if role == EDITOR:
            return is_editor(user)
        # A moderator of this consultation, or of any when no consultation is named.
        if consultation_id is None:
            return user.is_authenticated and moderated_consultations(user).exists()
        consultation = Consultation.objects.filter(pk=consultation_id).first()
        return consultation is not None and can_moderate(user, consultation)


# Cheapest first: the token and the session's user cost no query.
CHECK_ORDER = (ANONYMOUS, USER, PARTICIPANT, SUPERUSER, EDITOR, MODERATOR)


def roles_of(actor, consultation_id=None):
    """Every role ``actor`` holds towards the consultation."""
    return {role for role in ROLES if actor.has_role(role, consultation_id)}


def may(actor, kind, action, consultation_id=None):
    """Whether ``actor`` may do ``action`` on ``kind`` (in the consultation, when it matters)."""
    allowed = PERMISSIONS[(kind, action)]
    return any(actor.has_role(role, consultation_id) for role in CHECK_ORDER if role in allowed)


def require(actor, kind, action, consultation_id=None):
    """Refuse (403) ``action`` on ``kind`` to an actor none of whose roles may do it."""
    if may(actor, kind, action, consultation_id):
        return
    if PERMISSIONS[(kind, action)] == {PARTICIPANT}:
        raise ConsultationError(
            _("Join the consultation first (POST to its participant endpoint)."),
            ConsultationError.FORBIDDEN,
        )
    raise ConsultationError(
        _("You may not do this in this consultation."), ConsultationError.FORBIDDEN
    )


def require_route(actor, routes, name, method, consultation_id=None):
    """:func:`require` for the route ``name`` of ``routes`` (one of the tables above) called
    with ``method``; a route or method the table does not name is refused."""
    rule = routes.get(name, {}).get("GET" if method == "HEAD" else method)
    if rule is None:
        raise ConsultationError(_("This action is not allowed here."), ConsultationError.FORBIDDEN)
    require(actor, *rule, consultation_id)


def visible_consultations(user):
    """The consultations ``user`` may read: every one but the drafts, and the drafts for the
    staff (moderators see those they moderate)."""
    public = Consultation.objects.exclude(status=Consultation.Status.DRAFT)
    if is_superuser(user) or is_editor(user):
        return Consultation.objects.all()
    return public | moderated_consultations(user)
