"""Fixtures for playbook tests: workbenches built once per session (tests only read them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbench.publish.pdf.builders import (
    build_huge,
    build_pasted,
    build_small,
    build_world,
    make_context,
)


@pytest.fixture(scope="session")
def small_workbench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small workbench with approved, draft, in-force and retired content (read-only in tests)."""
    return build_small(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="session")
def world_workbench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seven personas in seven scripts, with lists in messages and cards that cross pages."""
    return build_world(tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="session")
def sample_workbench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample a first-time user sees (Tillwright's four personas): what real playbooks look like."""
    from workbench.exchange.sample import create_sample

    path = tmp_path_factory.mktemp("sample") / "sample.workbench"
    create_sample(path, make_context())
    return path


@pytest.fixture(scope="session")
def pasted_workbench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Markdown people paste: a table, fenced and indented code, images, nested lists."""
    return build_pasted(tmp_path_factory.mktemp("pasted"))


@pytest.fixture(scope="session")
def huge_workbench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two personas with every field far bigger than a page."""
    return build_huge(tmp_path_factory.mktemp("huge"))
