"""Shared test setup: offscreen Qt, private data folders, deterministic clock and ids."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

import pytest

from workbench.domain.values import Context
from workbench.exchange.sample import create_sample
from workbench.session import Workbench

FIXED_START = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


class FakeClock:
    """A clock that ticks one second per call, from a fixed start."""

    def __init__(self, start: datetime = FIXED_START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now

    def advance(self, seconds: float) -> None:
        """Jump ahead."""
        self.now += timedelta(seconds=seconds)


class SeqIds:
    """Deterministic UUIDs: 00000000-0000-4000-8000-000000000001, …"""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return str(uuid.UUID(int=(0x4000 << 64) | (0x8 << 60) | self.n))


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Working copies never go to the real user data folder."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("PERSONA_WORKBENCH_DATA", str(folder))
    return folder


@pytest.fixture(autouse=True)
def _attended_by_default() -> Iterator[None]:
    """A command-line test switches on unattended mode (main.run_cli does); the next test starts as
    the app does, with edits kept and offered again."""
    from workbench.store.sqlite import storage

    yield
    storage.set_unattended(False)


@pytest.fixture
def clock() -> FakeClock:
    """The injected clock."""
    return FakeClock()


@pytest.fixture
def ctx(clock: FakeClock) -> Context:
    """A context with a fixed user, fake clock and sequential ids."""
    return Context(user="tester", clock=clock, new_id=SeqIds())


@pytest.fixture
def wb_path(tmp_path: Path, ctx: Context) -> Path:
    """A new empty workbench file (default channels only)."""
    path = tmp_path / "test.workbench"
    Workbench.create(path, ctx)
    return path


@pytest.fixture
def sample_path(tmp_path: Path, ctx: Context) -> Path:
    """A new workbench file with the sample content."""
    path = tmp_path / "sample.workbench"
    create_sample(path, ctx)
    return path


@pytest.fixture
def wb(wb_path: Path, ctx: Context) -> Iterator[Workbench]:
    """The empty workbench, open for editing."""
    bench = Workbench.open(wb_path, ctx)
    yield bench
    bench.close()


@pytest.fixture
def sample(sample_path: Path, ctx: Context) -> Iterator[Workbench]:
    """The sample workbench, open for editing."""
    bench = Workbench.open(sample_path, ctx)
    yield bench
    bench.close()


def make_png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    """A small valid PNG, written without any imaging library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    raw = row * height
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def png_bytes() -> bytes:
    """A tiny PNG portrait."""
    return make_png()
