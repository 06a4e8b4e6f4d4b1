"""Values other tools write for "nothing" import as nothing."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.values import Context
from workbench.exchange.interchange import FORMAT, ImportDocument
from workbench.session import Workbench


def test_an_empty_portrait_or_logo_is_no_picture(tmp_path: Path, ctx: Context) -> None:
    path = tmp_path / "w.workbench"
    Workbench.create(path, ctx)
    document = {"format": FORMAT, "version": 1, "workbench": {"logo": ""},
                "personas": [{"name": "Ada", "portrait": ""}]}
    with Workbench.open(path, ctx) as wb:
        wb.execute(ImportDocument(document))
        ada = wb.find_persona("Ada")
        assert ada is not None and not ada.has_portrait
        assert wb.logo() is None
