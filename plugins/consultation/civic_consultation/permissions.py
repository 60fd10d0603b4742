"""Who may moderate which consultation.

A moderator holds ``civic_consultation.moderate_consultation`` globally (the "Consultation
moderators" group) or on one consultation (guardian's direct object-permission tables in
models.py).
"""

from guardian.shortcuts import get_objects_for_user

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


def can_moderate_any(user):
    return moderated_consultations(user).exists()
