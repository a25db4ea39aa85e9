"""tlearn's file formats: what reads, what is written back, and every bad file as one line
"FILE:LINE: problem" (never a traceback)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srnlab.errors import UserError
from srnlab.tlearn.cf import parse_cf, read_cf
from srnlab.tlearn.cf_writer import format_cf
from srnlab.tlearn.lists import ListError, format_list, parse_list
from srnlab.tlearn.network import LINEAR
from srnlab.tlearn.patterns import format_patterns, parse_patterns, parse_reset
from srnlab.tlearn.project import load_project
from srnlab.tlearn.wts import format_wts, parse_wts, read_wts
from tlearn_data import SRN_CF, XOR_FILES, write_project

# ---- lists ---------------------------------------------------------------------------------


def test_lists_name_the_bias_inputs_and_nodes_as_weight_columns():
    # 2 inputs, 5 nodes: column 0 bias, 1-2 inputs, 3-7 nodes 1-5
    assert parse_list("0", 5, 2) == [0]
    assert parse_list("i1-i2", 5, 2) == [1, 2]
    assert parse_list("1-3,5", 5, 2) == [3, 4, 5, 7]
    assert parse_list("0,i2,4", 5, 2) == [0, 2, 6]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("i1-3", "mixes an input and a node"),
        ("3-1", "runs backwards"),
        ("7", "there is no node 7"),
        ("i3", "there is no input i3"),
        ("1,,2", "comma-separated"),
        ("x", "cannot read"),
    ],
)
def test_bad_lists_say_what_is_wrong(text, problem):
    with pytest.raises(ListError, match=problem):
        parse_list(text, 5, 2)


@given(st.sets(st.integers(0, 9), min_size=1))
def test_format_list_reads_back_to_the_same_columns(columns):
    text = format_list(sorted(columns), n_inputs=3)
    assert sorted(parse_list(text, 6, 3)) == sorted(columns)


# ---- .cf ---------------------------------------------------------------------------------


def test_the_xor_cf_declares_a_2_2_1_net():
    net = read_cf(XOR_FILES / "xor.cf")
    assert (net.n_nodes, net.n_inputs, net.outputs, net.selected) == (3, 2, (3,), (1, 2))
    expected = np.array([[1, 1, 1, 0, 0, 0], [1, 1, 1, 0, 0, 0], [1, 0, 0, 1, 1, 0]], dtype=bool)
    assert np.array_equal(net.connected, expected)
    assert not net.fixed.any() and net.weight_limit == 1.0


def test_copy_links_are_fixed_one_to_one_and_limited_to_one():
    net = parse_cf(SRN_CF)
    # nodes 4-5 copy nodes 1-2: one link each, fixed, limits [1, 1], linear units
    assert net.connected[3].nonzero()[0].tolist() == [1 + 1]  # column of node 1 (1 input)
    assert net.connected[4].nonzero()[0].tolist() == [1 + 2]
    assert net.fixed[3, 2] and net.fixed[4, 3] and net.limits_on
    assert net.low[3, 2] == net.high[3, 2] == 1.0
    assert list(net.functions) == [0, 0, 0, LINEAR, LINEAR]


def test_groups_and_limits():
    text = SRN_CF.replace("groups = 0", "groups = 1").replace(
        "3 from 1-2\n", "3 from 1-2 = group 1\ngroup 1 = -2 & 2\n"
    )
    net = parse_cf(text)
    assert net.group[2, [2, 3]].tolist() == [1, 1]
    assert net.limited[2, 2] and net.high[2, 3] == 2.0


@pytest.mark.parametrize("text", [SRN_CF, (XOR_FILES / "xor.cf").read_text()])
def test_written_cf_reads_back_to_the_same_network(text):
    net = parse_cf(text)
    assert parse_cf(format_cf(net)).same_as(net)


BAD_CF = [
    ("NODE:", 1, "NODES:"),
    ("nodes = 5", 3, "nodes = 5"),  # the same key twice -> error at line 3... replaced below
    ("output node is 9", 5, "no node 9"),
    ("output node is i1", 5, "cannot be an output"),
    ("output nodes are 1-3", 5, "names 3 nodes"),
    ("1-3 from 0", 8, None),
    ("1-2 from i1-3", 9, "mixes an input and a node"),
    ("1-2 from 8", 9, "no node 8"),
    ("i1 from 0", 9, "cannot receive connections"),
    ("0 from 1", 9, "bias"),
    ("3 from 1-2 = 2. & 1.", 11, "below min"),
    ("3 from 1-2 = group 2", 11, "group 2 does not exist"),
    ("3 from 1-2 = recurrent", 11, "not supported"),
    ("4-5 from 1-2 = 1. & 1. fixed one-to-one", 12, None),
    ("4-5 from 1 = 1. & 1. fixed one-to-one", 12, "as many FROM as TO"),
    ("linear = 4-5", 14, None),
    ("linear = i1", 14, "nodes only"),
    ("colour = red", 14, "unknown SPECIAL key"),
    ("weight_limit = x", 15, "must be a number"),
]


@pytest.mark.parametrize(("line", "number", "problem"), [b for b in BAD_CF if b[2]])
def test_each_bad_cf_line_is_named_with_its_line(line, number, problem):
    lines = SRN_CF.splitlines()
    if line == "nodes = 5":
        lines[2] = "nodes = 5"  # `inputs` missing: nodes given twice
        problem = "expected"
    else:
        lines[number - 1] = line
    with pytest.raises(UserError, match=rf"^proj\.cf:{number}: .*{problem}"):
        parse_cf("\n".join(lines) + "\n", "proj.cf")


def test_a_cf_that_stops_early_names_its_last_line():
    with pytest.raises(UserError, match=r"^p\.cf:3: the file ends"):
        parse_cf("NODES:\nnodes = 2\ninputs = 1\n", "p.cf")


# ---- .data / .teach / .reset -----------------------------------------------------------------


def test_distributed_localist_and_dont_care_patterns():
    data = parse_patterns("distributed\n2\n1 0 0.5\n0 1 -1\n", 3, "d", teach=False)
    assert data.tolist() == [[1, 0, 0.5], [0, 1, -1]]
    local = parse_patterns("localist\n2\n1,3\n2\n", 3, "d", teach=False)
    assert local.tolist() == [[1, 0, 1], [0, 1, 0]]
    teach = parse_patterns("distributed\n2\n1 *\n0 1\n", 2, "t", teach=True)
    assert teach[0, 0] == 1 and np.isnan(teach[0, 1])
    one_hot = parse_patterns("localist\n2\n2\n1\n", 2, "t", teach=True)
    assert one_hot.tolist() == [[0, 1], [1, 0]]


@pytest.mark.parametrize(
    ("text", "teach", "where", "problem"),
    [
        ("distributed\n3\n1 0\n0 1\n", False, 4, "ends where"),  # count says 3, 2 rows
        ("distributed\n1\n1 0\n0 1\n", False, 4, "more values than the count 1"),
        ("scattered\n1\n1 0\n", False, 1, "distributed"),
        ("distributed\nfour\n1 0\n", False, 2, "number of rows"),
        ("distributed\n1\n1 x\n", False, 3, "expected a number in row 1"),
        ("distributed\n1\n1 *\n", False, 3, "expected a number in row 1"),
        ("localist\n1\n3\n", True, 3, "no output 3"),
        ("localist\n1\n4\n", False, 3, "no input 4"),
        ("distributed\n1\n1 nan\n", True, 3, "finite"),
    ],
)
def test_bad_pattern_files(text, teach, where, problem):
    with pytest.raises(UserError, match=rf"^f:{where}: .*{problem}"):
        parse_patterns(text, 2 if not text.startswith("localist\n1\n4") else 3, "f", teach)


def test_reset_files():
    assert parse_reset("2\n0\n5\n", "r") == [0, 5]
    with pytest.raises(UserError, match=r"^r:3: .*increasing"):
        parse_reset("2\n5\n0\n", "r")
    with pytest.raises(UserError, match=r"^r:2: .*ends where reset 2"):
        parse_reset("2\n0\n", "r")


def test_written_patterns_read_back():
    rows = np.array([[0.25, np.nan], [1.0, -3.0]])
    back = parse_patterns(format_patterns(rows), 2, "t", teach=True)
    assert np.array_equal(back, rows, equal_nan=True)


# ---- .wts ------------------------------------------------------------------------------------


def test_tlearn_wts_reads_with_its_sweeps():
    weights, sweeps = parse_wts((XOR_FILES / "xor.2000.wts").read_text())
    assert sweeps == 2000 and weights.shape == (3, 6)
    assert weights[2, 3] == -7.518091  # "# TO NODE 3", from node 1


def test_written_wts_reads_back_exactly():
    weights = np.random.default_rng(0).normal(size=(3, 6))
    back, sweeps = parse_wts(format_wts(weights, 17))
    assert sweeps == 17 and np.array_equal(back, weights)


def test_a_wts_for_another_network_is_refused(tmp_path):
    path = tmp_path / "other.wts"
    path.write_text(format_wts(np.zeros((5, 7)), 0))
    with pytest.raises(UserError, match=r"other\.wts:4: weights for another network: 5 nodes"):
        read_wts(path, read_cf(XOR_FILES / "xor.cf"))


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("NETWORK CONFIGURED BY XLEARN\n", 1, "not a tlearn .wts"),
        ("NETWORK CONFIGURED BY TLEARN\n# weights after x sweeps\n# WEIGHTS\n", 2, "weights after"),
        ("NETWORK CONFIGURED BY TLEARN\n# weights after 0 sweeps\n# WEIGHTS\n# TO NODE 2\n", 4,
         "TO NODE 1"),
        ("NETWORK CONFIGURED BY TLEARN\n# weights after 0 sweeps\n# WEIGHTS\n# TO NODE 1\nab\n",
         5, "one weight per line"),
    ],
)  # fmt: skip
def test_bad_wts_files(text, where, problem):
    with pytest.raises(UserError, match=rf"^w:{where}: .*{problem}"):
        parse_wts(text, "w")


# ---- projects ----------------------------------------------------------------------------------


def test_a_project_needs_its_data_and_as_many_targets_as_inputs(tmp_path):
    cf = write_project(tmp_path, "p", (XOR_FILES / "xor.cf").read_text(),
                       "distributed\n2\n1 0\n0 1\n", "distributed\n3\n1\n1\n0\n")  # fmt: skip
    with pytest.raises(UserError, match=r"p\.teach:2: 3 rows, but p\.data has 2"):
        load_project(cf)
    (tmp_path / "p.data").unlink()
    with pytest.raises(UserError, match=r"p\.data: no such file"):
        load_project(cf)


# ---- Hypothesis: random text is a parse or a UserError, nothing else -------------------------

CF_WORDS = st.sampled_from(
    ["NODES:", "CONNECTIONS:", "SPECIAL:", "nodes", "inputs", "outputs", "output", "node",
     "is", "are", "=", "from", "0", "1", "2", "3", "1-2", "i1", "i1-i2", "i1-2", "groups",
     "group", "fixed", "one-to-one", "&", "1.", "-1", "linear", "selected", "weight_limit",
     "bipolar", "5", ",", "1,3", "x", "-"]
)  # fmt: skip


def _lines(words):
    return st.lists(st.lists(words, max_size=7).map(" ".join), max_size=16).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(_lines(CF_WORDS), st.booleans())
def test_random_cf_text_parses_or_is_a_user_error(text, with_header):
    if with_header:  # get past the first lines often, so the later rules are exercised
        text = "NODES:\nnodes = 3\ninputs = 2\noutputs = 1\noutput node is 3\nCONNECTIONS:\n" + text
    try:
        parse_cf(text, "r.cf")
    except UserError as exc:
        assert str(exc).startswith("r.cf:")


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["distributed", "localist", "dist", ""]),
    st.text(alphabet="0123456789 .-*,\ne", max_size=60),
    st.integers(1, 3),
    st.booleans(),
)
def test_random_pattern_text_parses_or_is_a_user_error(form, body, width, teach):
    try:
        rows = parse_patterns(f"{form}\n{body}", width, "r.data", teach)
    except UserError as exc:
        assert str(exc).startswith("r.data:")
    else:
        assert rows.shape[1] == width


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 -\nx", max_size=40))
def test_random_reset_text_parses_or_is_a_user_error(text):
    try:
        parse_reset(text, "r.reset")
    except UserError as exc:
        assert str(exc).startswith("r.reset:")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("NODES:\nnodes = 100000000\ninputs = 1\noutputs = 1\n", r"p\.cf:4: .*more weights"),
        ("NODES:\nnodes = 2\ninputs = 1\noutputs = 1\noutput node is 2\nCONNECTIONS:\n"
         "groups = 1000000000000\n", r"p\.cf:7: .*at most"),
        ("NODES:\nnodes = 2\ninputs = 1\noutputs = 1\noutput node is 1-999999999999\n",
         r"p\.cf:5: there is no node 999999999999"),
    ],
)  # fmt: skip
def test_huge_sizes_are_refused_before_anything_is_allocated(text, problem):
    with pytest.raises(UserError, match=problem):
        parse_cf(text, "p.cf")


def test_a_huge_row_count_ends_at_the_files_last_word():
    with pytest.raises(UserError, match=r"^d:3: the file ends where"):
        parse_patterns("distributed\n3200000000\n1 0\n", 2, "d", teach=False)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["# TO NODE 1", "# TO NODE 2", "0.5", "-1", "x", "#", "1e999", ""]),
        max_size=12,
    )
)
def test_random_wts_text_parses_or_is_a_user_error(lines):
    text = "NETWORK CONFIGURED BY TLEARN\n# weights after 3 sweeps\n# WEIGHTS\n" + "\n".join(lines)
    try:
        weights, sweeps = parse_wts(text, "r.wts")
    except UserError as exc:
        assert str(exc).startswith("r.wts:")
    else:
        assert sweeps == 3 and np.isfinite(weights).all()
