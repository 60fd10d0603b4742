"""Keep the hidden council and service groups in step with the directory.

Councils, services and memberships are plain records edited by coordinators; their permission
side effects live here so that every way of editing them (admin, shell, demo) stays consistent.
"""

from django.db.models.signals import post_delete, post_save
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
