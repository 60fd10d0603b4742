"""Synthetic French proposals for the demo consultation (our own phrasing, per seed theme)."""

THEMES = (
    ("acces-droits-soins", "L’accès aux droits et aux soins, notamment dématérialisé"),
    (
        "moyens-existence",
        "L’accès aux moyens d’existence (alimentation, logement, santé, pratiques sportives et "
        "culturelles, aisance numérique…)",
    ),
    ("emploi-formation", "L’insertion dans l’emploi, l’accès à la formation"),
    ("logement", "L’accès et le maintien dans le logement, la prévention des expulsions locatives"),
    (
        "familles-jeunes",
        "Le soutien aux familles, aux parents, aux jeunes en difficulté, la prévention de "
        "l’exclusion et de la délinquance",
    ),
    ("seniors-handicap", "Le soutien aux seniors et aux personnes handicapées"),
    ("education-sante", "L’éducation à la santé, la réduction des inégalités sociales de santé"),
)

# Per theme: actions and objects combined into proposals ("Il faut <action> <object>").
PHRASES = {
    "acces-droits-soins": (
        ("ouvrir", "créer", "multiplier", "renforcer"),
        (
            "des permanences d’accès aux droits dans chaque quartier",
            "des points d’aide aux démarches en ligne dans les mairies annexes",
            "des consultations médicales sans rendez-vous le samedi",
            "un guichet unique pour les aides sociales",
            "des médiateurs santé qui accompagnent aux rendez-vous",
            "des centres de santé avec des médecins salariés",
            "un numéro de téléphone gratuit pour les démarches administratives",
            "des bus de dépistage qui passent dans les quartiers",
        ),
    ),
    "moyens-existence": (
        ("développer", "soutenir", "étendre", "financer"),
        (
            "les épiceries solidaires dans tous les quartiers",
            "les jardins partagés au pied des immeubles",
            "des ateliers d’initiation au numérique pour les débutants",
            "l’accès gratuit aux clubs de sport pour les enfants des familles modestes",
            "des tarifs réduits au musée et au théâtre pour les minima sociaux",
            "des prêts d’ordinateurs pour les foyers qui n’en ont pas",
            "les cantines à un euro pour les familles",
            "les distributions de paniers de légumes locaux",
        ),
    ),
    "emploi-formation": (
        ("proposer", "développer", "accompagner", "créer"),
        (
            "des chantiers d’insertion dans l’entretien des espaces verts",
            "des formations aux métiers qui recrutent à Mulhouse",
            "un parrainage des jeunes diplômés par des retraités",
            "des forums de l’emploi dans les quartiers prioritaires",
            "la garde d’enfants pour les parents en formation",
            "des stages pour les collégiens sans réseau",
            "l’apprentissage du français à visée professionnelle",
            "des permis de conduire financés pour les demandeurs d’emploi",
        ),
    ),
    "logement": (
        ("agir sur", "améliorer", "mieux traiter", "s’attaquer à"),
        (
            "les expulsions par une aide rapide aux impayés de loyer",
            "les logements insalubres du centre-ville",
            "les loyers des petites surfaces",
            "les passoires thermiques pour baisser les factures",
            "les locataires dans leurs démarches avec les bailleurs",
            "la colocation entre étudiants et personnes âgées",
            "l’accès au logement des jeunes travailleurs",
            "les copropriétés en difficulté",
        ),
    ),
    "familles-jeunes": (
        ("ouvrir", "multiplier", "soutenir", "animer"),
        (
            "des lieux d’écoute pour les parents débordés",
            "les maisons de quartier le soir et le week-end",
            "des éducateurs de rue dans chaque quartier",
            "des activités gratuites pendant les vacances scolaires",
            "l’aide aux devoirs après l’école",
            "des médiateurs dans les transports le soir",
            "les crèches à horaires décalés",
            "des chantiers éducatifs pour les adolescents",
        ),
    ),
    "seniors-handicap": (
        ("adapter", "développer", "faciliter", "renforcer"),
        (
            "les trottoirs pour les fauteuils roulants et les poussettes",
            "les visites à domicile des personnes âgées isolées",
            "le transport à la demande pour les personnes à mobilité réduite",
            "les logements pour vieillir chez soi",
            "l’accueil de jour pour soulager les aidants",
            "l’accès des personnes handicapées aux emplois de la ville",
            "les activités intergénérationnelles",
            "les bancs et les toilettes publiques dans les rues commerçantes",
        ),
    ),
    "education-sante": (
        ("organiser", "renforcer", "développer", "financer"),
        (
            "des ateliers de cuisine équilibrée à petit prix",
            "la prévention des addictions dans les collèges",
            "le sport sur ordonnance pour les malades chroniques",
            "des bilans de santé gratuits pour les jeunes",
            "la santé mentale avec des psychologues accessibles",
            "l’information sur la vaccination dans les quartiers",
            "des cours d’activité physique dans les parcs",
            "les consultations dentaires pour les enfants",
        ),
    ),
}


def proposal_texts():
    """(theme slug, text) pairs: every action with every object, about 220 proposals."""
    for slug, (actions, objects) in PHRASES.items():
        for obj in objects:
            for action in actions:
                yield slug, f"Il faut {action} {obj}"
