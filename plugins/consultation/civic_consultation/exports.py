"""The open-data export of a consultation's votes: what it shows of a vote, and what it hides.

A vote is exported with a pseudonym of its participant (a keyed hash, stable within one
consultation's export and different in another's), its day instead of its time, and nothing of
the participant's profile or address range.
"""

from django.utils.crypto import salted_hmac

from civic_consultation.models import Vote

COLUMNS = ("participant", "proposal", "value", "qualifications", "trusted", "date")
CHUNK = 5000


def pseudonym(consultation_id, participant_id):
    """The name a participant goes by in this consultation's export."""
    secret = f"civic_consultation.export.{consultation_id}"
    return salted_hmac(secret, str(participant_id)).hexdigest()[:16]


def anonymised_votes(consultation):
    """Every vote of ``consultation`` as a dict of ``COLUMNS``, streamed in id order."""
    votes = (
        Vote.objects.filter(proposal__consultation=consultation)
        .order_by("pk")
        .values_list(
            "participant_id", "proposal_id", "value", "qualifications", "trusted", "created_at"
        )
    )
    for participant_id, proposal_id, value, qualifications, trusted, created in votes.iterator(
        chunk_size=CHUNK
    ):
        yield {
            "participant": pseudonym(consultation.pk, participant_id),
            "proposal": proposal_id,
            "value": value,
            "qualifications": qualifications,
            "trusted": trusted,
            "date": created.date().isoformat(),
        }


def table_rows(votes):
    """The header, then each of ``votes`` (``anonymised_votes``) as a row of flat cells."""
    yield COLUMNS
    for vote in votes:
        yield [
            vote["participant"],
            vote["proposal"],
            vote["value"],
            " ".join(vote["qualifications"]),
            int(vote["trusted"]),
            vote["date"],
        ]
