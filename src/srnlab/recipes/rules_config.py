"""The rules recipe's settings (``Config``) and its conditions (``Condition``): which codes,
test syllables and protocols a study crosses, and how each network is built and trained.

Apart from ``recipes.rules`` (the study) so that ``recipes.rules_network`` (one network) can
read the settings without importing the study that runs it. Tags: [P] from the papers, [R] our
reconstruction where they are silent.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from srnlab.checks import at_least, one_of, srn_fits
from srnlab.errors import UserError
from srnlab.settings import SRNSettings
from srnlab.tasks import rules as stimuli

PROTOCOLS = ("none", "pretrain", "test_learning")
FEATURE_SPACES = ("outside", "inside")
ERROR_MEASURES = ("squared", "euclidean")
PRETRAIN_POOLS = ("inventory", "training_space")

PROTOCOL_LABELS = {
    "none": "",
    "pretrain": " + same/different pre-training",
    "test_learning": " + learning at test",
}


@dataclass(frozen=True, kw_only=True)
class Config(SRNSettings):
    """The network and training schedule are the shared groups' (``srnlab.settings``: tlearn's
    defaults, logistic units, copy-back and online learning as in Elman 1990 [R]); below,
    what is this recipe's own."""

    # [P] Marcus et al.'s 1 (ABA vs ABB), 2 (the same, features controlled), 3 (AAB vs ABB)
    experiments: tuple[int, ...] = (1, 2, 3)
    networks: int = 16  # [P] 16 infants per experiment; network i hears grammar i % 2
    # localist: one unit per syllable; distributed: one unit per feature value; analog: one
    # unit per feature, values along its scale (in the spirit of Negishi's reply)
    encodings: tuple[str, ...] = ("localist", "distributed", "analog")
    # test syllables outside the training feature space (the papers'), inside it (ours);
    # distributed codes only: for localist codes every new syllable is outside
    feature_spaces: tuple[str, ...] = ("outside", "inside")
    # none; pretrain (same/different, Seidenberg & Elman); test_learning (Altmann & Dienes)
    protocols: tuple[str, ...] = PROTOCOLS
    hidden: int = 10  # [R] the replies used small SRNs; the papers' sizes differ
    repetitions: int = 3  # [P] each of the 16 sentences heard three times (about 2 minutes)
    gap: int = 1  # [R] pause items between sentences (the infants heard 1 s silences)
    # [R] Infants heard the stream once; one pass of 192 items teaches an SRN at this learning
    # rate almost nothing, so the network hears it ``passes`` times (a free parameter: sweep it).
    passes: int = 10
    # Pre-training (protocol "pretrain"), in the spirit of Seidenberg & Elman [R]: a random
    # syllable stream in which ``pretrain_repeat`` of the items repeat one of the two before.
    # The pool is every syllable of the feature tables except the test syllables
    # ("inventory": prior experience with the language's sounds, McClelland & Plaut's point), or
    # only those made of feature values (localist: syllables) heard in familiarisation.
    pretrain_items: int = 2000  # [R] syllables in the pre-training stream
    pretrain_passes: int = 5  # [R] passes through it
    pretrain_repeat: float = 0.5  # [R] the share of items that repeat one of the two before
    pretrain_pool: str = "inventory"  # [R] or training_space (see above)
    test_repetitions: int = 3  # [P] 12 test trials: the 4 test sentences three times each
    test_learning_rate: float | None = None  # protocol "test_learning"; None: learning_rate
    error_measure: str = "squared"  # per item: sum of squared errors, or its square root
    seed: int = 0  # network i of a study draws its streams from (seed, i)

    def __post_init__(self) -> None:
        super().__post_init__()  # the shared groups' checks
        if not self.experiments or len(set(self.experiments)) != len(self.experiments):
            raise UserError("experiments needs one or more of 1, 2, 3, each once")
        for number in self.experiments:
            stimuli.experiment(number)
        at_least(self, 2, "networks")  # the paired statistics need two networks or more
        at_least(self, 1, "repetitions", "gap", "test_repetitions")
        at_least(self, 0, "pretrain_passes")
        # Per network: the familiarisation, test and pre-training streams, in codes no wider
        # than 64 units; the studies keep every network's looking times (a few floats each).
        sentence = 3 + self.gap
        steps = 16 * self.repetitions * sentence + 12 * self.test_repetitions * sentence
        srn_fits(self, 64, 64, steps + self.pretrain_items + 100 * self.networks)
        _check_choices("encodings", self.encodings, stimuli.ENCODINGS)
        _check_choices("feature_spaces", self.feature_spaces, FEATURE_SPACES)
        _check_choices("protocols", self.protocols, PROTOCOLS)
        one_of("error_measure", self.error_measure, ERROR_MEASURES)
        one_of("pretrain_pool", self.pretrain_pool, PRETRAIN_POOLS)
        if not self.conditions():
            raise UserError("no condition to run: localist codes need feature_spaces outside")
        if "pretrain" in self.protocols and self.pretrain_items < 3:
            raise UserError(f"pretrain_items must be >= 3, got {self.pretrain_items}")
        if not 0.0 <= self.pretrain_repeat <= 1.0:
            raise UserError(f"pretrain_repeat must be in [0, 1], got {self.pretrain_repeat}")
        self.schedule(self.test_learning_rate)  # the schedule of learning at test

    def conditions(self) -> list[Condition]:
        """Every (experiment, encoding, feature space, protocol) to run; localist codes only
        'outside' (every novel syllable is a new unit)."""
        return [
            Condition(number, encoding, space, protocol)
            for number, encoding, space, protocol in product(
                self.experiments, self.encodings, self.feature_spaces, self.protocols
            )
            if not (encoding == "localist" and space == "inside")
        ]


def _check_choices(name: str, chosen: tuple[str, ...], valid: tuple[str, ...]) -> None:
    if not chosen:
        raise UserError(f"{name} needs at least one of {', '.join(valid)}")
    for value in chosen:
        if value not in valid:
            raise UserError(f"{name}: {value!r} is not one of {', '.join(valid)}")
    if len(set(chosen)) != len(chosen):
        raise UserError(f"{name} lists a value twice: {', '.join(chosen)}")


@dataclass(frozen=True)
class Condition:
    experiment: int
    encoding: str
    feature_space: str
    protocol: str

    @property
    def key(self) -> str:
        return f"exp{self.experiment}-{self.encoding}-{self.feature_space}-{self.protocol}"

    @property
    def label(self) -> str:
        code = {
            "localist": "localist",
            "distributed": f"features, {self.feature_space}",
            "analog": f"analog features, {self.feature_space}",
        }[self.encoding]
        return code + PROTOCOL_LABELS[self.protocol]
