"""Frozen, plain views of workbench rows: what crosses from the core into the UI, CLI and exports.

Live ORM objects never leave the core; these are cheap to copy between threads and safe to hold.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.domain.lingo import Breach


def _default_user() -> str:
    import os

    override = os.environ.get("PERSONA_WORKBENCH_USER", "").strip()
    if override:  # who the command line records as the author of its changes
        return override
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no passwd entry (containers) — still record *someone*
        return "unknown"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _uuid4() -> str:
    import uuid  # on first use: importing it costs ≈ 5 ms of start-up (it loads `platform`)

    return str(uuid.uuid4())


@dataclass(frozen=True)
class Context:
    """Who is editing, and the clock and id generator every command uses (injected in tests)."""

    user: str = field(default_factory=_default_user)
    clock: Callable[[], datetime] = _utc_now
    new_id: Callable[[], str] = _uuid4

    def now(self) -> str:
        """The current time as ISO 8601 with seconds and offset, e.g. ``2026-11-23T19:10:00+00:00``."""
        return self.clock().replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class WorkbenchInfo:
    """The workbench's own fields."""

    id: str
    name: str
    organization: str
    narrative: str
    has_logo: bool
    updated_at: str
    updated_by: str


@dataclass(frozen=True)
class ChannelView:
    """A channel."""

    id: str
    name: str
    guidance: str
    position: int


@dataclass(frozen=True)
class PersonaSummary:
    """What a list of personas shows."""

    id: str
    name: str
    role: str
    organization: str
    status: str
    has_portrait: bool
    updated_at: str


@dataclass(frozen=True)
class PersonaView:
    """Every field of a persona (list fields as tuples); the portrait itself is fetched separately."""

    id: str
    name: str
    role: str
    organization: str
    industry: str
    location: str
    story: str
    motivations: tuple[str, ...]
    worries: tuple[str, ...]
    goals: tuple[str, ...]
    technology_comfort: int | None
    preferred_channels: tuple[str, ...]
    avoid_channels: tuple[str, ...]
    gatekeepers: tuple[str, ...]
    do: tuple[str, ...]
    dont: tuple[str, ...]
    voice: str
    mql: str
    sql: str
    tags: tuple[str, ...]
    status: str
    owner: str
    has_portrait: bool
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str


@dataclass(frozen=True)
class MessageText:
    """The approved text in force for a message (what playbooks and hand-offs use)."""

    headline: str
    body: str
    call_to_action: str
    approved_by: str
    approved_at: str
    override_reason: str


@dataclass(frozen=True)
class MessageView:
    """A message: its working text and status, and the approved text in force (if any)."""

    id: str
    persona_id: str
    channel_id: str
    channel_name: str
    stage: str
    headline: str
    body: str
    call_to_action: str
    notes: str
    status: str
    approved_by: str
    approved_at: str
    override_reason: str
    in_force: MessageText | None
    breach_count: int
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str


@dataclass(frozen=True)
class RevisionView:
    """An earlier text of a message."""

    id: str
    message_id: str
    seq: int
    headline: str
    body: str
    call_to_action: str
    notes: str
    status: str
    approved_by: str
    approved_at: str
    override_reason: str
    saved_at: str
    saved_by: str


@dataclass(frozen=True)
class TermView:
    """A vocabulary entry."""

    id: str
    term: str
    kind: str
    replacement: str
    note: str
    persona_id: str | None


@dataclass(frozen=True)
class ObjectionView:
    """An objection heard by sales, and the approved response."""

    id: str
    persona_id: str
    objection: str
    response: str
    heard_count: int
    heard_by: str
    last_heard: str


COVERAGE_STATES: tuple[str, ...] = ("none", "draft", "in_review", "approved", "breach")


@dataclass(frozen=True)
class CoverageMatrix:
    """Persona × channel × stage → state (``none``/``draft``/``in_review``/``approved``/``breach``).

    ``cells`` holds only cells that have messages; everything else is ``none``.
    """

    personas: tuple[PersonaSummary, ...]
    channels: tuple[ChannelView, ...]
    stages: tuple[str, ...]
    cells: dict[tuple[str, str, str], str]

    def state(self, persona_id: str, channel_id: str, stage: str | None = None) -> str:
        """One cell's state; with ``stage=None``, the channel's state across all stages (worst wins:
        breach, then none-anywhere counts as the best state found)."""
        if stage is not None:
            return self.cells.get((persona_id, channel_id, stage), "none")
        states = [self.cells.get((persona_id, channel_id, s), "none") for s in self.stages]
        if "breach" in states:
            return "breach"
        for candidate in ("approved", "in_review", "draft"):
            if candidate in states:
                return candidate
        return "none"


@dataclass(frozen=True)
class CoverageSummary:
    """How many matrix cells are in each state, for every stage filter — a view's totals line.

    Counted in SQL (:func:`workbench.read.queries.coverage_summary`) so a lazily loaded matrix can say
    "9 of 20 cells approved" without reading every row. ``by_stage[stage][state]`` counts the
    persona × channel cells of one stage; ``across_stages[state]`` counts persona × channel pairs by
    the all-stages rule of :meth:`CoverageMatrix.state`. Every state of :data:`COVERAGE_STATES` is
    present, ``none`` included, so each mapping adds up to :attr:`cells`.
    """

    personas: int
    channels: int
    by_stage: dict[str, dict[str, int]]
    across_stages: dict[str, int]

    @property
    def cells(self) -> int:
        """Cells the matrix shows for any one stage filter (personas × channels)."""
        return self.personas * self.channels

    def count(self, state: str, stage: str | None = None) -> int:
        """Cells in ``state`` for one stage, or for the all-stages view when ``stage`` is None."""
        counts = self.across_stages if stage is None else self.by_stage.get(stage)
        if counts is None:  # a stage the matrix does not list: nothing is there
            return self.cells if state == "none" else 0
        return counts.get(state, 0)


@dataclass(frozen=True)
class Problem:
    """An entry in the problems panel / ``check`` output.

    ``kind``: ``breach`` (a message breaks the lingo), ``accepted`` (approved with an override —
    informational), ``persona`` (a persona's own text uses an avoided term), ``gap`` (a preferred
    channel of an approved persona has no approved message).
    """

    kind: str
    text: str
    persona_id: str | None = None
    channel_id: str | None = None
    stage: str | None = None
    message_id: str | None = None
    breach: Breach | None = None

    @property
    def blocking(self) -> bool:
        """Whether ``check`` should fail for this problem."""
        return self.kind in ("breach", "gap")


@dataclass(frozen=True)
class Counts:
    """Numbers for ``info`` and the status bar."""

    personas: int
    approved_personas: int
    channels: int
    messages: dict[str, int]
    terms: int
    objections: int
    revisions: int
