"""Config overrides: typed, checked against the dataclass, clear errors."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

from srnlab.catalogue import get_recipe
from srnlab.config import apply_overrides, config_from_dict, config_to_dict, describe_fields
from srnlab.errors import UserError
from srnlab.recipes.xor import Config as XorConfig


@dataclass(frozen=True)
class Example:
    count: int = 1
    rate: float = 0.5
    name: str = "a"
    flag: bool = False
    sizes: tuple[int, ...] = (2, 2)
    limit: int | None = None


def test_values_are_parsed_to_the_field_types():
    config = apply_overrides(
        Example(),
        ["count=3", "rate=1e-2", "name=b", "flag=yes", "sizes=3,4,5", "limit=7"],
    )
    assert config == Example(3, 0.01, "b", True, (3, 4, 5), 7)
    assert apply_overrides(config, ["limit=none"]).limit is None


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("colour=red", "unknown config key 'colour'; valid keys: count, rate, name"),
        ("count=2.5", "count='2.5': expected a whole number"),
        ("rate=fast", "rate='fast': expected a number"),
        ("flag=maybe", "expected true or false"),
        ("count", "--set expects key=value"),
        ("limit=x", "limit='x': expected int or none"),
    ],
)
def test_bad_overrides_name_the_problem(assignment, message):
    with pytest.raises(UserError, match=message.replace("(", r"\(")):
        apply_overrides(Example(), [assignment])


def test_recipe_configs_validate_their_choices():
    with pytest.raises(UserError, match="unknown loss 'hinge'; valid: cross_entropy"):
        apply_overrides(XorConfig(), ["loss=hinge"])
    with pytest.raises(UserError, match="unknown update 'sometimes'"):
        apply_overrides(XorConfig(), ["update=sometimes"])
    with pytest.raises(UserError, match="hidden must be >= 1"):
        apply_overrides(XorConfig(), ["hidden=0"])


def test_config_round_trips_through_json_form():
    config = apply_overrides(Example(), ["sizes=1,2,3"])
    assert config_from_dict(Example, config_to_dict(config)) == config
    with pytest.raises(UserError, match="unknown config keys bogus"):
        config_from_dict(Example, {"bogus": 1})


def test_describe_fields_lists_defaults():
    lines = describe_fields(Example)
    assert lines[0] == "count (int, default 1)"
    assert lines[-1] == "limit (int or none, default None)"
    assert lines[4] == "sizes (comma-separated ints, default (2, 2))"


def test_unknown_recipe_lists_the_valid_ones():
    with pytest.raises(UserError, match="unknown recipe 'xxor'; valid: xor"):
        get_recipe("xxor")


@dataclass(frozen=True)
class Noted:
    size: int = 3  # [P] the paper's size
    # a note for the next two fields,
    # over two lines
    rate: float = 0.1
    other: float = 0.2  # its own note wins
    bare: int = 0

    def method(self) -> None:  # not a field
        pass


def test_field_notes_read_the_comments_beside_and_above_each_field():
    from srnlab.config import field_notes

    notes = field_notes(Noted)
    assert notes["size"] == "[P] the paper's size"
    assert notes["rate"] == "a note for the next two fields, over two lines"
    assert notes["other"] == "its own note wins"
    assert "bare" not in notes  # after a field with its own note: no group note carries over
    lines = describe_fields(Noted, notes=True)
    assert lines[0] == "size (int, default 3): [P] the paper's size"
    assert lines[-1] == "bare (int, default 0)"


@dataclass(frozen=True)
class Grouped:
    # one note for a group
    first: int = 1
    second: int = 2
    third: int = 3  # its own
    fourth: int = 4


def test_a_note_above_a_group_serves_each_uncommented_field_of_it():
    from srnlab.config import field_notes

    notes = field_notes(Grouped)
    assert notes["first"] == notes["second"] == "one note for a group"
    assert notes["third"] == "its own"
    assert "fourth" not in notes


def test_keys_list_a_recipes_own_settings_first_the_shared_groups_then_the_seed():
    from srnlab.config import describe_fields
    from srnlab.recipes import letters

    names = [line.split(" ")[0] for line in describe_fields(letters.Config)]
    assert names[0] == "n_consonants" and names[-1] == "seed"
    assert names.index("figure_letters") < names.index("passes") < names.index("hidden")
    assert sorted(names) == sorted(f.name for f in dataclasses.fields(letters.Config))
