"""Editorial demo content: a Mulhouse-like site built from the facts of the seed press kits.

The texts are our own summaries; facts and figures come from the city's press kits of 2018
("Aux actes, Citoyens !") and 2021 ("Mulhouse solidaire").
"""

import datetime
import io
import zoneinfo

from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from home.models import (
    AgencyPage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    SiteIdentity,
    StandardPage,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

AGENCY_TEXT = (
    "<p>Créée en juin 2015 sous la forme d'une régie personnalisée, l'Agence de la participation "
    "citoyenne accompagne les conseils participatifs de Mulhouse : elle les réunit, les outille et "
    "fait le lien avec les services de la Ville.</p>"
    "<p>Les conseils participatifs couvrent chacun une partie du territoire. Ils travaillent en "
    "commissions thématiques ouvertes à tous les habitants : cadre de vie, projets municipaux "
    "d'aménagement, rencontres entre habitants.</p>"
)
PLATFORM_TEXT = (
    "<p>La plateforme « Aux actes, Citoyens ! » rend visible, étape par étape, la collaboration "
    "entre les conseils participatifs et la Ville. Les conseils adressent des <b>demandes de "
    "participation</b> à la collectivité ; la Ville adresse des <b>offres de participation</b> "
    "aux conseils. Chaque message suit un circuit de prise en compte avec relance automatique.</p>"
    "<p>Un espace public montre à tous les habitants où en est chaque demande ; un espace privé "
    "sert aux membres des conseils et aux agents de la Ville.</p>"
)
NEWS = (
    (
        "lancement-aux-actes-citoyens",
        "Lancement de la plateforme « Aux actes, Citoyens ! »",
        datetime.date(2018, 6, 9),
        "Conseils participatifs, agents et élus ont présenté la plateforme à l'Agence de la "
        "participation citoyenne.",
        "<p>Après plusieurs mois d'expérimentation avec un groupe projet réunissant citoyens, "
        "agents et élus, la plateforme est mise en ligne. Mulhouse mène cette expérimentation "
        "nationale avec Grasse, Vitrolles et Aix-en-Provence.</p>",
    ),
    (
        "mulhouse-solidaire",
        "Mulhouse solidaire : donnez votre avis jusqu'au 12 décembre",
        datetime.date(2021, 10, 15),
        "Comment améliorer vos conditions de vie à Mulhouse ? Proposez vos idées et votez.",
        "<p>La consultation prépare la feuille de route de l'action sociale et de la santé pour "
        "cinq ans : accès aux droits et aux soins, logement, emploi, familles, seniors. Objectif : "
        "100 000 contributions.</p>",
    ),
    (
        "budget-participatif-resultats",
        "Budget participatif : 2 800 votants",
        datetime.date(2018, 1, 20),
        "Avec 2,54 % de la population, Mulhouse se place parmi les villes les plus mobilisées.",
        "<p>Pour comparaison : Rennes 3,25 % en 2016, Paris 3 % en 2015, Montreuil 1,30 % en "
        "2016.</p>",
    ),
)
EVENT_KINDS = (
    "Atelier participatif",
    "Balade urbaine",
    "Café citoyen",
    "Débat public",
    "Projection-débat",
    "Forum des associations",
    "Chantier solidaire",
)
DISTRICTS = (
    "Bourtzwiller",
    "Coteaux",
    "Doller",
    "Drouot-Barbanègre",
    "Europe-Bassin-Nordfeld",
    "Fonderie",
    "Franklin-Fridolin",
)
PRINTEMPS_EVENT_COUNT = 51  # the 51 events held in Mulhouse for the Printemps citoyen


def demo_image(title, colour):
    """A plain coloured picture, so the demo needs no file from the network."""
    from PIL import Image

    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 675), colour).save(buffer, format="PNG")
    return image_model.objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png")
    )


def child(parent, model, slug, **fields):
    """Return the child page with this slug, creating it once (idempotent)."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        # Created live without a revision: the first edit in the admin makes one.
        now = timezone.now()
        page = model(slug=slug, first_published_at=now, last_published_at=now, **fields)
        parent.add_child(instance=page)
    return page


def build_home():
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="Mulhouse c'est vous",
            slug="accueil",
            hero_title="Mulhouse c'est vous : participez à la vie de votre ville",
            intro="Conseils participatifs, consultations, budget participatif : toutes les "
            "façons d'agir pour votre quartier et votre ville.",
            teaser_image=demo_image("Mulhouse", (11, 83, 148)),
        )
        root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        welcome = site.root_page
        site.root_page = home
        site.site_name = "Mulhouse c'est vous"
        site.save()
        # Wagtail's placeholder page has no place in a real site.
        if welcome.specific_class is Page and not welcome.get_children().exists():
            welcome.delete()
    return home


def build_pages(home):
    agency = child(
        home,
        AgencyPage,
        "agence-de-la-participation",
        title="Agence de la participation citoyenne",
        intro="La structure qui porte et accompagne les conseils participatifs.",
        body=[("paragraph", AGENCY_TEXT)],
        address="33a avenue de Colmar\n68100 Mulhouse",
        phone="03 69 77 65 93",
        email="participation@demo.invalid",
        opening_hours="Du lundi au vendredi, 9 h – 12 h et 14 h – 17 h",
        show_in_menus=True,
    )
    child(
        home,
        StandardPage,
        "aux-actes-citoyens",
        title="Aux actes, Citoyens !",
        intro="Demandes et offres de participation entre les conseils et la Ville.",
        body=[
            ("heading", "Deux circuits de prise en compte"),
            ("paragraph", PLATFORM_TEXT),
            ("quote", {"text": "Plus de simplicité et plus de transparence.", "author": ""}),
            (
                "call_to_action",
                {
                    "title": "Contacter l'Agence",
                    "text": "Une question sur les conseils participatifs ?",
                    "page": agency,
                    "url": "",
                    "button_label": "Nous contacter",
                },
            ),
        ],
        show_in_menus=True,
    )
    news_index = child(
        home,
        NewsIndexPage,
        "actualites",
        title="Actualités",
        intro="Les nouvelles de la participation citoyenne à Mulhouse.",
        show_in_menus=True,
    )
    for slug, title, date, intro, body in NEWS:
        child(
            news_index,
            NewsPage,
            slug,
            title=title,
            date=date,
            intro=intro,
            body=[("paragraph", body)],
        )
    events = child(
        home,
        EventIndexPage,
        "agenda",
        title="Agenda",
        intro="Rencontres, ateliers et débats près de chez vous.",
        show_in_menus=True,
    )
    build_printemps_citoyen(events)
    build_upcoming_events(events)
    return home


def build_printemps_citoyen(events):
    """The Printemps citoyen: 51 events between 21 and 29 March."""
    first_day = datetime.date(2026, 3, 21)
    for number in range(PRINTEMPS_EVENT_COUNT):
        day = first_day + datetime.timedelta(days=number % 9)
        hour = 10 + (number % 4) * 3
        kind = EVENT_KINDS[number % len(EVENT_KINDS)]
        district = DISTRICTS[number % len(DISTRICTS)]
        child(
            events,
            EventPage,
            f"printemps-citoyen-{number + 1:02d}",
            title=f"Printemps citoyen : {kind.lower()} à {district}",
            intro=f"{kind} ouvert à tous les habitants, dans le cadre du Printemps citoyen.",
            start=datetime.datetime.combine(day, datetime.time(hour), PARIS),
            end=datetime.datetime.combine(day, datetime.time(hour + 2), PARIS),
            place=f"Maison de quartier {district}",
        )


def build_upcoming_events(events):
    """Events after the demo is loaded, so the home page always has something ahead."""
    today = datetime.date.today()
    for offset, kind, district in (
        (10, "Café citoyen", "Coteaux"),
        (24, "Atelier participatif", "Fonderie"),
    ):
        start = datetime.datetime.combine(
            today + datetime.timedelta(days=offset), datetime.time(18), PARIS
        )
        child(
            events,
            EventPage,
            f"{kind.lower().replace(' ', '-')}-{district.lower()}",
            title=f"{kind} — {district}",
            intro="Venez échanger avec votre conseil participatif.",
            start=start,
            end=start + datetime.timedelta(hours=2),
            place=f"Maison de quartier {district}",
            registration_url="https://example.org/inscription",
        )


def build_site_identity(site):
    identity = SiteIdentity.for_site(site)
    if not identity.tagline:
        identity.tagline = "Mulhouse c'est vous"
        identity.footer_text = "<p>Ville de Mulhouse — Agence de la participation citoyenne</p>"
        identity.contact_email = "participation@demo.invalid"
        identity.contact_phone = "03 69 77 65 93"
        identity.save()


def build_editorial_content():
    home = build_home()
    build_pages(home)
    build_site_identity(Site.objects.get(is_default_site=True))
    return home


# The plugins' landing pages that the reference site lists in its main menu, when installed.
PLUGIN_MENU_PAGE_TYPES = (
    ("civic_consultation", "consultationpage"),
    ("civic_budget", "budgetpage"),
)


def show_plugin_pages_in_menu():
    """Put the pages the plugins' demo commands created into the main menu (idempotent)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    wanted = Q()
    for app_label, model in PLUGIN_MENU_PAGE_TYPES:
        wanted |= Q(app_label=app_label, model=model)
    pages = (
        HomePage.objects.first()
        .get_children()
        .filter(content_type__in=ContentType.objects.filter(wanted), show_in_menus=False)
    )
    for page in pages.specific():
        page.show_in_menus = True
        # Published through a revision, so that an editor opening the page sees the same.
        page.save_revision().publish()
