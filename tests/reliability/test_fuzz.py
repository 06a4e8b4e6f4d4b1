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
    elif "TRIGGER" in sql or "VIEW" in sql or "evil" in sql:
        assert outcome == "Damaged/Damaged", (sql, outcome)
    else:  # a plain extra index or table is merely unusual
        assert outcome == "opened/opened", (sql, outcome)


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
def test_foreign_hot_journal_is_never_rolled_in(whole: bool, _private_data_dir: Path) -> None:
    mutated, journal = fuzzing.apply_recipe(base(), ("hot_journal", int(whole)), _FOLDER)
    assert fuzzing.check_case(mutated, journal, _private_data_dir) == "opened/opened"
