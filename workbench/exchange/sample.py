"""The sample workbench a first-time user opens: Tillwright Software's storied personas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench import resources
from workbench.domain.values import Context
from workbench.exchange.interchange import ImportDocument
from workbench.session import Workbench


def sample_document() -> Any:
    """The sample content as an interchange document (``resources/sample/sample.json``)."""
    return json.loads(resources.path("sample", "sample.json").read_text("utf-8"))


def create_sample(path: Path | str, ctx: Context | None = None, *, name: str | None = None) -> None:
    """Create a new workbench file at ``path`` holding the sample content (refusing to overwrite)."""
    def fill(wb: Workbench) -> None:
        wb.execute(ImportDocument(sample_document(), label="Load Sample"))

    Workbench.create(path, ctx, name=name, fill=fill)
