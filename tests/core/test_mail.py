"""Notification e-mails: plain text stays plain, HTML is escaped, both come from templates."""

import pytest
from django.core import mail
from django.test import override_settings

from civic_core.mail import render_message, send_message


@pytest.fixture
def templates(tmp_path, settings):
    folder = tmp_path / "templates" / "notes"
    folder.mkdir(parents=True)
    (folder / "reply_subject.txt").write_text("Réponse à {{ title }}\n")
    (folder / "reply.txt").write_text("Bonjour,\n{{ title }} : {{ body }}\n")
    (folder / "plain_subject.txt").write_text("{{ title }}")
    (folder / "plain.txt").write_text("{{ title }}")
    (folder / "reply.html").write_text("<p>{{ title }}</p>")
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [tmp_path / "templates"]
    with override_settings(TEMPLATES=[engine]):
        yield


def test_text_parts_are_not_entity_escaped(templates):
    context = {"title": "L'invitation <du conseil>", "body": "Tom & Léa"}
    subject, text, html = render_message("notes/reply", context)
    assert subject == "Réponse à L'invitation <du conseil>"
    assert text == "Bonjour,\nL'invitation <du conseil> : Tom & Léa\n"
    assert html == "<p>L&#x27;invitation &lt;du conseil&gt;</p>"


def test_a_message_without_html_is_text_only(templates):
    assert render_message("notes/plain", {"title": "x"})[2] is None


def test_send_skips_empty_addresses_and_sends_both_parts(templates):
    sent = send_message("notes/reply", {"title": "A", "body": "B"}, ["a@example.org", "", None])
    assert sent == 1
    (message,) = mail.outbox
    assert message.to == ["a@example.org"]
    assert message.subject == "Réponse à A"
    assert message.alternatives[0][1] == "text/html"
    assert send_message("notes/reply", {"title": "A", "body": "B"}, [""]) == 0
    assert len(mail.outbox) == 1


def test_extra_headers_are_sent(templates):
    send_message("notes/plain", {"title": "x"}, ["a@example.org"], headers={"Message-ID": "<a@b>"})
    assert mail.outbox[0].extra_headers == {"Message-ID": "<a@b>"}
