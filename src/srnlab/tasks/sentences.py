"""Elman (1990), "Discovering lexical classes from word order": the sentence corpus.

Sentences of two or three words are generated from 16 templates over 12 lexical categories
(``TEMPLATES``; the paper's table has 16 rows though its text says 15) and concatenated into
one stream with no marker between sentences. Each sentence is drawn the same way:

1. its template uniformly among the 16 (the paper: "randomly"; nothing says the templates
   were weighted, so every template has probability 1/16) [R];
2. then each of its words uniformly among the members of that slot's category [P].

So the mean sentence is 3 - 4/16 = 2.75 words long (four templates have two words), and
10,000 sentences give about 27,500 words (the paper prints 27,534, 27,354 and 27,454).

Categories and membership
-------------------------
The paper prints two examples per category; the full 29-word lexicon is the 29 leaves of its
cluster tree. Membership is configuration (``membership(preset)``, or any mapping from category
to words); two presets ship (``PRESETS``, reconstructed from Elman's 1990 templates table):

- ``"disjoint"``: every category is the list of words the reconstruction gives it. Categories
  may still share words (``see`` is both VERB-TRAN and VERB-PERCEPT, ``break`` both
  VERB-AGPAT and VERB-DESTROY), but no noun category contains another.
- ``"superset"``: the paper says some categories include others, and its figures show
  sentences the disjoint reading cannot produce; here NOUN-ANIM = HUM + AGRESS + {cat, mouse,
  dog}, NOUN-INANIM = FRAG + FOOD + {book, rock, car}, VERB-TRAN = {see, chase, like, smell,
  move, eat}.

Coding (``CODE``): 31 localist input/output units. Units 0-28 are the 29 words in alphabetical
order (unit 0 ``book``, 1 ``boy``, ... 28 ``woman``); unit 29 codes the novel word ``zog``
(which also sorts last, so ``VOCABULARY`` is alphabetical throughout), and unit 30 is the
second spare bit, never used. A stream is returned as the (T,) array of unit indices that
``srnlab.srn`` trains on directly (its one-hot fast path).

The novel word: ``sentence_corpus(..., replace={"man": "zog"})`` draws a corpus as usual and
then writes ``zog`` for every ``man`` (Elman's test of a new word in a known role).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from srnlab.errors import UserError

Array = np.ndarray

#: The 29 words of the lexicon, alphabetical: word i is coded by input/output unit i.
WORDS: tuple[str, ...] = (
    "book",
    "boy",
    "bread",
    "break",
    "car",
    "cat",
    "chase",
    "cookie",
    "dog",
    "dragon",
    "eat",
    "exist",
    "girl",
    "glass",
    "like",
    "lion",
    "man",
    "monster",
    "mouse",
    "move",
    "plate",
    "rock",
    "sandwich",
    "see",
    "sleep",
    "smash",
    "smell",
    "think",
    "woman",
)
NOVEL_WORD = "zog"  # [P] the new word of the paper's last test, on the first spare bit
VOCABULARY: tuple[str, ...] = (*WORDS, NOVEL_WORD)
N_UNITS = 31  # [P] 31-bit localist vectors: 29 words + 2 spare bits
SPARE_UNIT = 30  # the second spare bit: in the code, never used
CODE: dict[str, int] = {word: unit for unit, word in enumerate(VOCABULARY)}

#: Elman (1990), the templates table [P]: 16 rows (the text says 15), one category per word.
TEMPLATES: tuple[tuple[str, ...], ...] = (
    ("NOUN-HUM", "VERB-EAT", "NOUN-FOOD"),  # 1
    ("NOUN-HUM", "VERB-PERCEPT", "NOUN-INANIM"),  # 2
    ("NOUN-HUM", "VERB-DESTROY", "NOUN-FRAG"),  # 3
    ("NOUN-HUM", "VERB-INTRAN"),  # 4
    ("NOUN-HUM", "VERB-TRAN", "NOUN-HUM"),  # 5
    ("NOUN-HUM", "VERB-AGPAT", "NOUN-INANIM"),  # 6
    ("NOUN-HUM", "VERB-AGPAT"),  # 7
    ("NOUN-ANIM", "VERB-EAT", "NOUN-FOOD"),  # 8
    ("NOUN-ANIM", "VERB-TRAN", "NOUN-ANIM"),  # 9
    ("NOUN-ANIM", "VERB-AGPAT", "NOUN-INANIM"),  # 10
    ("NOUN-ANIM", "VERB-AGPAT"),  # 11
    ("NOUN-INANIM", "VERB-AGPAT"),  # 12
    ("NOUN-AGRESS", "VERB-DESTROY", "NOUN-FRAG"),  # 13
    ("NOUN-AGRESS", "VERB-EAT", "NOUN-HUM"),  # 14
    ("NOUN-AGRESS", "VERB-EAT", "NOUN-ANIM"),  # 15
    ("NOUN-AGRESS", "VERB-EAT", "NOUN-FOOD"),  # 16
)
MAX_LENGTH = 3  # the longest template

#: The reconstructed membership of each category (elman1990.md section 5) [R].
DISJOINT: dict[str, tuple[str, ...]] = {
    "NOUN-HUM": ("man", "woman", "boy", "girl"),
    "NOUN-ANIM": ("cat", "mouse", "dog"),
    "NOUN-INANIM": ("book", "rock", "car"),
    "NOUN-AGRESS": ("dragon", "monster", "lion"),
    "NOUN-FRAG": ("glass", "plate"),
    "NOUN-FOOD": ("cookie", "bread", "sandwich"),  # the paper's table misprints "break"
    "VERB-INTRAN": ("think", "sleep", "exist"),
    "VERB-TRAN": ("see", "chase", "like"),
    "VERB-AGPAT": ("move", "break"),
    "VERB-PERCEPT": ("smell", "see"),
    "VERB-DESTROY": ("break", "smash"),
    "VERB-EAT": ("eat",),
}
#: "Some categories include others" [P], read as [R]: animates include humans and aggressors,
#: inanimates include breakables and food, and every verb that can take an object is transitive.
SUPERSET: dict[str, tuple[str, ...]] = {
    **DISJOINT,
    "NOUN-ANIM": (*DISJOINT["NOUN-HUM"], *DISJOINT["NOUN-AGRESS"], "cat", "mouse", "dog"),
    "NOUN-INANIM": (*DISJOINT["NOUN-FRAG"], *DISJOINT["NOUN-FOOD"], "book", "rock", "car"),
    "VERB-TRAN": ("see", "chase", "like", "smell", "move", "eat"),
}
PRESETS: dict[str, dict[str, tuple[str, ...]]] = {"disjoint": DISJOINT, "superset": SUPERSET}

Membership = Mapping[str, Sequence[str]]


def membership(categories: str | Membership = "disjoint") -> dict[str, tuple[str, ...]]:
    """The category -> words mapping of a preset name, or a custom mapping checked for use.

    Every member must be a word of ``VOCABULARY`` and every category non-empty.
    """
    if isinstance(categories, str):
        if categories not in PRESETS:
            raise UserError(f"unknown category preset {categories!r}; valid: {', '.join(PRESETS)}")
        return dict(PRESETS[categories])
    checked: dict[str, tuple[str, ...]] = {}
    for category, members in categories.items():
        words = tuple(members)
        if not words:
            raise UserError(f"category {category} has no members")
        unknown = [w for w in words if w not in CODE]
        if unknown:
            raise UserError(f"category {category} has unknown words {', '.join(unknown)}")
        checked[str(category)] = words
    return checked


@dataclass(frozen=True)
class SentenceCorpus:
    """A stream of sentences, one entry per word token (T tokens in all).

    ``index[t]`` is the unit that codes token t (its input; the target of step t is
    ``index[t + 1]``, wrapping around at the end, see ``targets``). Labels per token: the
    ``word`` itself, the ``category`` of its template slot (a token of ``see`` in template 2
    is VERB-PERCEPT, in template 5 VERB-TRAN), the ``sentence`` it belongs to (0, 1, ...),
    its ``position`` in that sentence (0 = first word) and the sentence's ``template``
    (0-based row of ``TEMPLATES``).
    """

    words: tuple[str, ...]
    index: Array  # (T,) int64: the unit that is on
    category: tuple[str, ...]
    sentence: Array  # (T,) int64
    position: Array  # (T,) int64
    template: Array  # (T,) int64

    def __len__(self) -> int:
        return len(self.words)

    @property
    def n_sentences(self) -> int:
        return int(self.sentence[-1]) + 1 if len(self) else 0

    @property
    def targets(self) -> Array:
        """The unit of the next token: Elman's stream wraps around, so the last token's target
        is the first token."""
        return np.roll(self.index, -1)

    @property
    def starts(self) -> Array:
        """Where each sentence begins (token positions)."""
        return np.flatnonzero(self.position == 0)

    def sentences(self) -> list[tuple[int, ...]]:
        """Every sentence as the tuple of its tokens' units."""
        bounds = [*self.starts.tolist(), len(self)]
        units = self.index.tolist()
        return [tuple(units[a:b]) for a, b in itertools.pairwise(bounds)]


def sentence_corpus(
    n_sentences: int,
    rng: np.random.Generator,
    categories: str | Membership = "disjoint",
    templates: Sequence[Sequence[str]] = TEMPLATES,
    replace: Mapping[str, str] | None = None,
) -> SentenceCorpus:
    """``n_sentences`` sentences drawn from the templates, concatenated with no boundary marker.

    Draw order (fixed, so a seed always gives the same corpus): one template per sentence,
    all sentences at once, uniform over the templates; then, for each of the ``MAX_LENGTH``
    slots in turn, one uniform draw per sentence among the slot category's members (a draw is
    made, and ignored, for the missing third slot of a two-word template, so a sentence's words
    never depend on the templates of the sentences before it).

    ``replace`` maps words to other words of ``VOCABULARY`` after drawing, e.g.
    ``{"man": "zog"}``: the corpus is the one the grammar gives, with every ``man`` written as
    ``zog`` (the template labels and categories stay those of the replaced word).
    """
    if isinstance(n_sentences, bool) or not isinstance(n_sentences, int | np.integer):
        raise UserError(f"n_sentences must be a whole number, got {n_sentences!r}")
    if n_sentences < 1:
        raise UserError(f"the corpus needs at least one sentence, got {n_sentences}")
    members = membership(categories)
    rows = _check_templates(templates, members)
    swaps = _check_replace(replace)

    n_templates = len(rows)
    chosen = rng.integers(0, n_templates, size=n_sentences)
    lengths = np.array([len(row) for row in rows])[chosen]
    # sizes[k, j]: how many words category of slot j of template k has (1 where no slot j)
    sizes = np.ones((n_templates, MAX_LENGTH), dtype=np.int64)
    for k, row in enumerate(rows):
        for j, category in enumerate(row):
            sizes[k, j] = len(members[category])
    picks = np.stack(
        [rng.integers(0, sizes[chosen, j]) for j in range(MAX_LENGTH)], axis=1
    )  # (n_sentences, MAX_LENGTH)

    words: list[str] = []
    slot_categories: list[str] = []
    for s in range(n_sentences):
        row = rows[chosen[s]]
        for j, category in enumerate(row):
            word = members[category][picks[s, j]]
            words.append(swaps.get(word, word))
            slot_categories.append(category)
    sentence = np.repeat(np.arange(n_sentences), lengths)
    position = np.arange(lengths.sum()) - (np.cumsum(lengths) - lengths)[sentence]
    return SentenceCorpus(
        words=tuple(words),
        index=np.array([CODE[w] for w in words], dtype=np.int64),
        category=tuple(slot_categories),
        sentence=sentence.astype(np.int64),
        position=position.astype(np.int64),
        template=np.repeat(chosen, lengths).astype(np.int64),
    )


def _check_templates(
    templates: Sequence[Sequence[str]], members: dict[str, tuple[str, ...]]
) -> list[tuple[str, ...]]:
    rows = [tuple(row) for row in templates]
    if not rows:
        raise UserError("at least one template is needed")
    for row in rows:
        if not 1 <= len(row) <= MAX_LENGTH:
            raise UserError(f"a template has 1 to {MAX_LENGTH} words, got {row}")
        missing = [c for c in row if c not in members]
        if missing:
            raise UserError(
                f"template {' '.join(row)} uses categories with no members: {', '.join(missing)}"
            )
    return rows


def _check_replace(replace: Mapping[str, str] | None) -> dict[str, str]:
    swaps = dict(replace or {})
    for old, new in swaps.items():
        for word in (old, new):
            if word not in CODE:
                raise UserError(
                    f"replace: {word!r} is not in the vocabulary ({', '.join(VOCABULARY)})"
                )
    return swaps


# ---- the grammar's own probabilities (for checking the likelihood vectors) -----------------


def grammar_likelihoods(
    corpus: SentenceCorpus,
    categories: str | Membership = "disjoint",
    templates: Sequence[Sequence[str]] = TEMPLATES,
) -> Array:
    """The exact probability of every next word under the generating grammar, (T, N_UNITS).

    Token t of a sentence with words w_0..w_p up to t: the templates that could have produced
    w_0..w_p have posterior weight (1/16) * prod_j [w_j in C_j] / |C_j|; each continues with
    a uniform word of its next slot's category, or ends the sentence, after which the next
    sentence's first word has the grammar's first-word distribution. The empirical likelihood
    vectors of ``srnlab.analysis.likelihood`` estimate these from a finite corpus. Not defined
    for a corpus drawn with ``replace`` (the grammar never produces the new word).
    """
    members = membership(categories)
    rows = _check_templates(templates, members)
    prior = 1.0 / len(rows)
    first = _first_words(rows, members, prior)
    out = np.empty((len(corpus), N_UNITS))
    cache: dict[tuple[str, ...], Array] = {}
    start = 0
    for t in range(len(corpus)):
        if corpus.position[t] == 0:
            start = t
        prefix = corpus.words[start : t + 1]
        if prefix not in cache:
            cache[prefix] = _grammar_next(prefix, rows, members, prior, first)
        out[t] = cache[prefix]
    return out


def grammar_floor(
    categories: str | Membership = "disjoint",
    templates: Sequence[Sequence[str]] = TEMPLATES,
) -> float:
    """The ideal predictor's per-word Euclidean error ||y - a|| on an endless stream of this
    grammar, exactly: the lowest mean next-word error any predictor can reach.

    After a sentence start w_0..w_k the ideal prediction is p = ``grammar_likelihoods``'s
    vector, and the next word is w with probability p_w, so the expected error there is
    sum_w p_w sqrt(1 - 2 p_w + ||p||^2). Each start is weighted by how often it occurs (per
    sentence: the summed probability of the templates that produce it), and the sum is divided
    by the expected sentence length (tokens per sentence)."""
    members = membership(categories)
    rows = _check_templates(templates, members)
    prior = 1.0 / len(rows)
    first = _first_words(rows, members, prior)
    occurs: dict[tuple[str, ...], float] = {}
    for row in rows:
        for k in range(1, len(row) + 1):
            chance = prior / float(np.prod([len(members[c]) for c in row[:k]]))
            for prefix in itertools.product(*(members[c] for c in row[:k])):
                occurs[prefix] = occurs.get(prefix, 0.0) + chance
    total = 0.0
    for prefix, weight in occurs.items():
        p = _grammar_next(prefix, rows, members, prior, first)
        error = np.sqrt(np.maximum(1.0 - 2.0 * p + p @ p, 0.0))
        total += weight * float(p @ error)
    return total / (prior * sum(len(row) for row in rows))


def _first_words(rows: Sequence[Sequence[str]], members: Membership, prior: float) -> Array:
    """The grammar's first-word distribution: each template (``prior`` each) starts with a
    uniform word of its first category."""
    first = np.zeros(N_UNITS)
    for row in rows:
        for word in members[row[0]]:
            first[CODE[word]] += prior / len(members[row[0]])
    return first


def _grammar_next(
    prefix: tuple[str, ...],
    rows: list[tuple[str, ...]],
    members: dict[str, tuple[str, ...]],
    prior: float,
    first: Array,
) -> Array:
    next_words = np.zeros(N_UNITS)
    total = 0.0
    for row in rows:
        if len(row) < len(prefix):
            continue
        weight = prior
        for word, category in zip(prefix, row, strict=False):
            if word not in members[category]:
                weight = 0.0
                break
            weight /= len(members[category])
        if weight == 0.0:
            continue
        total += weight
        if len(row) == len(prefix):
            next_words += weight * first
        else:
            following = members[row[len(prefix)]]
            for word in following:
                next_words[CODE[word]] += weight / len(following)
    if total == 0.0:
        raise UserError(f"the grammar cannot produce the sentence start {' '.join(prefix)}")
    return next_words / total
