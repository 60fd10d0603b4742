"""Text normalisation per language and similar-proposal matching."""

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


def test_the_stemming_language_comes_from_a_language_code():
    assert text.snowball_language("fr") == "french"
    assert text.snowball_language("en-gb") == "english"
    assert text.snowball_language("de_DE") == "german"
    assert text.snowball_language("ja") is None


def test_english_proposals_are_stemmed_in_english_with_their_prefix_ignored():
    stems = text.stems("We need to plant more trees in the parks", "english", "We need to")
    assert stems == ["plant", "tree", "park"]
    candidates = {
        1: text.signature("We need to plant trees in parks", "english", "We need to"),
        2: text.signature("We need to build cycle lanes", "english", "We need to"),
    }
    matches = text.similar(
        "Planting more trees in our parks", candidates, language="english", ignore="We need to"
    )
    assert [match.key for match in matches] == [1]


def test_a_language_without_a_stemmer_compares_words():
    assert text.stems("Kouen ar parkoù", None) == ["kouen", "ar", "parkou"]
