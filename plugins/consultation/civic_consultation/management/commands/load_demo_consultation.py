"""Demo consultation "Mulhouse solidaire" (idempotent): question and themes of the seed, a
few hundred synthetic proposals moderated, synthetic residents voting through served cards, a
consultation page in the tree and a moderator account.

The moderator's password is published: the command refuses to run with ``DEBUG`` off unless
given ``--allow-production`` (``civic_core.demo.DemoCommand``)."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from civic_consultation import integrity, scoring, services, tasks
from civic_consultation.demo_data import THEMES, proposal_texts
from civic_consultation.models import Consultation, Participant, Phase, Theme
from civic_core.demo import DemoCommand

SLUG = "mulhouse-solidaire"
QUESTION = "Comment améliorer vos conditions de vie à Mulhouse ?"
DESCRIPTION = (
    "Solidarité, santé, logement, emploi… La Ville de Mulhouse prépare la feuille de route de "
    "l’action sociale et de la santé pour les cinq prochaines années. Proposez vos idées et "
    "votez sur celles des autres Mulhousiens."
)
DEMO_PASSWORD = "civic-demo"
MODERATORS_GROUP = "Consultation moderators"
# Relative sizes of the residents' opinion camps.
CAMP_WEIGHTS = (5, 3, 2)


class Command(DemoCommand):
    help = "Create the demo consultation Mulhouse solidaire with proposals and votes."

    def add_arguments(self, parser):
        parser.add_argument("--voters", type=int, default=250)
        parser.add_argument("--sequences", type=int, default=2)
        parser.add_argument("--seed", type=int, default=2021)

    def handle(self, *args, voters, sequences, seed, **options):
        rng = random.Random(seed)
        moderator = self.moderator()
        with transaction.atomic():
            consultation, created = self.consultation()
        self.page(consultation)
        if not created and consultation.proposals.exists():
            self.stdout.write("Demo consultation already present.")
            return
        proposals = self.proposals(consultation, moderator, rng)
        self.votes(consultation, proposals, voters, sequences, rng)
        # The synthetic residents voted at machine speed: the burst flags that raised would
        # only be noise in the moderators' view of flagged sessions.
        consultation.participants.filter(flag=integrity.FLAG_BURST).update(flag="", flagged_at=None)
        counters = consultation.counters()
        self.stdout.write(
            f"Consultation “{consultation.title}”: {counters['proposals']} proposals, "
            f"{counters['participants']} participants, {counters['votes']} votes."
        )
        # The task cluster refreshes the groups later; computing them now shows them at once.
        run = tasks.compute_for(consultation)
        self.stdout.write(
            f"Opinion groups: {run.group_count} groups of {run.participants} participants."
        )

    def moderator(self):
        user, created = get_user_model().objects.get_or_create(
            username="moderator",
            defaults={
                "first_name": "Léa",
                "last_name": "Modératrice",
                "email": "moderator@demo.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        group = Group.objects.filter(name=MODERATORS_GROUP).first()
        if group:
            user.groups.add(group)
        return user

    def consultation(self):
        now = timezone.now()
        today = timezone.localdate()
        consultation, created = Consultation.objects.get_or_create(
            slug=SLUG,
            defaults={
                "title": "Mulhouse solidaire",
                "question": QUESTION,
                "description": DESCRIPTION,
                "status": Consultation.Status.OPEN,
                "opens_at": now - timedelta(days=20),
                "closes_at": now + timedelta(days=70),
                "language": "fr",
                "proposal_min_length": 15,
                "proposal_max_length": 140,
                "vote_target": 100_000,
            },
        )
        if created:
            for position, (slug, name) in enumerate(THEMES):
                Theme.objects.create(
                    consultation=consultation, slug=slug, name=name, sort_order=position
                )
            phases = (
                ("Consultation citoyenne et partage des diagnostics", -20, 70),
                ("Temps fort pour nourrir la réflexion collective", 71, 101),
                ("Groupes de travail thématiques et feuille de route", 102, 190),
            )
            for position, (name, start, end) in enumerate(phases):
                Phase.objects.create(
                    consultation=consultation,
                    name=name,
                    starts_on=today + timedelta(days=start),
                    ends_on=today + timedelta(days=end),
                    sort_order=position,
                )
        return consultation, created

    def page(self, consultation):
        from wagtail.models import Site

        from civic_consultation.models import ConsultationPage

        if ConsultationPage.objects.filter(consultation=consultation).exists():
            return
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return
        root = site.root_page.specific
        root.add_child(
            instance=ConsultationPage(
                title="Mulhouse solidaire", slug=SLUG, consultation=consultation
            )
        )

    def proposals(self, consultation, moderator, rng):
        themes = {theme.slug: theme for theme in consultation.themes.all()}
        texts = list(proposal_texts())
        authors = [services.join(consultation) for _ in range(len(texts) // 2)]
        accepted = []
        for index, (slug, text) in enumerate(texts):
            proposal = services.submit_proposal(authors[index % len(authors)], text, themes[slug])
            # A few stay in the queue for the moderator to try; one in twenty is refused.
            if index % 37 == 0:
                continue
            if index % 20 == 0:
                services.refuse(moderator, proposal, "unclear")
            else:
                accepted.append(services.accept(moderator, proposal))
        return accepted

    def votes(self, consultation, proposals, voters, sequences, rng):
        # Each proposal has a hidden appeal; residents agree with about that probability,
        # more in the camp that cares for the proposal's theme, less in the others.
        themes = sorted({p.theme_id for p in proposals})
        appeal = {}
        for p in proposals:
            base = rng.betavariate(2, 1.6)
            cared_by = themes.index(p.theme_id) % len(CAMP_WEIGHTS)
            appeal[p.pk] = [
                min(1.0, base + 0.35) if camp == cared_by else max(0.0, base - 0.35)
                for camp in range(len(CAMP_WEIGHTS))
            ]
        for number in range(voters):
            camp = rng.choices(range(len(CAMP_WEIGHTS)), CAMP_WEIGHTS)[0]
            camp_appeal = {pk: appeals[camp] for pk, appeals in appeal.items()}
            # One transaction per resident keeps SQLite from syncing the disk at every vote.
            with transaction.atomic():
                self.resident_votes(consultation, number, camp_appeal, sequences, rng)

    def resident_votes(self, consultation, number, appeal, sequences, rng):
        ages = Participant.AgeRange.values
        districts = ("68100", "68200", "68200", "68100", "BOURTZWILLER", "DORNACH")
        participant = services.join(consultation)
        if number % 3 == 0:
            services.answer_profile(participant, rng.choice(ages), rng.choice(districts))
        for _sequence in range(sequences):
            for card in services.next_cards(participant, rng):
                services.cast_vote(
                    participant.pk,
                    card.proposal_id,
                    *self.opinion(appeal[card.proposal_id], rng),
                    key=card.key,
                )

    def opinion(self, appeal, rng):
        """A synthetic resident's vote and qualifications on a proposal of this appeal."""
        roll = rng.random()
        if roll < appeal * 0.85:
            value = scoring.AGREE
        elif roll < 0.85:
            value = scoring.DISAGREE
        else:
            value = scoring.NEUTRAL
        qualifications = []
        if rng.random() < 0.3:
            qualifications = [rng.choice(scoring.QUALIFICATIONS[value])]
        return value, qualifications
