"""Fixtures for playbook tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbench.publish.pdf.builders import build_small


@pytest.fixture(scope="session")
def small_workbench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small workbench with approved, draft, in-force and retired content (read-only in tests)."""
    return build_small(tmp_path_factory.mktemp("small"))
