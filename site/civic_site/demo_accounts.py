"""Demo accounts of the reference site: one per role, all with the same printed password.

Plugins' demo commands attach these accounts to their councils, services and consultations by
username; the run command lists every account whose e-mail ends with DEMO_EMAIL_DOMAIN.
"""

from django.conf import settings

DEMO_EMAIL_DOMAIN = "demo.invalid"
DEMO_PASSWORD = getattr(settings, "CIVIC_DEMO_PASSWORD", "civic-demo")

# username, first name, last name, groups (created by the plugins' roles modules), superuser
DEMO_ACCOUNTS = (
    ("admin", "Alice", "Admin", (), True),
    ("editor", "Emma", "Rédaction", ("Communications editors",), False),
    ("council.member", "Karim", "Membre", ("Council members",), False),
    ("council.referent", "Nadia", "Référente", ("Council members", "Council référents"), False),
    ("agent", "Paul", "Agent", ("City agents",), False),
    ("manager", "Sophie", "Cheffe de service", ("City agents", "Service managers"), False),
    ("coordinator", "Claire", "Coordinatrice", ("Coordinators",), False),
    ("elected", "Marc", "Élu", ("Elected officials",), False),
    ("moderator", "Léa", "Modératrice", ("Consultation moderators",), False),
    ("budget.reviewer", "Hugo", "Instructeur", ("Budget reviewers",), False),
)


def ensure_demo_accounts():
    """Create the demo accounts (idempotent); groups of plugins that are not installed are
    skipped."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    for username, first_name, last_name, group_names, is_superuser in DEMO_ACCOUNTS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
                "is_staff": is_superuser,
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(*Group.objects.filter(name__in=group_names))


def demo_accounts():
    """(username, groups) of every demo account, for the run command's welcome text."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        .prefetch_related("groups")
        .order_by("pk")
    )
    return [(user.username, describe_roles(user)) for user in users]


def describe_roles(user):
    if user.is_superuser:
        return "superuser"
    # Plugins keep per-object permission groups named "<plugin>:<object>:<id>..."; they say
    # nothing to a person reading the list of roles.
    roles = ", ".join(group.name for group in user.groups.all() if ":" not in group.name)
    return roles or "resident (no staff role)"
