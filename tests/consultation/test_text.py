"""French normalisation and similar-proposal matching."""

from civic_consultation import text


def test_stems_drop_elisions_stop_words_and_accents():
    assert text.stems("Il faut améliorer l’accès aux soins") == ["amelior", "acces", "soin"]


def test_plural_and_accent_variants_share_a_signature():
    assert text.signature("des logements sociaux rénovés") == text.signature(
        "Logement social renove"
    )


def test_similar_finds_the_rephrased_proposal_and_ignores_unrelated_ones():
    candidates = {
        1: text.signature("Il faut faciliter l'accès aux soins des familles"),
        2: text.signature("Il faut plus de pistes cyclables"),
        3: text.signature("Il faut des logements moins chers"),
    }
    matches = text.similar("Il faut améliorer l'accès aux soins pour les familles", candidates)
    assert [match.key for match in matches] == [1]
    assert text.similar("Il faut   ", candidates) == []
