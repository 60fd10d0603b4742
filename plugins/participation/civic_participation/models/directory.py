"""The directory: themes, councils and their members, city services and their staff, the
closure days of the city's calendar and the versioned deadline policies.

Coordinators edit these records in the member space; ``signals`` keeps the hidden permission
groups in step with them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_participation.models.choices import Counting, DeadlineKind


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name


class Council(models.Model):
    """A council of residents (kind configured per city, see ``COUNCIL_KINDS``)."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=40, default="participatory")
    territory = models.CharField(
        _("territory"), max_length=255, blank=True, help_text=_("Districts or area it covers.")
    )
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CouncilMembership", related_name="councils"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        permissions = [("draft_request_council", _("Can draft requests for this council"))]

    def __str__(self):
        return self.name

    def kind_label(self):
        from civic_participation.adapter import get_adapter

        return dict(get_adapter().council_kinds()).get(self.kind, self.kind)


class CouncilMembership(models.Model):
    """Access to a council's space; the public list shows only members who consented."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        REFERENT = "referent", _("Référent")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    listed_publicly = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("The member consented to their name appearing on the public council page."),
    )
    public_name = models.CharField(
        _("public name"),
        max_length=120,
        blank=True,
        help_text=_("Name shown publicly when listed (defaults to first name and initial)."),
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    class Meta:
        ordering = ["council", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="civic_participation_one_seat")
        ]
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")

    def __str__(self):
        return f"{self.user} – {self.council} ({self.get_role_display()})"

    def display_name(self):
        if self.public_name:
            return self.public_name
        initial = f" {self.user.last_name[:1]}." if self.user.last_name else ""
        return f"{self.user.first_name or self.user.get_username()}{initial}"


class CityService(models.Model):
    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_channel = models.CharField(
        _("contact channel"),
        max_length=255,
        blank=True,
        help_text=_("How councils reach the service (e-mail, phone, office hours)."),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ServiceMembership", related_name="city_services"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("city service")
        verbose_name_plural = _("city services")
        permissions = [("draft_offer_service", _("Can draft offers for this service"))]

    def __str__(self):
        return self.name


class ServiceMembership(models.Model):
    class Role(models.TextChoices):
        AGENT = "agent", _("Agent")
        MANAGER = "manager", _("Manager")

    service = models.ForeignKey(CityService, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)

    class Meta:
        ordering = ["service", "role"]
        constraints = [
            models.UniqueConstraint(fields=["service", "user"], name="civic_participation_one_post")
        ]
        verbose_name = _("service membership")
        verbose_name_plural = _("service memberships")

    def __str__(self):
        return f"{self.user} – {self.service} ({self.get_role_display()})"


class ParticipationSpace(models.Model):
    """Holds the model permission that opens the member space; no rows."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("access_member_space", _("Can use the participation member space")),
            ("route_request", _("Can route, acknowledge and reopen any request")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


class ClosureDay(models.Model):
    """A day the city's services are closed besides public holidays (edited in the admin)."""

    day = models.DateField(_("day"), unique=True)
    label = models.CharField(_("label"), max_length=120)

    class Meta:
        ordering = ["day"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.label}"


class DeadlinePolicy(models.Model):
    """One version of the rule that sets a kind of deadline, general or for one scope.

    Rows are never edited in place by the domain layer: a new rule is a new row with a later
    ``valid_from`` (a new version), and each deadline keeps the version it was computed from.
    The most specific rule wins: service, then council, then theme, then the general rule.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=DeadlineKind.choices)
    days = models.PositiveIntegerField(_("days"))
    counting = models.CharField(_("counting"), max_length=10, choices=Counting.choices)
    service = models.ForeignKey(
        CityService, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["kind", "-valid_from", "-pk"]
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(service__isnull=True, council__isnull=True)
                    | Q(service__isnull=True, theme__isnull=True)
                    | Q(council__isnull=True, theme__isnull=True)
                ),
                name="civic_participation_policy_one_scope",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.days} {self.get_counting_display()}"
