"""Text normalisation and similar-proposal matching (pure: no Django).

A proposal becomes a bag of stems: lower case, elisions removed in French ("l'accès" ->
"accès"), stop words and the consultation's prefix dropped, Snowball stemming in the
consultation's language, then accents stripped so that "réalisé" and "realise" meet.
Similarity is rapidfuzz's token-set ratio over the sorted stems, which rewards a shared core of
words whatever the surrounding phrasing.

The language is a Snowball algorithm name ("french", "english"...), which the adapter derives
from the consultation's language; ``None`` matches words without stemming. snowballstemmer and
rapidfuzz (the ``consultation`` extra) are imported where they are used, so a site without them
starts and its system check names the extra.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

FRENCH = "french"

# Language codes (ISO 639-1) and the Snowball algorithm that stems them.
SNOWBALL_LANGUAGES = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": FRENCH,
    "ga": "irish",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}

ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def snowball_language(language_code):
    """The Snowball algorithm for a language code ("fr", "en-gb"), or None when there is none."""
    base = (language_code or "").lower().replace("_", "-").split("-")[0]
    return SNOWBALL_LANGUAGES.get(base)


# Function words and the reference consultation's framing ("il faut"), which every proposal
# shares.
FRENCH_STOP_WORDS = frozenset(
    """
    a afin ai aie au aux avec avoir ce ces cet cette chaque comme dans de des du elle en et
    etre être faire faut il ils je la le les leur leurs lui mais me meme même mes moi mon ne
    nos notre nous on ou où par pas plus pour qu que qui sa se ses si son sont sur ta te tes
    toi ton tous tout toute toutes tu un une vos votre vous y ete été est sont plus moins tres
    très bien
    """.split()
)
ENGLISH_STOP_WORDS = frozenset(
    """
    a about all an and any are as at be been but by can could do does each every for from had
    has have he her his how i if in into is it its more most need needs no not of on or our
    should so some such than that the their them there these they this those to too us very
    was we were what when which who will with would you your
    """.split()
)
STOP_WORDS = {FRENCH: FRENCH_STOP_WORDS, "english": ENGLISH_STOP_WORDS}


@lru_cache(maxsize=8)
def _stemmer(language):
    import snowballstemmer

    return snowballstemmer.stemmer(language)


def strip_accents(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stems(text, language=FRENCH, ignore=""):
    """The meaningful stems of ``text`` in ``language`` (a Snowball name, or None for no
    stemming), in order of appearance; the words of ``ignore`` (the proposal prefix) dropped."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    if language == FRENCH:
        text = ELISION.sub(" ", text)
    dropped = STOP_WORDS.get(language, frozenset()) | set(WORD.findall(ignore.lower()))
    words = [word for word in WORD.findall(text) if word not in dropped and len(word) > 1]
    if language is not None:
        words = _stemmer(language).stemWords(words)
    return [strip_accents(stem) for stem in words]


def signature(text, language=FRENCH, ignore=""):
    """A canonical string of the text's stems, stored next to each proposal for matching."""
    return " ".join(sorted(set(stems(text, language, ignore))))


@dataclass(frozen=True)
class Match:
    key: object
    score: float  # 0-100


def similar(text, candidates, *, limit=5, threshold=60.0, language=FRENCH, ignore=""):
    """The candidates closest to ``text``.

    ``candidates`` maps any key (a proposal id) to a signature made by :func:`signature` with
    the same ``language`` and ``ignore``.
    """
    query = signature(text, language, ignore)
    if not query or not candidates:
        return []
    from rapidfuzz import fuzz, process

    found = process.extract(
        query, candidates, scorer=fuzz.token_set_ratio, limit=limit, score_cutoff=threshold
    )
    return [Match(key=key, score=round(score, 1)) for _choice, score, key in found]
