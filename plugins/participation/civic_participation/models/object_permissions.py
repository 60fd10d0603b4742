"""django-guardian object permissions, one direct foreign-key table per protected model.

Guardian finds these tables by the ``content_object`` foreign key; ``permissions`` grants and
reads them.
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from civic_participation.models.directory import CityService, Council
from civic_participation.models.items import Invitation, Offer, Request


class CouncilUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Council, on_delete=models.CASCADE)


class CouncilGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Council, on_delete=models.CASCADE)


class CityServiceUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(CityService, on_delete=models.CASCADE)


class CityServiceGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(CityService, on_delete=models.CASCADE)


class RequestUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Request, on_delete=models.CASCADE)


class RequestGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Request, on_delete=models.CASCADE)


class OfferUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Offer, on_delete=models.CASCADE)


class OfferGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Offer, on_delete=models.CASCADE)


class InvitationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Invitation, on_delete=models.CASCADE)


class InvitationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Invitation, on_delete=models.CASCADE)
