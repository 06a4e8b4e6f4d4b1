"""Fixtures for PDF playbook tests: the multi-script workbench printed once per session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from workbench.publish import ExportSummary, PlaybookOptions, export_playbook
from workbench.session import Workbench


@dataclass(frozen=True)
class Printed:
    """A printed playbook and what its export reported."""

    pdf: Path
    summary: ExportSummary | None


@pytest.fixture(scope="session")
def world_pdf(world_workbench: Path, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """The seven-script workbench as a PDF (A4, deterministic)."""
    out = tmp_path_factory.mktemp("world-pdf") / "world.pdf"
    with Workbench.open(world_workbench, readonly=True) as wb:
        run = export_playbook(wb, out, PlaybookOptions(invariant=True, export_date=date(2026, 11, 23)))
        for _ in run:
            pass
    return Printed(out, getattr(run, "summary", None))
