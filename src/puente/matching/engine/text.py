"""Text normalization for the engine: folding, tokens, version hashes, encoder input views."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from puente.matching.engine.numbers import spell_out_numbers

# Bump when anything that changes the vectors changes (views, normalization, model):
# stored embeddings whose version differs must be recomputed.
EMBEDDING_PIPELINE_VERSION = "use-m3/numbers+contractions/whole+plain-or-sentences/1"

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NOT_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
# A sentence ends at . ! ? (or a line break) followed by space; abbreviations may split too.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*")

_ENGLISH_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"\bcan't\b", "cannot"),
        (r"\bwon't\b", "will not"),
        (r"\bshan't\b", "shall not"),
        (r"\blet's\b", "let us"),
        (r"n't\b", " not"),
        (r"'re\b", " are"),
        (r"'m\b", " am"),
        (r"'ll\b", " will"),
        (r"'ve\b", " have"),
        (r"'d\b", " would"),
    )
)


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Medellín Énergie' -> 'medellin energie'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokens(text: str) -> list[str]:
    """Accent-folded word tokens of a text."""
    return _WORD.findall(fold(text))


def text_version_hash(text: str, language: str = "") -> str:
    """A stable 16-hex-digit key of (pipeline version, language, text) for stored embeddings.

    Store it beside each vector: when the text, its language or the embedding pipeline changes,
    the hash changes and the vector must be recomputed.
    """
    payload = f"{EMBEDDING_PIPELINE_VERSION}\x1f{language}\x1f{text}".encode()
    return hashlib.blake2b(payload, digest_size=8).hexdigest()


def expand_english_contractions(text: str) -> str:
    """ "I'm sure we can't" -> "I am sure we cannot" (so negations and subjects are explicit)."""
    for pattern, replacement in _ENGLISH_CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def normalize_for_encoder(text: str, language: str) -> str:
    """The text the encoder sees: numbers spelled out in ``language``; English contractions
    expanded. The stored and displayed text is never changed."""
    text = spell_out_numbers(text or "", language)
    if language == "en":
        text = expand_english_contractions(text)
    return _SPACES.sub(" ", text).strip()


def plain_view(text: str) -> str:
    """The text lower-cased without punctuation (falls back to the text if nothing is left)."""
    plain = _SPACES.sub(" ", _NOT_WORD.sub(" ", text.lower())).strip()
    return plain or text


def encoder_views(text: str, language: str) -> tuple[str, str]:
    """The normalized text and its plain view (lower-case, no punctuation). Averaging both
    makes a short text's vector less sensitive to casing and punctuation, which differ
    between languages (¿...?, ¡...!) and writers."""
    normalized = normalize_for_encoder(text, language)
    return normalized, plain_view(normalized)


def split_sentences(text: str) -> list[str]:
    """The non-empty sentences (or lines) of a text."""
    return [part.strip() for part in _SENTENCE_END.split(text or "") if part and part.strip()]


# Frequent words of each language (accent-folded) that are not words of the other one:
# function words, pronouns, common verbs and adverbs, and the platform's own vocabulary.
# Words both languages write the same way ("a", "me", "no", "he", "son", "come", "solo") are
# left out: they say nothing about the language.
def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "es": _word_set(
        """
        de la que el en y los se del las un por con una su para es al lo como mas o pero sus
        le ha si sin sobre este ya entre cuando todo esta ser dos tambien fue habia era muy
        anos hasta desde nos durante ni contra ese eso ante ellos esto mi otro donde quien
        yo tu usted ella ellas nosotros vosotros les te mis tus os nuestro nuestra mucho mucha
        muchos muchas poco poca aqui alli ahi ahora hoy ayer manana siempre nunca porque
        quiero quieres quiere puedo puedes puede tengo tienes tiene hay estoy estas estan
        estamos soy eres somos estar hacer hace hizo voy vas va vamos ir dijo algo nada
        alguien nadie todos todas cada otra otros otras bien mal gracias favor casa dinero
        trabajo gente dia dias demasiado bastante cosa cualquier hablar habla tiempo sabe se
        creo debe debo deberia aun todavia despues antes luego entonces tambien menos mejor
        buscamos busco necesitamos ofrecemos empresa empresas inversion capital semilla socios
        clientes mercado salud agro energia ciudades
        """
    ),
    "en": _word_set(
        """
        the of and to in is that for it as was with be by on not this are or his from at
        which but have an they you were their one all we can her has there been if more when
        will would who so our i my your yours she him them its us am being had should could
        shall may might must do does did done what how where why here very much too some any
        get got like want know think thing things just only than then about into out up
        yesterday today tomorrow please thank thanks help good new never always still again
        home house money work people year years day days every nothing something someone
        anything everyone father mother friend friends said says tell told talk talks speak
        let make made go going went gone give gave take took see saw look come came
        looking seeking need offer offering company companies investment investor seed
        partners clients market health energy cities
        """
    ),
}
# "don't", "I'm", "Tom's", "we'll": an apostrophe between letters is English.
_ENGLISH_CONTRACTION = re.compile(r"[a-z]['\u2019](?:s|t|m|re|ll|ve|d)\b", re.IGNORECASE)
_SPANISH_LETTERS = re.compile(r"[ñáéíóúü¿¡]", re.IGNORECASE)
# Word endings frequent in one language and rare in the other (weak evidence: one point).
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "es": (
        "cion",
        "ciones",
        "mente",
        "ando",
        "iendo",
        "amos",
        "emos",
        "imos",
        "aste",
        "iste",
        "ado",
        "ada",
        "ados",
        "adas",
        "ido",
        "ida",
        "idos",
        "idas",
        "arme",
        "erme",
        "irme",
    ),
    "en": ("ing", "ed", "ly", "ness", "ful", "less", "tion", "tions"),
}


def detect_language(text: str, default: str = "en") -> str:
    """``"es"`` or ``"en"`` for a short text such as a search query; ``default`` when unsure.

    Counts frequent words found in only one of the two languages, with Spanish-only letters
    (ñ, accents, ¿ ¡) as extra evidence for Spanish and contractions ("don't") for English.
    Good enough to gate same-language lexical matching.
    """
    words = tokens(text)
    scores = {
        language: sum(word in vocabulary for word in words)
        + sum(len(word) > 4 and word.endswith(_SUFFIXES[language]) for word in words)
        for language, vocabulary in _FUNCTION_WORDS.items()
    }
    scores["es"] += 2 * len(_SPANISH_LETTERS.findall(text or ""))
    scores["en"] += 2 * len(_ENGLISH_CONTRACTION.findall(text or ""))
    if scores["es"] == scores["en"]:
        return default
    return "es" if scores["es"] > scores["en"] else "en"
