"""Notification e-mails of the plugins, all sent the same way.

A message is three templates named from one prefix: ``<prefix>_subject.txt`` (one line),
``<prefix>.txt`` (the text body) and, if it exists, ``<prefix>.html``. Text templates are
rendered without HTML escaping, so a subject never shows ``&#x27;`` for an apostrophe.
"""

from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import get_template


@lru_cache(maxsize=1)
def _text_engine(default):
    """A copy of the site's engine ``default``, finding the same templates, not escaping."""
    return Engine(
        dirs=default.dirs,
        app_dirs=default.app_dirs,
        loaders=None if default.app_dirs else default.loaders,
        string_if_invalid=default.string_if_invalid,
        file_charset=default.file_charset,
        libraries=default.libraries,
        builtins=default.builtins,
        debug=default.debug,
        autoescape=False,
    )


def _render_text(template_name, context):
    engine = _text_engine(Engine.get_default())
    return engine.get_template(template_name).render(Context(context, autoescape=False))


def render_message(prefix, context):
    """Subject, text body and HTML body (or ``None``) of the message ``prefix``."""
    subject = " ".join(_render_text(f"{prefix}_subject.txt", context).split())
    text = _render_text(f"{prefix}.txt", context)
    try:
        html = get_template(f"{prefix}.html").render(context)
    except TemplateDoesNotExist:
        html = None
    return subject, text, html


def send_message(prefix, context, recipients, *, from_email=None, connection=None, headers=None):
    """Render the message ``prefix`` and send it to ``recipients``; returns the number sent.

    ``headers`` are extra e-mail headers (a stable ``Message-ID`` lets a receiving server drop
    a message sent twice).
    """
    recipients = [address for address in recipients if address]
    if not recipients:
        return 0
    subject, text, html = render_message(prefix, context)
    message = EmailMultiAlternatives(
        subject,
        text,
        from_email or settings.DEFAULT_FROM_EMAIL,
        recipients,
        connection=connection,
        headers=headers,
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message.send()
