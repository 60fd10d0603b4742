# A resident joins the consultation, proposes an idea, draws cards and votes; the results page
# shows the votes.
import hashlib
import itertools
from datetime import timedelta

from django.utils import timezone
from journey_helpers import add_page, client, expect, visit

from civic_consultation.models import (
    Consultation,
    ConsultationPage,
    Participant,
    Proposal,
    Theme,
)

STYLESHEET = "civic_consultation/consultation.css"
now = timezone.now()
consultation = Consultation.objects.create(
    title="Vivre mieux",
    slug="vivre-mieux",
    question="How can we improve life in our town?",
    status=Consultation.Status.OPEN,
    opens_at=now - timedelta(days=1),
    closes_at=now + timedelta(days=30),
    vote_target=1000,
)
theme = Theme.objects.create(consultation=consultation, name="Parks", slug="parks")
# Ideas already accepted by the moderators, from other residents.
for number in range(12):
    Proposal.objects.create(
        consultation=consultation,
        author=Participant.objects.create(consultation=consultation),
        text=f"Open the playground number {number} on Sundays",
        theme=theme,
        status=Proposal.Status.ACCEPTED,
    )
page = add_page(
    ConsultationPage(title="Vivre mieux", slug="vivre-mieux", consultation=consultation)
)


def solve(body):
    """Search the nonce as a browser does."""
    for nonce in itertools.count():
        digest = hashlib.sha256(f"{body['salt']}{nonce}".encode()).digest()
        bits = "".join(f"{byte:08b}" for byte in digest)
        if bits.startswith("0" * body["difficulty"]):
            return f"{body['challenge']}.{nonce}"


http = client()
base = f"/api/consultation/consultations/{consultation.pk}"
landing = visit(http, page.url, STYLESHEET)
listed = http.get("/api/consultation/consultations/")
expect(listed.status_code == 200 and "results" in listed.json(), "consultations listed", listed)

joined = http.post(f"{base}/participant/")
expect(joined.status_code == 201, "a resident joins without an account", joined)
token = {"HTTP_X_PARTICIPANT_TOKEN": joined.json()["token"]}

challenge = http.get(f"{base}/challenge/", {"purpose": "propose"}, **token)
expect(challenge.status_code == 200, "a proof-of-work challenge is issued", challenge)
proposed = http.post(
    "/api/consultation/proposals/",
    {"consultation": consultation.pk, "text": "Plant trees along the canal", "theme": theme.pk},
    content_type="application/json",
    HTTP_X_PROOF_OF_WORK=solve(challenge.json()),
    **token,
)
expect(proposed.status_code == 201, "a proposal is submitted", proposed)
expect(proposed.json()["status"] == "pending", "a new proposal waits for moderation", proposed)

challenge = http.get(f"{base}/challenge/", {"purpose": "sequence"}, **token)
cards = http.post(f"{base}/cards/", HTTP_X_PROOF_OF_WORK=solve(challenge.json()), **token)
expect(cards.status_code in (200, 201), "a sequence of cards is drawn", cards)
drawn = cards.json()["cards"]
expect(len(drawn) == 12, "twelve cards", cards)
for card in drawn:
    vote = http.post(
        f"{base}/vote/",
        {"proposal": card["proposal"]["id"], "value": "agree", "key": card["key"]},
        content_type="application/json",
        **token,
    )
    expect(vote.status_code == 200 and vote.json()["trusted"], "a served card's vote", vote)

results = http.get(f"{base}/results/").json()
expect(results["counters"]["votes"] == 12, "the results count the votes")
for route in ("propose", "vote", "results"):
    visit(http, page.url + page.reverse_subpage(route), STYLESHEET)
print("JOURNEY OK")
