"""Who may moderate which consultation.

A moderator holds ``civic_consultation.moderate_consultation`` globally (the "Consultation
moderators" group) or on one consultation (guardian's direct object-permission tables in
``models.consultations``).
"""

from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from civic_consultation.errors import ConsultationError

MODERATE = "civic_consultation.moderate_consultation"


def moderated_consultations(user):
    from civic_consultation.models import Consultation

    if not user.is_authenticated or not user.is_active:
        return Consultation.objects.none()
    return get_objects_for_user(user, MODERATE, klass=Consultation, accept_global_perms=True)


def can_moderate(user, consultation):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(MODERATE) or user.has_perm(MODERATE, consultation)


def require_moderator(user, consultation):
    """Refuse (403) a moderator's action to a user who may not moderate ``consultation``."""
    if not can_moderate(user, consultation):
        raise ConsultationError(
            _("You may not moderate this consultation."), ConsultationError.FORBIDDEN
        )
