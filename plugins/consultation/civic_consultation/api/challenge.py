"""API shapes of the proof-of-work check (see civic_consultation/challenge.py)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from civic_consultation import challenge as proof_of_work


class ChallengeSerializer(serializers.Serializer):
    challenge = serializers.CharField(
        source="token", help_text="Signed challenge: send it back, followed by a dot and the nonce."
    )
    salt = serializers.CharField(help_text="SHA-256 the salt followed by the decimal nonce.")
    difficulty = serializers.IntegerField(
        help_text="Leading zero bits the SHA-256 digest must start with."
    )
    purpose = serializers.ChoiceField(choices=proof_of_work.PURPOSES)
    expires_at = serializers.IntegerField(help_text="Unix time after which it is refused.")
    expires_in = serializers.SerializerMethodField(help_text="Seconds it stays valid.")

    def get_expires_in(self, issued) -> int:
        return issued.expires_in()


PURPOSE_PARAMETER = OpenApiParameter(
    "purpose",
    OpenApiTypes.STR,
    enum=list(proof_of_work.PURPOSES),
    required=True,
    description="propose: before submitting a proposal; sequence: before drawing new cards.",
)


def proof_header(purpose):
    """The OpenAPI description of the header that carries the answer for ``purpose``."""
    return OpenApiParameter(
        "X-Proof-Of-Work",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        required=False,
        description=(
            f"Answer to a challenge of purpose '{purpose}' (GET challenge/): the challenge, a "
            "dot, then the decimal nonce whose SHA-256(salt + nonce) starts with `difficulty` "
            "zero bits. Each answer serves once. Required while the site keeps the check on "
            "(the default); refusals answer 400 with the message under the field `proof`."
        ),
    )
