"""Hostile files (hypothesis): every mutation of a valid file opens to a typed error or succeeds —
never another exception, a hang, planted code running, a changed byte, or litter beside it.

150 examples here; ``python bench/fuzz_files.py --cases 5000`` runs the long variant.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability import fuzzing
from workbench.domain import errors
from workbench.domain.values import Context
from workbench.session import Workbench

_BASE: dict[str, fuzzing.Base] = {}
_FOLDER = Path(tempfile.mkdtemp(prefix="pwkb-fuzz-base-"))


def base() -> fuzzing.Base:
    if "base" not in _BASE:
        _BASE["base"] = fuzzing.make_base(_FOLDER)
    return _BASE["base"]


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_files_open_safely(data: st.DataObject, _private_data_dir: Path) -> None:
    b = base()
    recipe = fuzzing.draw_recipe(lambda lo, hi: data.draw(st.integers(lo, hi)), len(b.data))
    mutated, journal = fuzzing.apply_recipe(b, recipe, _FOLDER)
    fuzzing.check_case(mutated, journal, _private_data_dir)


@pytest.mark.parametrize("plant", range(len(fuzzing.PLANTS)), ids=lambda i: fuzzing.PLANTS[i].split(" ")[1]
                         + "-" + str(i))
def test_every_planted_object(plant: int, _private_data_dir: Path) -> None:
    mutated, _ = fuzzing.apply_recipe(base(), ("plant", plant), _FOLDER)
    outcome = fuzzing.check_case(mutated, None, _private_data_dir)
    sql = fuzzing.PLANTS[plant]
    if "TEMP" in sql:  # lives only in the planting connection: the file does not even carry it
        assert outcome == "opened/opened", (sql, outcome)
    else:  # triggers, views, and tables or indexes of another tool, however plain: never ours
        assert outcome == "Damaged/Damaged", (sql, outcome)


@pytest.mark.parametrize("edit", range(len(fuzzing.SCHEMA_EDITS)))
def test_every_altered_table_definition_is_refused(edit: int, _private_data_dir: Path) -> None:
    mutated, _ = fuzzing.apply_recipe(base(), ("schema_edit", edit), _FOLDER)
    assert fuzzing.check_case(mutated, None, _private_data_dir) == "Damaged/Damaged"


@pytest.mark.parametrize(("value", "error"), [
    (2**31 - 1, errors.NewerVersion), (-1, errors.Damaged), (-(2**31), errors.Damaged), (0, errors.Damaged)])
def test_extreme_user_versions(value: int, error: type[errors.WorkbenchError], _private_data_dir: Path) -> None:
    mutated, _ = fuzzing.apply_recipe(base(), ("user_version", value), _FOLDER)
    path = _FOLDER / "uv.workbench"
    path.write_bytes(mutated)
    try:
        with pytest.raises(error):
            Workbench.open(path, Context(user="fuzz"), readonly=True)
    finally:
        path.unlink()


@pytest.mark.parametrize("whole", [True, False], ids=["whole-journal", "torn-journal"])
def test_foreign_hot_journal_is_refused_never_rolled_in_nor_deleted(whole: bool, _private_data_dir: Path) -> None:
    """A hot journal beside the file: another program is (or was) mid-transaction — refused both ways,
    and check_case proves the journal and the file are left byte for byte."""
    mutated, journal = fuzzing.apply_recipe(base(), ("hot_journal", int(whole)), _FOLDER)
    assert journal is not None and journal[:8] == bytes.fromhex("d9d505f920a163d7")
    assert fuzzing.check_case(mutated, journal, _private_data_dir) == "InUseElsewhere/InUseElsewhere"


def test_a_cold_journal_is_harmless_and_left_alone(_private_data_dir: Path) -> None:
    mutated, journal = fuzzing.apply_recipe(base(), ("hot_journal", 2), _FOLDER)
    assert fuzzing.check_case(mutated, journal, _private_data_dir) == "opened/opened"


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_lock_files(data: st.DataObject, _private_data_dir: Path) -> None:
    recipe = fuzzing.draw_lock_recipe(lambda lo, hi: data.draw(st.integers(lo, hi)))
    fuzzing.check_lock_case(base(), recipe, _private_data_dir)


@pytest.mark.parametrize("kind", fuzzing.LOCK_KINDS)
def test_every_kind_of_lock_file(kind: str, _private_data_dir: Path) -> None:
    outcome = fuzzing.check_lock_case(base(), (kind, 7), _private_data_dir)
    expected = {"foreign-host": "Locked", "dead-here": "opened", "controls": "opened"}.get(kind, "unreadable")
    assert outcome in (expected, "unreadable/unbreakable"), (kind, outcome)


@pytest.mark.parametrize("role", ["workbench", "source", "image"])
@pytest.mark.parametrize("kind", fuzzing.SPECIALS)
def test_special_files_in_every_role(kind: str, role: str, _private_data_dir: Path) -> None:
    assert fuzzing.check_special_case(kind, role, _private_data_dir) in ("NotAFile", "NotFound", "Unreadable")


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_hostile_images(data: st.DataObject) -> None:
    recipe = fuzzing.draw_image_recipe(lambda lo, hi: data.draw(st.integers(lo, hi)))
    fuzzing.check_image_case(fuzzing.make_image(recipe))
