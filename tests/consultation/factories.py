"""Factories of the consultation tests."""

import hashlib
import itertools
import re
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from civic_consultation import challenge, services
from civic_consultation.models import Consultation, Participant, Proposal, Theme


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Consultation {n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    question = "Comment améliorer vos conditions de vie à Mulhouse ?"
    status = Consultation.Status.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    vote_target = 1000


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    consultation = factory.SubFactory(ConsultationFactory)
    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    consultation = factory.SubFactory(ConsultationFactory)


class ProposalFactory(factory.django.DjangoModelFactory):
    """An accepted proposal unless told otherwise."""

    class Meta:
        model = Proposal

    consultation = factory.SubFactory(ConsultationFactory)
    author = factory.SubFactory(
        ParticipantFactory, consultation=factory.SelfAttribute("..consultation")
    )
    text = factory.Sequence(lambda n: f"Il faut ouvrir le lieu numéro {n} le dimanche")
    status = Proposal.Status.ACCEPTED


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@demo.invalid")
    password = factory.django.Password("pw")


def moderator(username="moderator"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name="Consultation moderators"))
    return get_user_model().objects.get(pk=user.pk)


def served_vote(participant, value="agree", qualifications=()):
    """Draw a sequence for ``participant`` and vote ``value`` on its first card."""
    card = services.next_cards(participant)[0]
    return services.cast_vote(participant.pk, card.proposal_id, value, qualifications, card.key)


def consultation_page(consultation, slug="consultation"):
    """A ConsultationPage under the default site's root page."""
    from wagtail.models import Site

    from civic_consultation.models import ConsultationPage

    root = Site.objects.get(is_default_site=True).root_page
    return root.add_child(
        instance=ConsultationPage(title=consultation.title, slug=slug, consultation=consultation)
    )


# Proof of work -----------------------------------------------------------------------------


def find_nonce(salt, difficulty):
    """Search the nonce as a browser does: the first whose SHA-256(salt + nonce) starts with
    ``difficulty`` zero bits (written apart from the server's check, which it tests)."""
    for nonce in itertools.count():
        digest = hashlib.sha256(f"{salt}{nonce}".encode()).digest()
        if "".join(f"{byte:08b}" for byte in digest).startswith("0" * difficulty):
            return nonce


def solved(token, salt, difficulty):
    return f"{token}.{find_nonce(salt, difficulty)}"


def proof(consultation, purpose):
    """A fresh answer to a challenge issued for ``purpose`` in ``consultation``."""
    issued = challenge.issue(consultation.pk, purpose)
    return solved(issued.token, issued.salt, issued.difficulty)


def api_proof(client, consultation, purpose):
    """The X-Proof-Of-Work header an API client sends, from the challenge endpoint."""
    response = client.get(
        f"/api/consultation/consultations/{consultation.pk}/challenge/", {"purpose": purpose}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    return {challenge.HEADER: solved(body["challenge"], body["salt"], body["difficulty"])}


def page_proof(html):
    """The form field a browser fills from the challenge a page embeds."""
    found = re.search(
        r'data-challenge="([^"]+)" data-salt="([0-9a-f]+)" data-difficulty="([0-9]+)"', html
    )
    assert found, "the page embeds no proof-of-work challenge"
    token, salt, difficulty = found.groups()
    return {challenge.FIELD: solved(token, salt, int(difficulty))}
