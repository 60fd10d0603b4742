"""Factories of participation data; memberships go through the real models (signals sync
permissions exactly as in production)."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from civic_participation import services
from civic_participation.models import (
    CityService,
    Council,
    CouncilMembership,
    ServiceMembership,
    Theme,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")
    password = factory.django.Password("pw")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.add(*Group.objects.filter(name__in=names))


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"Conseil participatif {n}")
    slug = factory.Sequence(lambda n: f"conseil-{n}")
    territory = "Quartier"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityService

    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    contact_email = factory.LazyAttribute(lambda service: f"{service.slug}@example.invalid")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


def council_member(council, referent=False, **kwargs):
    # No group ticked by hand: the membership alone gives the role group (signals).
    user = UserFactory(**kwargs)
    role = CouncilMembership.Role.REFERENT if referent else CouncilMembership.Role.MEMBER
    CouncilMembership.objects.create(council=council, user=user, role=role)
    return user


def service_agent(service, manager=False, **kwargs):
    user = UserFactory(**kwargs)
    role = ServiceMembership.Role.MANAGER if manager else ServiceMembership.Role.AGENT
    ServiceMembership.objects.create(service=service, user=user, role=role)
    return user


def coordinator(**kwargs):
    return UserFactory(groups=["Coordinators"], **kwargs)


def draft_request(council, author, **kwargs):
    values = {"title": "Des bancs place de la Paix", "description": "Les aînés manquent de bancs."}
    values.update(kwargs)
    return services.create_request(author, council, **values)


def acknowledged_request(city, **kwargs):
    from civic_participation.workflow import perform

    item = draft_request(city.council, city.member, **kwargs)
    perform(item, "submit", city.referent)
    return perform(item, "acknowledge", city.coordinator, {"service": city.service.pk})


def answered_request(city, internal_note="Coût estimé 12 000 €, ligne budgétaire voirie."):
    """A request answered by the city, with a discussion message and an internal note."""
    from civic_participation.workflow import perform

    item = acknowledged_request(city)
    perform(item, "start_review", city.agent)
    services.post_message(city.referent, item, "Message réservé aux membres.")
    services.add_note(city.agent, item, internal_note)
    return perform(
        item, "answer", city.agent, {"outcome": "accepted", "message": "Trois bancs seront posés."}
    )


def open_offer(city, councils, respond_in_days=30, *, respond_by=None, now=None):
    """An offer of the city's service published to ``councils`` (at ``now``, answers due
    ``respond_by`` or ``respond_in_days`` from today)."""
    from datetime import timedelta

    from django.utils import timezone

    from civic_participation.workflow import perform

    offer = services.create_offer(
        city.agent,
        city.service,
        "Concertation place Franklin",
        "Venez donner votre avis.",
        now=now,
    )
    respond_by = respond_by or timezone.localdate() + timedelta(days=respond_in_days)
    return perform(
        offer,
        "publish",
        city.agent,
        {"councils": [council.pk for council in councils], "respond_by": respond_by},
        now=now,
    )
