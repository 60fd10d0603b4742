"""Keep the hidden council and service groups in step with the directory.

Councils, services and memberships are plain records edited by coordinators; their permission
side effects live here so that every way of editing them stays consistent: the membership
forms, the City service form's Staff field and ``council.members.add()`` (which write the
membership rows in bulk, without ``post_save``: ``m2m_changed`` covers them), the API, an
import, the shell, the demo.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from civic_participation import permissions
from civic_participation.models import CityService, Council, CouncilMembership, ServiceMembership


@receiver(post_save, sender=Council)
def council_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        permissions.grant_council_space(instance)


@receiver(post_save, sender=CityService)
def service_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        permissions.grant_service_space(instance)


@receiver(post_save, sender=CouncilMembership)
def council_membership_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        permissions.sync_council_membership(instance)


@receiver(post_delete, sender=CouncilMembership)
def council_membership_deleted(sender, instance, **kwargs):
    permissions.sync_council_membership(instance, removed=True)


@receiver(post_save, sender=ServiceMembership)
def service_membership_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        permissions.sync_service_membership(instance)


@receiver(post_delete, sender=ServiceMembership)
def service_membership_deleted(sender, instance, **kwargs):
    permissions.sync_service_membership(instance, removed=True)


def _memberships(model, instance, reverse, pk_set):
    """The membership rows an ``m2m_changed`` on ``council.members`` / ``service.staff`` (or
    their reverse, ``user.councils`` / ``user.city_services``) is about."""
    owner = "council" if model is CouncilMembership else "service"
    rows = model.objects.select_related("user", owner)
    if reverse:  # instance is the user, pk_set the councils or services
        rows = rows.filter(user=instance)
        return rows if pk_set is None else rows.filter(**{f"{owner}_id__in": pk_set})
    rows = rows.filter(**{owner: instance})
    return rows if pk_set is None else rows.filter(user_id__in=pk_set)


def _bulk_memberships_changed(model, sync):
    def receiver_(sender, instance, action, reverse, pk_set, **kwargs):
        if action == "post_add":
            for membership in _memberships(model, instance, reverse, pk_set):
                sync(membership)
        elif action in ("pre_remove", "pre_clear"):
            instance._civic_leaving = list(_memberships(model, instance, reverse, pk_set))
        elif action in ("post_remove", "post_clear"):
            for membership in getattr(instance, "_civic_leaving", ()):
                sync(membership, removed=True)
            instance._civic_leaving = ()

    return receiver_


council_members_changed = _bulk_memberships_changed(
    CouncilMembership, permissions.sync_council_membership
)
service_staff_changed = _bulk_memberships_changed(
    ServiceMembership, permissions.sync_service_membership
)
m2m_changed.connect(council_members_changed, sender=CouncilMembership)
m2m_changed.connect(service_staff_changed, sender=ServiceMembership)
