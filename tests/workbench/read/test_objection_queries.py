"""The lazy objection list's reads: the order (ids only) and rows by key agree with the full read.

The objection editor shows ``objection_order`` and reads rows with ``objection_rows_for`` a page at
a time; together they must give exactly what ``objections`` gives, in the display order (most often
heard first, then by text ignoring case, then id).
"""

from __future__ import annotations

from workbench.edit import commands as C
from workbench.edit.commands import FunctionCommand
from workbench.session import Workbench
from workbench.store.unit import Tx


def _seed(wb: Workbench) -> tuple[str, str]:
    """Two personas with objections whose order needs every sort key; returns their ids."""
    a = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    b = wb.execute(C.CreatePersona({"name": "Bo"})).extra["id"]

    def seed(tx: Tx) -> None:
        for pid, text, heard in ((a, "banana", 2), (a, "Apple", 2), (b, "apple", 2), (b, "cherry", 5),
                                 (a, "zebra", 0), (b, "Zebra", 0), (a, "date", 1)):
            C.CreateObjection(pid, text, f"Response to {text}", {"heard_count": heard}).apply(tx)

    wb.execute(FunctionCommand(seed, "Seed"))
    return a, b


def _expected(wb: Workbench, persona_id: str | None = None) -> list[str]:
    views = wb.objections(persona_id)
    return [o.id for o in sorted(views, key=lambda o: (-o.heard_count, o.objection.lower(), o.id))]


def test_order_is_most_heard_then_text_ignoring_case(wb: Workbench) -> None:
    a, b = _seed(wb)
    order = wb.objection_order()
    assert order == _expected(wb)
    texts = {o.id: o.objection for o in wb.objections()}
    shown = [texts[i] for i in order]
    assert shown[0] == "cherry" and shown[3:5] == ["banana", "date"]
    assert sorted(shown[1:3]) == ["Apple", "apple"] and sorted(shown[5:]) == ["Zebra", "zebra"]
    assert order[1] < order[2] and order[5] < order[6]  # same count and text ignoring case: by id
    assert wb.objection_order(a) == _expected(wb, a) and wb.objection_order(b) == _expected(wb, b)
    assert set(wb.objection_order(a)) | set(wb.objection_order(b)) == set(order)
    assert wb.objection_order("no such persona") == []


def test_rows_by_key_match_the_full_read_in_the_order_given(wb: Workbench) -> None:
    _seed(wb)
    everyone = {o.id: o for o in wb.objections()}
    order = wb.objection_order()
    assert wb.objection_rows_for(order) == [everyone[i] for i in order]
    picked = [order[3], "gone", order[0]]
    assert wb.objection_rows_for(picked) == [everyone[order[3]], everyone[order[0]]]
    assert wb.objection_rows_for([]) == []


def test_rows_by_key_in_chunks(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Many"})).extra["id"]

    def seed(tx: Tx) -> None:
        for i in range(1203):
            C.CreateObjection(pid, f"Objection {i}", "", {"heard_count": i % 7}).apply(tx)

    wb.execute(FunctionCommand(seed, "Seed"))
    order = wb.objection_order(pid)
    assert len(order) == 1203 and order == _expected(wb, pid)
    rows = wb.objection_rows_for(order)  # more than one IN list of 500
    assert [o.id for o in rows] == order
    assert {o.id: o for o in rows} == {o.id: o for o in wb.objections(pid)}
