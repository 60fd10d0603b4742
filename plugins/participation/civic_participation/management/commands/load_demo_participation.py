"""Mulhouse-like councils, services, requests and offers in every state (idempotent).

Items are built through the real workflow with past dates, so their timelines, due dates and
permissions are exactly what the product would have produced.

The demo accounts share a published password: the command refuses to run with ``DEBUG`` off
unless given ``--allow-production`` (``civic_core.demo.DemoCommand``).
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from civic_core.demo import DemoCommand
from civic_participation import reminders, services
from civic_participation.models import (
    CityService,
    Council,
    CouncilMembership,
    Offer,
    Request,
    ServiceMembership,
    Theme,
)
from civic_participation.workflow import SYSTEM, perform

DEMO_PASSWORD = "civic-demo"
DEMO_DOMAIN = "demo.invalid"

COUNCILS = (
    ("Bourtzwiller", "Bourtzwiller, Drouot nord"),
    ("Coteaux", "Coteaux, Haut-Poirier"),
    ("Doller", "Doller, Brustlein"),
    ("Drouot-Barbanègre", "Drouot, Barbanègre"),
    ("Europe-Bassin-Nordfeld", "Europe, Bassin, Nordfeld"),
    ("Fonderie", "Fonderie, Cité"),
    ("Franklin-Fridolin", "Franklin, Fridolin"),
    ("Rebberg", "Rebberg"),
    ("Vauban-Neppert-Wolf", "Vauban, Neppert, Wolf, Wagner"),
)
SERVICES = (
    ("Voirie", "voirie@demo.invalid, 03 89 32 58 00 (8h30-12h)"),
    ("Espaces verts", "espaces-verts@demo.invalid"),
    ("Propreté urbaine", "proprete@demo.invalid, appli « Mulhouse propre »"),
    ("Éclairage public", "eclairage@demo.invalid"),
    ("Sport", "sport@demo.invalid"),
    ("Culture", "culture@demo.invalid"),
)
THEMES = ("Mobilité", "Cadre de vie", "Nature en ville", "Sécurité", "Sport", "Culture", "Propreté")

# title, council, service, theme, path of transitions (name, actor role, data)
REQUESTS = (
    ("Un passage piéton devant l'école Jean-Zay", "Bourtzwiller", "Voirie", "Mobilité", "closed"),
    ("Des bancs place de la Paix", "Bourtzwiller", "Espaces verts", "Cadre de vie", "in_progress"),
    ("Éclairer l'allée du parc Salvator", "Rebberg", "Éclairage public", "Sécurité", "done"),
    ("Un terrain multisport rue de Bâle", "Fonderie", "Sport", "Sport", "answered_declined"),
    (
        "Des poubelles de tri au square Steinbach",
        "Doller",
        "Propreté urbaine",
        "Propreté",
        "in_review",
    ),
    ("Ralentir la circulation rue de Verdun", "Coteaux", "Voirie", "Mobilité", "awaiting_council"),
    (
        "Planter des arbres rue Franklin",
        "Franklin-Fridolin",
        "Espaces verts",
        "Nature en ville",
        "acknowledged",
    ),
    (
        "Une fête de quartier au Nordfeld",
        "Europe-Bassin-Nordfeld",
        "Culture",
        "Culture",
        "submitted",
    ),
    ("Réparer les trottoirs rue de Dornach", "Bourtzwiller", None, "Mobilité", "submitted_late"),
    ("Une boîte à livres à Wolf", "Vauban-Neppert-Wolf", "Culture", "Culture", "withdrawn"),
    ("Un marché nocturne permanent", "Drouot-Barbanègre", None, "Culture", "inadmissible"),
    (
        "Des toilettes publiques au Bassin",
        "Europe-Bassin-Nordfeld",
        "Propreté urbaine",
        "Propreté",
        "redirected",
    ),
    ("Fleurir les ronds-points du Rebberg", "Rebberg", "Espaces verts", "Nature en ville", "draft"),
)

OFFERS = (
    ("Concertation sur le réaménagement de la place Franklin", "Voirie", "Mobilité", "open"),
    (
        "Choisir les essences du futur parc des Collines",
        "Espaces verts",
        "Nature en ville",
        "feedback",
    ),
    ("Programmation du festival d'été des quartiers", "Culture", "Culture", "closed"),
    ("Nouvelles horaires des gymnases", "Sport", "Sport", "cancelled"),
)


class Command(DemoCommand):
    help = "Create demo councils, services, requests and offers of the participation plugin."

    def handle(self, *args, **options):
        with transaction.atomic():
            themes = {
                name: Theme.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
                for name in THEMES
            }
            councils = {
                name: Council.objects.get_or_create(
                    slug=slugify(name),
                    defaults={
                        "name": f"Conseil participatif {name}",
                        "territory": territory,
                        "description": f"Le conseil participatif des quartiers {territory}.",
                        "contact_email": f"cp-{slugify(name)}@{DEMO_DOMAIN}",
                    },
                )[0]
                for name, territory in COUNCILS
            }
            city_services = {
                name: CityService.objects.get_or_create(
                    slug=slugify(name),
                    defaults={
                        "name": name,
                        "contact_channel": channel,
                        "contact_email": channel.split(",")[0],
                    },
                )[0]
                for name, channel in SERVICES
            }
            people = self.people(councils, city_services)
            if Request.objects.exists() or Offer.objects.exists():
                self.stdout.write("Participation demo items already present.")
            else:
                self.requests(councils, city_services, themes, people)
                self.offers(councils, city_services, themes, people)
                # What the sweep would have recorded by now: overdue items show their
                # reminders and escalations in the member space; the cluster e-mails them.
                now = timezone.now()
                reminders.record_due(now)
                reminders.fan_out(now)
            self.index_page()
        self.stdout.write(self.style.SUCCESS("Participation demo ready."))

    def account(self, username, first_name, last_name, groups):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@{DEMO_DOMAIN}",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(*Group.objects.filter(name__in=groups))
        return user

    def people(self, councils, city_services):
        users = get_user_model().objects
        people = {}
        for username in (
            "council.member",
            "council.referent",
            "agent",
            "manager",
            "coordinator",
            "elected",
        ):
            people[username] = users.filter(username=username).first()
        people["council.member"] = people["council.member"] or self.account(
            "council.member", "Karim", "Membre", ["Council members"]
        )
        people["council.referent"] = people["council.referent"] or self.account(
            "council.referent", "Nadia", "Référente", ["Council members", "Council référents"]
        )
        people["agent"] = people["agent"] or self.account("agent", "Paul", "Agent", ["City agents"])
        people["manager"] = people["manager"] or self.account(
            "manager", "Sophie", "Cheffe", ["City agents", "Service managers"]
        )
        people["coordinator"] = people["coordinator"] or self.account(
            "coordinator", "Claire", "Coordinatrice", ["Coordinators"]
        )
        people["elected"] = people["elected"] or self.account(
            "elected", "Marc", "Élu", ["Elected officials"]
        )
        bourtzwiller = councils["Bourtzwiller"]
        CouncilMembership.objects.get_or_create(
            council=bourtzwiller, user=people["council.member"], defaults={"listed_publicly": True}
        )
        CouncilMembership.objects.get_or_create(
            council=bourtzwiller,
            user=people["council.referent"],
            defaults={"role": CouncilMembership.Role.REFERENT, "listed_publicly": True},
        )
        ServiceMembership.objects.get_or_create(
            service=city_services["Voirie"], user=people["agent"]
        )
        ServiceMembership.objects.get_or_create(
            service=city_services["Voirie"],
            user=people["manager"],
            defaults={"role": ServiceMembership.Role.MANAGER},
        )
        # One référent per other council and one agent per other service, so every item has a voice.
        for name, council in councils.items():
            if name == "Bourtzwiller":
                continue
            user = self.account(
                f"referent.{council.slug}",
                "Référent",
                name,
                ["Council members", "Council référents"],
            )
            CouncilMembership.objects.get_or_create(
                council=council, user=user, defaults={"role": CouncilMembership.Role.REFERENT}
            )
            people[f"referent:{name}"] = user
        people["referent:Bourtzwiller"] = people["council.referent"]
        for name, service in city_services.items():
            if name == "Voirie":
                people["agent:Voirie"] = people["agent"]
                continue
            user = self.account(f"agent.{service.slug}", "Agent", name, ["City agents"])
            ServiceMembership.objects.get_or_create(service=service, user=user)
            people[f"agent:{name}"] = user
        return people

    def requests(self, councils, city_services, themes, people):
        now = timezone.now()
        coordinator = people["coordinator"]
        for index, (title, council_name, service_name, theme, target) in enumerate(REQUESTS):
            start = now - timedelta(days=80 - index * 3)
            council = councils[council_name]
            referent = people[f"referent:{council_name}"]
            service = city_services.get(service_name)
            agent = people.get(f"agent:{service_name}")
            item = services.create_request(
                referent,
                council,
                title,
                f"Le {council.name} demande : {title.lower()}. "
                "Les habitants l'ont proposé lors de la dernière séance plénière.",
                theme=themes[theme],
                now=start,
            )
            if target == "draft":
                continue
            clock = [start]

            def step(name, actor, data=None, days=2, _clock=clock, _item=item):
                _clock[0] += timedelta(days=days)
                at = datetime.combine(
                    timezone.localdate(_clock[0]),
                    time(10, 30),
                    tzinfo=timezone.get_current_timezone(),
                )
                return perform(_item, name, actor, data or {}, now=min(at, now))

            if target == "submitted_late":
                clock[0] = now - timedelta(days=20)
            step("submit", referent)
            if target in ("submitted", "submitted_late"):
                continue
            if target == "withdrawn":
                step(
                    "withdraw",
                    referent,
                    {"message": "La bibliothèque municipale installe déjà une boîte à livres."},
                )
                continue
            if target == "inadmissible":
                step(
                    "declare_inadmissible",
                    coordinator,
                    {
                        "message": "Les marchés relèvent d'une délégation de service public "
                        "en cours."
                    },
                )
                continue
            step("acknowledge", coordinator, {"service": service.pk})
            if target == "acknowledged":
                continue
            step("start_review", agent)
            if target == "awaiting_council":
                step(
                    "request_info",
                    agent,
                    {"message": "Sur quelle portion de la rue la vitesse vous inquiète-t-elle ?"},
                )
                continue
            if target == "in_review":
                services.add_note(
                    agent, item, "Budget propreté 2026 : reste 4 200 € sur la ligne mobilier."
                )
                continue
            if target == "answered_declined":
                step(
                    "answer",
                    agent,
                    {
                        "outcome": "declined",
                        "message": "Le terrain est classé en zone inondable : "
                        "pas de construction possible.",
                    },
                )
                continue
            if target == "redirected":
                step(
                    "answer",
                    agent,
                    {
                        "outcome": "redirected",
                        "message": "Les sanitaires du Bassin relèvent de m2A.",
                        "competent_body": "Mulhouse Alsace Agglomération",
                    },
                )
                step("acknowledge_answer", referent)
                continue
            step(
                "answer",
                agent,
                {
                    "outcome": "accepted",
                    "message": "Accepté : les travaux sont programmés au printemps.",
                },
            )
            services.post_message(
                referent, item, "Merci ! Pouvons-nous être associés au choix de l'emplacement ?"
            )
            services.post_message(
                agent, item, "Bien sûr, une visite sur place est proposée le mardi 14 à 17 h."
            )
            step("start_work", agent)
            if target == "in_progress":
                continue
            step("mark_done", agent, {"message": "Travaux terminés et réceptionnés."}, days=15)
            if target == "done":
                continue
            step("confirm", referent)

    def offers(self, councils, city_services, themes, people):
        now = timezone.now()
        for index, (title, service_name, theme, target) in enumerate(OFFERS):
            agent = people[f"agent:{service_name}"]
            service = city_services[service_name]
            published = now - timedelta(
                days=10 if target in ("open", "cancelled") else 60 + index * 5
            )
            offer = services.create_offer(
                agent,
                service,
                title,
                f"{service_name} associe les conseils : {title.lower()}.",
                theme=themes[theme],
                now=published - timedelta(days=3),
            )
            chosen = list(councils.values())[index : index + 3]
            perform(
                offer,
                "publish",
                agent,
                {
                    "councils": [council.pk for council in chosen],
                    "respond_by": (published + timedelta(days=25)).date(),
                },
                now=published,
            )
            if target == "cancelled":
                perform(
                    offer,
                    "cancel",
                    agent,
                    {"message": "Le projet de nouveaux horaires est reporté."},
                    now=published + timedelta(days=2),
                )
                continue
            invitations = list(offer.invitations.select_related("council"))
            answers = (
                ("accepted", ""),
                ("declined", "Notre conseil ne se réunit pas avant l'échéance."),
                ("counter_proposal", "Nous proposons plutôt une balade urbaine un samedi."),
            )
            for day, (invitation, (response, message)) in enumerate(
                zip(invitations, answers, strict=False)
            ):
                referent = people[
                    f"referent:{invitation.council.name.removeprefix('Conseil participatif ')}"
                ]
                if target in ("open", "closed") and day == 2:
                    continue
                at = published + timedelta(days=3 + day)
                perform(invitation, "acknowledge", referent, now=at)
                perform(
                    invitation,
                    "respond",
                    referent,
                    {"response": response, "message": message},
                    now=at + timedelta(days=1),
                )
            if target == "open":
                continue
            if target == "feedback":
                perform(
                    invitations[2],
                    "decide",
                    agent,
                    {
                        "decision": "accepted",
                        "message": "Bonne idée : la balade aura lieu le samedi 12.",
                    },
                    now=published + timedelta(days=8),
                )
            perform(offer, "close_responses", SYSTEM, now=published + timedelta(days=27))
            if target == "feedback":
                perform(
                    offer,
                    "publish_feedback",
                    agent,
                    {
                        "message": "Trois essences retenues sur proposition des conseils : "
                        "tilleul, charme, érable champêtre."
                    },
                    now=published + timedelta(days=40),
                )

    def index_page(self):
        from wagtail.models import Site

        from civic_participation.models import ParticipationIndexPage

        site = Site.objects.filter(is_default_site=True).first()
        if site is None or ParticipationIndexPage.objects.exists():
            return
        site.root_page.add_child(
            instance=ParticipationIndexPage(
                title="Demandes et offres de participation",
                slug="demandes-et-offres",
                show_in_menus=True,
                intro="<p>Les demandes des conseils participatifs et les offres de la Ville, "
                "étape par étape.</p>",
            )
        )
