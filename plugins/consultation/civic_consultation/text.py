"""French text normalisation and similar-proposal matching (pure: no Django).

A proposal becomes a bag of stems: lower case, elisions removed ("l'accès" -> "accès"), stop
words dropped, Snowball French stemming, then accents stripped so that "réalisé" and "realise"
meet. Similarity is rapidfuzz's token-set ratio over the sorted stems, which rewards a shared
core of words whatever the surrounding phrasing.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz, process

ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Function words and the consultation's own framing ("il faut"), which every proposal shares.
STOP_WORDS = frozenset(
    """
    a afin ai aie au aux avec avoir ce ces cet cette chaque comme dans de des du elle en et
    etre être faire faut il ils je la le les leur leurs lui mais me meme même mes moi mon ne
    nos notre nous on ou où par pas plus pour qu que qui sa se ses si son sont sur ta te tes
    toi ton tous tout toute toutes tu un une vos votre vous y ete été est sont plus moins tres
    très bien
    """.split()
)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("french")


def strip_accents(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stems(text):
    """The meaningful stems of a French text, in order of appearance."""
    text = ELISION.sub(" ", text.lower().replace("œ", "oe").replace("æ", "ae"))
    words = [word for word in WORD.findall(text) if word not in STOP_WORDS and len(word) > 1]
    return [strip_accents(stem) for stem in _stemmer().stemWords(words)]


def signature(text):
    """A canonical string of the text's stems, stored next to each proposal for matching."""
    return " ".join(sorted(set(stems(text))))


@dataclass(frozen=True)
class Match:
    key: object
    score: float  # 0-100


def similar(text, candidates, *, limit=5, threshold=60.0):
    """The candidates closest to ``text``.

    ``candidates`` maps any key (a proposal id) to a signature made by :func:`signature`.
    """
    query = signature(text)
    if not query or not candidates:
        return []
    found = process.extract(
        query, candidates, scorer=fuzz.token_set_ratio, limit=limit, score_cutoff=threshold
    )
    return [Match(key=key, score=round(score, 1)) for _choice, score, key in found]
