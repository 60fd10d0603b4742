"""A person's data across the civic plugins: export (RGPD art. 15 and 20) and erasure (art. 17).

Each plugin registers one provider from its ``AppConfig.ready()``:

- ``export(user)`` returns JSON-serialisable data about that person (what they wrote, what they
  voted where the plugin may show it to them, their memberships);
- ``erase(user)`` deletes or unlinks what identifies them. Counts and published results stay
  exact: votes and ballots are kept, detached from the person.

The core runs every registered provider, so a site gets the whole picture whatever plugins it
installs, and a plugin never needs to know the others. What the site itself holds about the
account (e-mail addresses and linked identity providers of django-allauth, the API token, the
login records of django-axes) is read here from the apps the site installs, by label, so the
core imports none of them.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic_core.errors import CivicError

ACCOUNT_SECTION = "account"
SITE_SECTION = "site"
# django-axes' records name the person by what was typed at login (a username or an e-mail
# address, case-folded by the reference site), not by a foreign key.
AXES_MODELS = ("AccessAttempt", "AccessFailureLog", "AccessLog")
EXPORT_INTERVAL_SECONDS = 60


@dataclass(frozen=True)
class PersonalDataProvider:
    app_label: str
    export: Callable
    erase: Callable


_providers: dict[str, PersonalDataProvider] = {}


def register(app_label, *, export, erase):
    """Register (or replace, on a reload) the provider of one app."""
    _providers[app_label] = PersonalDataProvider(app_label, export, erase)


def providers():
    return [_providers[label] for label in sorted(_providers)]


def account_data(user):
    return {
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


def _installed_model(app_label, model_name):
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _login_names(user):
    """Every name the person may sign in with, as typed and case-folded."""
    names = {user.get_username(), user.email}
    email_address = _installed_model("account", "EmailAddress")
    if email_address is not None:
        names.update(email_address.objects.filter(user=user).values_list("email", flat=True))
    names.discard("")
    return names | {name.casefold() for name in names}


def site_data(user):
    """What the site's own apps hold about the account, for those the site installs."""
    data = {}
    email_address = _installed_model("account", "EmailAddress")
    if email_address is not None:
        data["email_addresses"] = [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in email_address.objects.filter(user=user).order_by("pk")
        ]
    social_account = _installed_model("socialaccount", "SocialAccount")
    if social_account is not None:
        data["identity_providers"] = [
            {
                "provider": row.provider,
                "subject": row.uid,
                "linked": row.date_joined.isoformat(),
                "last_login": row.last_login.isoformat(),
                "claims": row.extra_data,
            }
            for row in social_account.objects.filter(user=user).order_by("pk")
        ]
    token = _installed_model("authtoken", "Token")
    if token is not None:
        # The key is a credential: the export says that one exists, never what it is.
        data["api_tokens"] = [
            {"created": row.created.isoformat()} for row in token.objects.filter(user=user)
        ]
    for model_name in AXES_MODELS:
        model = _installed_model("axes", model_name)
        if model is not None:
            data[f"login_records_{model._meta.model_name}"] = [
                {
                    "time": row.attempt_time.isoformat(),
                    "ip_address": row.ip_address,
                    "user_agent": row.user_agent,
                    "path": row.path_info,
                }
                for row in model.objects.filter(username__in=_login_names(user)).order_by("pk")
            ]
    task = _installed_model("django_q", "Task")
    if task is not None:
        data["background_tasks"] = [
            {"task": row.func, "started": row.started.isoformat(), "success": row.success}
            for row in _tasks_mentioning(task, user)
        ]
    return data


def _tasks_mentioning(task_model, user):
    """Stored django-q2 task records whose arguments hold one of the person's e-mail addresses
    (a plugin queues an e-mail with its recipients). The cluster keeps the last ``save_limit``
    successes and every failure, so the scan is bounded; arguments are pickled, hence read here
    rather than filtered in SQL."""
    addresses = {name for name in _login_names(user) if "@" in name}
    if not addresses:
        return []
    return [
        row
        for row in task_model.objects.only("id", "func", "started", "success", "args", "kwargs")
        if any(address in repr((row.args, row.kwargs)).casefold() for address in addresses)
    ]


def erase_site_data(user):
    """Delete what the account's deletion would not cascade to: records keyed by a sign-in
    name, and stored background tasks that carry an e-mail address of the person."""
    for model_name in AXES_MODELS:
        model = _installed_model("axes", model_name)
        if model is not None:
            model.objects.filter(username__in=_login_names(user)).delete()
    task = _installed_model("django_q", "Task")
    if task is not None:
        task.objects.filter(pk__in=[row.pk for row in _tasks_mentioning(task, user)]).delete()


def export_personal_data(user):
    """Everything the site and the plugins hold about ``user``, keyed by app label."""
    data = {ACCOUNT_SECTION: account_data(user), SITE_SECTION: site_data(user)}
    for provider in providers():
        data[provider.app_label] = provider.export(user)
    return data


def summarise(data):
    """Per section of an export, how many records each kind holds: what "Mes données" shows.

    Returns ``[(section title, [(kind, count)])]``: a list counts its items, a number is a count
    already, a yes/no stays one, anything else counts as one record when it holds something.
    """
    summary = []
    for label, section in data.items():
        if label == ACCOUNT_SECTION:
            continue
        if label == SITE_SECTION:
            title = _("Account on this site")
        else:
            title = str(apps.get_app_config(label).verbose_name)
        kinds = section.items() if isinstance(section, dict) else [(label, section)]
        rows = [(kind.replace("_", " ").capitalize(), _count(value)) for kind, value in kinds]
        summary.append((title, rows))
    return summary


def _count(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return value  # a provider that exports a count
    if isinstance(value, list | tuple):
        return len(value)
    return 1 if value else 0


def check_self_erasure(user):
    """Refuse a superuser erasing their own account, which could lock a city out of its site.

    They ask another administrator, who deletes the account in the member space.
    """
    if user.is_superuser:
        raise CivicError(
            _(
                "An administrator's account cannot be deleted from this page: ask another "
                "administrator to delete it in the member space."
            ),
            code=CivicError.FORBIDDEN,
        )


def erase_personal_data(user):
    """Detach or delete the person's data in every plugin, then delete the account.

    One transaction: a provider that fails leaves everything as it was.
    """
    with transaction.atomic():
        for provider in providers():
            provider.erase(user)
        erase_site_data(user)
        user.delete()


def claim_export(user):
    """Let ``user`` export once per ``EXPORT_INTERVAL_SECONDS``; refuse sooner with the wait.

    An export reads every plugin's tables: the interval keeps one person from loading the
    database with repeated downloads.
    """
    key = f"civic_core:privacy:export:{user.pk}"
    now = time.time()
    if cache.add(key, now, timeout=EXPORT_INTERVAL_SECONDS):
        return
    last = cache.get(key, now)
    wait = max(1, math.ceil(EXPORT_INTERVAL_SECONDS - (now - last)))
    raise CivicError(
        ngettext(
            "You downloaded your data a moment ago: try again in %(seconds)d second.",
            "You downloaded your data a moment ago: try again in %(seconds)d seconds.",
            wait,
        )
        % {"seconds": wait},
        code=CivicError.RATE_LIMITED,
    )
