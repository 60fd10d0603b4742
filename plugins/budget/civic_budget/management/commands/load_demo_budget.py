"""Demo of the participatory budget (idempotent): Mulhouse-like edition with a city-wide zone
and five districts, projects in every status, about 2,800 ballots (2.5 % of 110,000 people).

The edition is replayed through the services phase by phase (the schedule is moved so that
"now" falls in each phase in turn); only the thousands of synthetic ballots are bulk-created,
with the same keys and checks as the voting service.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from civic_budget import ballot_rules, identity, phases, results, workflow
from civic_budget.adapter import age_bucket, age_on
from civic_budget.app_settings import app_settings
from civic_budget.models import (
    Ballot,
    BallotChoice,
    PollingPlace,
    Process,
    Project,
    VoterRegistration,
    Zone,
)
from civic_budget.roles import assign_polling_place
from civic_core.demo import DemoCommand

SLUG = "budget-participatif-2025"
NEXT_SLUG = "budget-participatif-2026"
DEMO_PASSWORD = "civic-demo"
EURO = 100

DISTRICTS = (
    ("Centre historique", 18_000),
    ("Dornach", 20_000),
    ("Bourtzwiller", 22_000),
    ("Drouot-Barbanègre", 24_000),
    ("Rebberg et Coteaux", 26_000),
)
CITY_POPULATION = sum(population for _name, population in DISTRICTS)  # 110,000

# title, location, cost in euros, popularity (drives the synthetic votes)
CITYWIDE_PROJECTS = (
    ("Fontaines à boire dans les parcs", "Parcs de la ville", 90_000, 9),
    ("Pistes cyclables sécurisées vers les écoles", "Abords des écoles", 180_000, 8),
    ("Micro-forêts urbaines", "Friches municipales", 120_000, 6),
    ("Boîtes à livres dans chaque quartier", "Places de quartier", 25_000, 3),
    ("Application de signalement des déchets", "", 60_000, 2),
)
DISTRICT_IDEAS = (
    ("Aire de jeux inclusive", "Square du quartier", 45_000, 7),
    ("Jardins partagés", "Terrain de la rue des Vergers", 30_000, 6),
    ("Éclairage solaire du chemin piéton", "Chemin des écoliers", 38_000, 4),
    ("Bancs et ombrage", "Place du marché", 22_000, 3),
)
# Projects that stop before the ballot, one per status.
EARLY_STATUSES = (
    ("Patinoire couverte", "submitted", ""),
    ("Parking souterrain", "refused", "Une idée de parking ne relève pas du budget participatif."),
    ("Skatepark", "under_review", ""),
    ("Téléphérique urbain", "unfeasible", "Le coût dépasse largement l'enveloppe de la ville."),
    ("Jardin partagé bis", "merged", "Même idée que les jardins partagés du quartier."),
    ("Toilettes publiques", "feasible", ""),
)
PAPER_SHARE = 0.14
TURNOUT = 2_800


def _user(username, first_name, last_name, group=None):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@demo.invalid",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def _move_to(process, phase):
    """Shift the whole schedule so that now falls inside ``phase``."""
    now = timezone.now()
    offsets = {
        phases.IDEAS: 10,
        phases.REVIEW: 40,
        phases.VOTE: 70,
        phases.COUNTING: 95,
        phases.RESULTS: 105,
        phases.IMPLEMENTATION: 240,
    }
    start = now - timedelta(days=offsets[phase])
    process.ideas_open = start
    process.review_open = start + timedelta(days=30)
    process.vote_open = start + timedelta(days=60)
    process.vote_close = start + timedelta(days=90)
    process.results_published = start + timedelta(days=100)
    process.implementation_start = start + timedelta(days=200)
    dates = [
        "ideas_open",
        "review_open",
        "vote_open",
        "vote_close",
        "results_published",
        "implementation_start",
    ]
    # Only the dates: the count writes the frozen ballots' hash on the same row.
    process.save(update_fields=dates if process.pk else None)
    assert process.phase() == phase


class Command(DemoCommand):
    """Refuses to run with DEBUG off unless given ``--allow-production`` (its accounts share a
    published password)."""

    help = "Create the demo participatory budget (idempotent); refuses a production site."

    def add_arguments(self, parser):
        parser.add_argument("--voters", type=int, default=TURNOUT)
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, voters, seed, **options):  # options: allow_production
        if Process.objects.filter(slug=SLUG).exists():
            self.stdout.write("Demo budget already present.")
            return
        with transaction.atomic():
            process = self._build(random.Random(seed), voters)
            self._build_next_edition(random.Random(seed + 1))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo budget “{process.title}”: {process.projects.count()} projects, "
                f"{process.ballots.count()} ballots."
            )
        )

    def _build(self, rng, voters):
        reviewer = _user("budget.reviewer", "Hugo", "Instructeur", "Budget reviewers")
        residents = [_user(f"habitant{n}", "Habitant", str(n)) for n in range(1, 6)]
        process = Process(
            title="Budget participatif 2025",
            slug=SLUG,
            description="Un million d'euros pour des projets proposés et choisis par les "
            "habitants.",
            total_budget_cents=1_000_000 * EURO,
            minimum_age=11,
            age_reference_date=date(2025, 9, 1),
            tie_break_seed="Tirage public du 1er octobre 2025, salle du conseil",
        )
        _move_to(process, phases.IDEAS)
        citywide = Zone.objects.create(
            process=process,
            name="Toute la ville",
            kind=Zone.CITYWIDE,
            budget_cents=400_000 * EURO,
            population=CITY_POPULATION,
            ballot_rule=ballot_rules.APPROVAL_BUDGET,
        )
        districts = [
            Zone.objects.create(
                process=process,
                name=name,
                budget_cents=120_000 * EURO,
                population=population,
                ballot_rule=ballot_rules.APPROVAL_COUNT
                if index == 4
                else ballot_rules.APPROVAL_BUDGET,
                min_choices=1,
                max_choices=2 if index == 4 else None,
            )
            for index, (name, population) in enumerate(DISTRICTS)
        ]
        places = [
            PollingPlace.objects.create(process=process, name=f"Mairie annexe {zone.name}")
            for zone in districts[:2]
        ]
        assign_polling_place(_user("agent.bureau1", "Inès", "Assesseure"), places[0])
        assign_polling_place(_user("agent.bureau2", "Yann", "Assesseur"), places[0])
        assign_polling_place(_user("agent.bureau3", "Zoé", "Assesseure"), places[1])

        # Ideas
        plan = [  # (project, popularity)
            (self._idea(rng, residents, process, zone, title, location, cost), popularity)
            for zone, ideas in [(citywide, CITYWIDE_PROJECTS)]
            + [(district, DISTRICT_IDEAS) for district in districts]
            for title, location, cost, popularity in ideas
        ]
        early = {}
        for title, _status, _reason in EARLY_STATUSES:
            early[title] = self._idea(rng, residents, process, districts[0], title, "", 50_000)

        # Moderation and feasibility review
        _move_to(process, phases.REVIEW)
        for project, _popularity in plan:
            workflow.moderate(reviewer, project, True)
            reviewed = project.estimated_cost_cents + rng.choice((-1, 0, 1)) * 2_000 * EURO
            workflow.review(reviewer, project, True, reviewed)
            workflow.put_on_ballot(reviewer, project)
        kept_garden = next(p for p, _pop in plan if p.zone == districts[0] and "Jardins" in p.title)
        for title, status, reason in EARLY_STATUSES:
            project = early[title]
            if status == "submitted":
                continue
            if status == "refused":
                workflow.moderate(reviewer, project, False, reason)
                continue
            workflow.moderate(reviewer, project, True)
            if status == "unfeasible":
                workflow.review(reviewer, project, False, reason=reason)
            elif status == "merged":
                workflow.merge(reviewer, project, kept_garden, reason)
            elif status == "feasible":
                workflow.review(reviewer, project, True, 48_000 * EURO)
        workflow.post_message(reviewer, early["Skatepark"], "Pouvez-vous préciser l'emplacement ?")
        workflow.post_message(
            early["Skatepark"].proposer, early["Skatepark"], "Près du stade de l'Ill."
        )

        # Vote
        _move_to(process, phases.VOTE)
        self._ballots(rng, process, citywide, districts, plan, places, voters)

        # The count (normally the scheduled task), then implementation
        _move_to(process, phases.RESULTS)
        results.count_process(process, actor=reviewer)
        _move_to(process, phases.IMPLEMENTATION)
        for project in Project.objects.filter(process=process, status=Project.SELECTED)[:4]:
            first = workflow.add_milestone(
                reviewer, project, "Études et concertation", date(2025, 11, 15)
            )
            workflow.add_milestone(reviewer, project, "Travaux", date(2026, 4, 1))
            workflow.complete_milestone(reviewer, first, date(2025, 11, 20))
            workflow.set_progress(reviewer, project, rng.choice((25, 40, 60)))
        self._page(process)
        return process

    def _build_next_edition(self, rng):
        """The following edition, vote open, with its projects on the ballot and no ballot."""
        reviewer = _user("budget.reviewer", "Hugo", "Instructeur", "Budget reviewers")
        residents = [_user(f"habitant{n}", "Habitant", str(n)) for n in range(1, 6)]
        process = Process(
            title="Budget participatif 2026",
            slug=NEXT_SLUG,
            description="La deuxième édition : votez pour vos projets préférés.",
            total_budget_cents=1_000_000 * EURO,
            minimum_age=11,
            age_reference_date=date(2026, 9, 1),
        )
        _move_to(process, phases.IDEAS)
        citywide = Zone.objects.create(
            process=process,
            name="Toute la ville",
            kind=Zone.CITYWIDE,
            budget_cents=400_000 * EURO,
            population=CITY_POPULATION,
        )
        districts = [
            Zone.objects.create(
                process=process, name=name, budget_cents=120_000 * EURO, population=population
            )
            for name, population in DISTRICTS
        ]
        projects = [
            self._idea(rng, residents, process, citywide, title, location, cost)
            for title, location, cost, _popularity in CITYWIDE_PROJECTS[:3]
        ] + [
            self._idea(rng, residents, process, zone, title, location, cost)
            for zone in districts
            for title, location, cost, _popularity in DISTRICT_IDEAS[:3]
        ]
        _move_to(process, phases.REVIEW)
        for project in projects:
            workflow.moderate(reviewer, project, True)
            workflow.review(reviewer, project, True, project.estimated_cost_cents)
            workflow.put_on_ballot(reviewer, project)
        _move_to(process, phases.VOTE)
        place = PollingPlace.objects.create(process=process, name="Hôtel de ville")
        assign_polling_place(_user("agent.bureau1", "Inès", "Assesseure"), place)
        assign_polling_place(_user("agent.bureau2", "Yann", "Assesseur"), place)
        self._page(process)
        return process

    def _idea(self, rng, residents, process, zone, title, location, cost):
        return workflow.submit_idea(
            rng.choice(residents),
            process,
            zone,
            title,
            f"{title} : une proposition d'habitants pour {zone.name}.",
            cost * EURO,
            location,
        )

    def _ballots(self, rng, process, citywide, districts, plan, places, voters):
        on_ballot = {zone.pk: [] for zone in [citywide, *districts]}
        for project, popularity in plan:
            project.refresh_from_db()
            on_ballot[project.zone_id].append((project, popularity))
        populations = [zone.population for zone in districts]
        registrations, ballots, choice_sets = [], [], []
        for number in range(voters):
            zone = rng.choices(districts, weights=populations)[0]
            birth = date(rng.randint(1940, 2013), rng.randint(1, 12), rng.randint(1, 28))
            age = age_on(birth, process.age_reference_date)
            if age < process.minimum_age:
                birth = birth.replace(year=birth.year - 10)
                age = age_on(birth, process.age_reference_date)
            paper = rng.random() < PAPER_SHARE and zone in (districts[0], districts[1])
            identity_key = identity.identity_key(process.pk, f"demo|voter {number}|{birth}")
            method = VoterRegistration.PAPER if paper else VoterRegistration.ONLINE
            registrations.append(
                VoterRegistration(
                    process=process,
                    identity_key=identity_key,
                    account_key=None
                    if paper
                    else identity.account_key(process.pk, f"demo-{number}"),
                    method=method,
                )
            )
            ballots.append(
                Ballot(
                    process=process,
                    receipt_key=identity.receipt_key(process.pk, identity_key),
                    zone=zone,
                    age_bucket=age_bucket(age, app_settings.AGE_BUCKETS),
                    method=method,
                    polling_place=places[districts.index(zone)] if paper else None,
                )
            )
            choice_sets.append(
                self._choose(rng, citywide, on_ballot[citywide.pk])
                | self._choose(rng, zone, on_ballot[zone.pk])
            )
        VoterRegistration.objects.bulk_create(registrations, batch_size=1000)
        created = Ballot.objects.bulk_create(ballots, batch_size=1000)
        if created[0].pk is None:  # backends that do not return keys from bulk inserts
            created = list(Ballot.objects.filter(process=process).order_by("pk"))
        BallotChoice.objects.bulk_create(
            (
                BallotChoice(ballot=ballot, project_id=project_id, points=1)
                for ballot, chosen in zip(created, choice_sets, strict=True)
                for project_id in chosen
            ),
            batch_size=2000,
        )

    def _choose(self, rng, zone, projects):
        """A voter's approval within the zone's rule, most liked projects first."""
        ranked = sorted(projects, key=lambda item: -item[1] * rng.random())
        chosen, cost = set(), 0
        limit = zone.max_choices or len(ranked)
        for project, _popularity in ranked:
            if len(chosen) >= limit or rng.random() < 0.25:
                continue
            if (
                zone.ballot_rule == ballot_rules.APPROVAL_BUDGET
                and cost + project.cost_cents > zone.budget_cents
            ):
                continue
            chosen.add(project.pk)
            cost += project.cost_cents
        return chosen or {ranked[0][0].pk}

    def _page(self, process):
        from wagtail.models import Site

        from civic_budget.models import BudgetPage

        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None or BudgetPage.objects.filter(process=process).exists():
            return
        site.root_page.add_child(
            instance=BudgetPage(
                title=process.title,
                slug=process.slug,
                process=process,
                intro="<p>Proposez, votez, suivez la réalisation des projets.</p>",
            )
        )
