"""``srnlab new``: a commented project file and its data files, ready to run and to edit.

From scratch, the example is a statistical-learning language in the style of Saffran, Aslin &
Newport (1996): four made-up three-syllable words (their tupiro, golabu, bidaku, padoti)
strung together without pauses, no word twice in a row. An SRN predicts the next letter; its
error peaks at word onsets, so boundaries can be read off it.

From a built-in recipe, the recipe's own data are written as files (``--from letters``: the
ba/dii/guuu streams of seed 0 and the phonetic feature table of Elman's Table 1), with the
recipe's settings, so the project reproduces ``srnlab run RECIPE`` bit for bit and the user
edits from a working simulation. ``--from temporal-xor`` writes its bit streams as numbers
(a CSV with a ``position`` column for the error by position in the triple).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from srnlab.errors import UserError
from srnlab.seeding import generators

Files = dict[str, str]

SAFFRAN_WORDS = ("tupiro", "golabu", "bidaku", "padoti")


def saffran_stream(n_words: int, rng: np.random.Generator) -> str:
    """``n_words`` words in random order, never the same word twice in a row (Saffran et al.
    1996), separated by spaces that the project file declares as word boundaries."""
    words: list[str] = []
    for _ in range(n_words):
        choices = [w for w in SAFFRAN_WORDS if not words or w != words[-1]]
        words.append(choices[rng.integers(len(choices))])
    return _wrapped(words)


def _wrapped(words: list[str], per_line: int = 12) -> str:
    lines = [" ".join(words[k : k + per_line]) for k in range(0, len(words), per_line)]
    return "\n".join(lines) + "\n"


SCRATCH_TOML = """\
# {name}: your own experiment. Run it with
#     srnlab run {name}/{name}.toml
# Every key below can be changed here or on the command line (--set training.passes=20),
# and swept (srnlab sweep {name}/{name}.toml --grid network.hidden=5,10,20 --seeds 5 --out F).
# Left-out keys take the built-in recipes' defaults; `srnlab list {name}/{name}.toml --keys`
# lists them all.
#
# The language: four made-up three-syllable words (Saffran, Aslin & Newport 1996) strung
# together without pauses. The spaces in language.txt mark the word boundaries the analyses
# score against; the network never sees them.

name = "{name}"

[network]
kind = "srn"                    # "srn" (Elman's simple recurrent network) or "feedforward"
hidden = 20                     # hidden units (and as many context units)
hidden_activation = "logistic"  # logistic, tanh or linear
output_activation = "logistic"
context_start = 0.5             # every context unit starts at 0.5 (Elman 1990)

[data]
corpus = "language.txt"         # the training text, relative to this file
unit = "letter"                 # each letter is an item ("word": whitespace-separated tokens)
boundaries = "space"            # spaces mark word boundaries; they are dropped from the stream
encoding = "localist"           # one unit per letter; or a CSV table of features per symbol
task = "predict-next"           # the target of each letter is the next letter

[training]
learning_rate = 0.1
momentum = 0.0
passes = 20                     # passes through the training text
loss = "half_squared"           # tlearn's; "squared" is the lecture's E = (y - a)^2
through_time = 1                # 1 = copy-back (Elman 1990); k = BPTT(k); "none" = full BPTT
update_every = 1                # weights change after every letter
init_range = 1.0                # initial weights uniform in [-1, 1]
seed = 0

[test]
corpus = "test.txt"             # a fresh stream of the same words

[analysis]
error_by = ["position", "item"] # error by the letter's position in its word, and per letter
hidden = "item"                 # mean hidden state per letter: tree and PCA, with the untrained net
segmentation = true             # word boundaries from error peaks, against the true boundaries
likelihood = true               # outputs against the corpus's likelihood vectors
"""


def scratch(name: str) -> Files:
    rngs = generators(0)
    return {
        f"{name}.toml": SCRATCH_TOML.format(name=name),
        "language.txt": saffran_stream(300, rngs["data"]),
        "test.txt": saffran_stream(100, rngs["test"]),
    }


def _paper_srn(hidden: int, shape: str) -> str:
    """The ``[network]`` table of a project written from one of Elman's (1990) recipes: an
    SRN of logistic units whose context starts at 0.5, with the paper's hidden layer."""
    setting = f"hidden = {hidden}"
    return (
        "[network]\n"
        'kind = "srn"\n'
        f"{setting:<32}# {shape}, as in the paper\n"
        'hidden_activation = "logistic"\n'
        'output_activation = "logistic"\n'
        "context_start = 0.5\n"
    )


LETTERS_TOML = """\
# {name}: Elman (1990), "Structure in letter sequences", as a project you can edit.
# Written by `srnlab new {name} --from letters`: the ba/dii/guuu streams of seed 0 and the
# feature table of the paper's Table 1, with `srnlab run letters`'s settings, so
#     srnlab run {name}/{name}.toml
# trains exactly the network `srnlab run letters` trains (seed 0), number for number.
# Change the data, the table or any setting and it is your experiment.

name = "{name}"

{network}
[data]
corpus = "letters.txt"          # 1,000 random consonants, each followed by its vowels
unit = "letter"
boundaries = "space"            # spaces separate the syllables (for the analyses only)
encoding = "features.csv"       # 6 phonetic features per letter (Elman's Table 1)
task = "predict-next"

[training]
learning_rate = 0.1             # tlearn's defaults (the paper gives none)
momentum = 0.0
passes = 200                    # 200 passes through the stream, as in the paper
loss = "half_squared"           # tlearn's delta: the gradient of half the squared error
through_time = 1                # copy-back
update_every = 1                # online: after every letter
init_range = 1.0
seed = 0

[test]
corpus = "test.txt"             # a new stream built the same way
carry_context = true            # the test goes on from the context training ended with

[analysis]
error_by = ["position", "item", "feature"]
hidden = "item"
segmentation = true
likelihood = true
"""


def from_letters(name: str) -> Files:
    from srnlab.tasks.letters import FEATURES, LETTER_FEATURES, SYLLABLES, letter_sequence

    rngs = generators(0)
    n = 1000  # the recipe's n_consonants and test_consonants

    def syllables(text: str) -> str:
        words, current = [], ""
        for ch in text:
            if ch in SYLLABLES and current:
                words.append(current)
                current = ""
            current += ch
        return _wrapped([*words, current], per_line=20)

    table = ",".join(("symbol", *FEATURES)) + "\n"
    table += "".join(",".join((s, *map(str, f))) + "\n" for s, f in LETTER_FEATURES.items())
    return {
        f"{name}.toml": LETTERS_TOML.format(
            name=name, network=_paper_srn(hidden=20, shape="6-20-6")
        ),
        "letters.txt": syllables(letter_sequence(n, rngs["data"])),
        "test.txt": syllables(letter_sequence(n, rngs["test"])),
        "features.csv": table,
    }


XOR_TOML = """\
# {name}: the lecture's XOR network as a project. Written by `srnlab new {name} --from xor`,
# with `srnlab run xor`'s settings, so it trains the same network (seed 0) number for number.

name = "{name}"

[network]
kind = "feedforward"
hidden = 2                      # 2-2-1; a list such as [4, 3] gives two hidden layers
hidden_activation = "logistic"
output_activation = "logistic"

[data]
patterns = "xor.csv"            # a CSV with a header
inputs = ["x1", "x2"]           # the input columns
targets = ["y"]                 # the target columns

[training]
learning_rate = 0.1
momentum = 0.9
passes = 2000                   # epochs: each pattern once per epoch
loss = "squared"                # the lecture's E = (y - a)^2
update = "online"               # after every pattern ("batch": once per epoch)
order = "shuffled"              # a new order every epoch
init_range = 1.0
seed = 0

[analysis]
error_by = ["item"]             # the error of each pattern
hidden = "item"                 # hidden states per pattern, trained vs untrained
"""


def from_xor(name: str) -> Files:
    from srnlab.tasks.xor import xor_patterns

    inputs, targets = xor_patterns()
    rows = ["label,x1,x2,y"]
    rows += [
        f"{int(a)} {int(b)},{a:g},{b:g},{y:g}" for (a, b), (y,) in zip(inputs, targets, strict=True)
    ]
    return {f"{name}.toml": XOR_TOML.format(name=name), "xor.csv": "\n".join(rows) + "\n"}


TEMPORAL_XOR_TOML = """\
# {name}: Elman (1990), "The problem with time": XOR in time, as a project you can edit.
# Written by `srnlab new {name} --from temporal-xor` with `srnlab run temporal-xor`'s data
# (seed 0) and settings, so it trains the same 1-2-1 SRN number for number.
#
# bits.csv: one bit per row, 1,000 triples (two random bits, then their XOR). Each row's
# `position` is where its *target*, the next bit, stands in its triple (2: the XOR bit,
# the only predictable one), so the error by position shows the paper's dips.

name = "{name}"

{network}
[data]
patterns = "bits.csv"
inputs = ["bit"]                # no targets: the network predicts the next row's bit
task = "predict-next"

[training]
learning_rate = 0.1             # tlearn's defaults (the paper gives none)
momentum = 0.0
passes = 600                    # 600 passes through the stream, as in the paper
loss = "squared"                # E = (y - a)^2
through_time = 1                # copy-back
update_every = 1
init_range = 1.0
seed = 0

[test]
patterns = "test.csv"           # a fresh stream: 1,200 cycles of 12 steps
carry_context = false           # it starts from a fresh context, as a new stream would

[analysis]
error_by = ["position", "item"]
hidden = "item"
"""


def from_temporal_xor(name: str) -> Files:
    from srnlab.tasks.temporal_xor import temporal_xor_stream

    rngs = generators(0)

    def table(n_triples: int, rng: np.random.Generator) -> str:
        stream = temporal_xor_stream(n_triples, rng)
        rows = [
            f"{int(b)},{int(p)}" for b, p in zip(stream.inputs[:, 0], stream.positions, strict=True)
        ]
        return "bit,position\n" + "\n".join(rows) + "\n"

    return {
        f"{name}.toml": TEMPORAL_XOR_TOML.format(
            name=name, network=_paper_srn(hidden=2, shape="1-2-1")
        ),
        "bits.csv": table(1000, rngs["data"]),  # the recipe's n_triples
        "test.csv": table(1200 * 12 // 3, rngs["test"]),  # its test_cycles of 12 steps
    }


SOURCES: dict[str, Callable[[str], Files]] = {
    "letters": from_letters,
    "xor": from_xor,
    "temporal-xor": from_temporal_xor,
}


def project_files(name: str, source: str | None) -> Files:
    """The files of a new project called ``name``: {file name: text}."""
    if not name or not all(ch.isalnum() or ch in "-_" for ch in name):
        raise UserError(f"a project name is letters, digits, - and _, got {name!r}")
    if source is None:
        return scratch(name)
    if source not in SOURCES:
        raise UserError(
            f"--from {source}: no project template; valid: {', '.join(SOURCES)} "
            "(or leave --from out for the statistical-learning example)"
        )
    return SOURCES[source](name)


def write_project(folder: Path, files: Files) -> Path:
    """Write the files into ``folder`` (which must not exist yet: nothing is overwritten)."""
    from srnlab.fileio import StagedFolder

    with StagedFolder(folder, force=False) as staging:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
    return folder / next(n for n in files if n.endswith(".toml"))
