"""Frozen, plain views of workbench rows: what crosses from the core into the UI, CLI and exports.

Live ORM objects never leave the core; these are cheap to copy between threads and safe to hold.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
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
    #: The row's version when read: a command that changes the row may state it (see
    #: :class:`workbench.domain.errors.Conflict`).
    version: int = 0


@dataclass(frozen=True)
class ChannelView:
    """A channel."""

    id: str
    name: str
    guidance: str
    position: int
    #: The row's version when read: a command that changes the row may state it (see
    #: :class:`workbench.domain.errors.Conflict`).
    version: int = 0


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
    #: The row's version when read: a command that changes the row may state it (see
    #: :class:`workbench.domain.errors.Conflict`).
    version: int = 0


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
    #: The row's version when read: a command that changes the row may state it (see
    #: :class:`workbench.domain.errors.Conflict`).
    version: int = 0


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
    #: The row's version when read: a command that changes the row may state it (see
    #: :class:`workbench.domain.errors.Conflict`).
    version: int = 0


@dataclass(frozen=True)
class TermView:
    """A vocabulary entry."""

    id: str
    term: str
    kind: str
    replacement: str
    note: str
    persona_id: str | None
    #: The row's version when read: a command that changes the row may state it (see
    #: :class:`workbench.domain.errors.Conflict`).
    version: int = 0


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
    #: The row's version when read: a command that changes the row may state it (see
    #: :class:`workbench.domain.errors.Conflict`).
    version: int = 0


#: Search snippets mark each match between these two private-use characters.
HIT_START = "\ue000"
HIT_END = "\ue001"


@dataclass(frozen=True)
class SearchHit:
    """One ranked search result. Snippets mark matches with :data:`HIT_START`/:data:`HIT_END`."""

    kind: str
    item_id: str
    title: str
    snippet: str
    rank: float


#: The states of one coverage cell (persona × channel × stage), least advanced first; ``breach``: a
#: message there breaks the lingo. The matrix's all-stages view adds :data:`PARTIAL`; a channel the
#: persona avoids is :data:`AVOIDED` — not a cell at all (it never counts, not even as missing).
COVERAGE_STATES: tuple[str, ...] = ("none", "draft", "in_review", "approved", "breach")
PARTIAL = "partial"
AVOIDED = "avoided"


@dataclass(frozen=True)
class CoverageMatrix:
    """Persona × channel × stage → state, the one definition of coverage used everywhere.

    A *cell* is one persona × channel × stage; channels a persona avoids are not cells (their
    state is :data:`AVOIDED`). A cell is ``approved`` when a message there has approved text in
    force (a draft waiting to replace it does not matter), ``breach`` when a message there breaks
    the lingo without an accepted override, else the status of its most advanced message, else
    ``none``. ``cells`` holds only cells that have messages; ``avoided`` each persona's avoided
    channel ids.
    """

    personas: tuple[PersonaSummary, ...]
    channels: tuple[ChannelView, ...]
    stages: tuple[str, ...]
    cells: dict[tuple[str, str, str], str]
    avoided: dict[str, frozenset[str]] = field(default_factory=dict)

    def state(self, persona_id: str, channel_id: str, stage: str | None = None) -> str:
        """One cell's state; with ``stage=None``, the persona × channel pair across every stage:
        ``breach`` if any stage breaks the lingo, ``approved`` only when every stage is, ``partial``
        when some stages have messages but not all are approved, else ``none``."""
        if channel_id in self.avoided.get(persona_id, ()):
            return AVOIDED
        if stage is not None:
            return self.cells.get((persona_id, channel_id, stage), "none")
        states = self.stage_states(persona_id, channel_id)
        if "breach" in states:
            return "breach"
        if all(s == "approved" for s in states):
            return "approved"
        return PARTIAL if any(s != "none" for s in states) else "none"

    def stage_states(self, persona_id: str, channel_id: str) -> list[str]:
        """The state of each stage's cell of one persona × channel pair, in stage order."""
        return [self.cells.get((persona_id, channel_id, s), "none") for s in self.stages]

    def approved_stages(self, persona_id: str, channel_id: str) -> int:
        """How many of the pair's stage cells are approved (the all-stages view shows "3/4")."""
        return sum(1 for s in self.stage_states(persona_id, channel_id) if s == "approved")


@dataclass(frozen=True)
class CoverageSummary:
    """How many coverage cells are in each state — a view's totals line, ``info`` and the status bar.

    Counted in SQL (:func:`workbench.read.coverage.coverage_summary`) so a lazily loaded matrix can
    say "9 of 20 cells approved" without reading every row. ``by_stage[stage][state]`` counts the
    cells of one stage; :meth:`count` with no stage adds up every stage — the same cells, so the
    all-stages totals are never more generous than the stages they are made of. Avoided channels are
    not cells; every state of :data:`COVERAGE_STATES` is present, ``none`` included.
    """

    personas: int
    channels: int
    by_stage: dict[str, dict[str, int]]
    #: Persona × channel pairs that are not cells because the persona avoids the channel.
    avoided_pairs: int = 0

    def total(self, stage: str | None = None) -> int:
        """Cells for one stage (personas × channels − avoided), or for every stage together."""
        per_stage = self.personas * self.channels - self.avoided_pairs
        return per_stage if stage is not None else per_stage * len(self.by_stage)

    def count(self, state: str, stage: str | None = None) -> int:
        """Cells in ``state`` for one stage, or for every stage together when ``stage`` is None."""
        if stage is None:
            return sum(counts.get(state, 0) for counts in self.by_stage.values())
        counts = self.by_stage.get(stage)
        if counts is None:  # a stage the matrix does not list: nothing is there
            return self.total(stage) if state == "none" else 0
        return counts.get(state, 0)


#: Problem kinds that fail ``check`` — the one count the status bar, the problems panel and the
#: command line all show.
BLOCKING_PROBLEMS = frozenset({"breach", "channel", "persona", "gap"})


@dataclass(frozen=True)
class Problem:
    """An entry in the problems panel / ``check`` output.

    ``kind``: ``breach`` (a message breaks the lingo), ``channel`` (a message is on a channel its
    persona avoids), ``accepted`` (approved with an override — informational), ``persona`` (a
    persona's own text uses an avoided term), ``gap`` (a cell on a preferred channel of an approved
    persona — persona × channel × stage — has no approved text; ``stage`` names it).
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
        """Whether ``check`` should fail for this problem (and the status bar counts it)."""
        return self.kind in BLOCKING_PROBLEMS


#: How each kind of problem is counted in words (singular, plural), in the order summaries list them.
PROBLEM_WORDS: dict[str, tuple[str, str]] = {
    "breach": ("lingo breach", "lingo breaches"),
    "persona": ("breach in a persona's own text", "breaches in personas' own text"),
    "channel": ("message on an avoided channel", "messages on avoided channels"),
    "gap": ("coverage gap", "coverage gaps"),
    "accepted": ("accepted override", "accepted overrides"),
}


def problems_summary(problems: Sequence[Problem]) -> str:
    """One line for every place that counts problems (panel header, status bar, ``check``), e.g.
    "3 problems: 2 lingo breaches, 1 coverage gap" — blocking ones only; "No problems" when none."""
    blocking = [p for p in problems if p.blocking]
    if not blocking:
        return "No problems"
    parts = []
    for kind, (one, many) in PROBLEM_WORDS.items():
        n = sum(1 for p in blocking if p.kind == kind)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return f"{len(blocking)} problem{'' if len(blocking) == 1 else 's'}: {', '.join(parts)}"


@dataclass(frozen=True)
class Counts:
    """Numbers for ``info`` and the status bar."""

    personas: int
    approved_personas: int
    channels: int
    #: Messages by what is in force: ``approved`` counts every message whose approved text is in
    #: force (also while a new draft of it waits); ``draft``/``in_review`` only those with nothing
    #: approved in force; ``retired``. They add up to all messages.
    messages: dict[str, int]
    terms: int
    objections: int
    revisions: int
    #: Approved messages with a new draft waiting to replace the text in force.
    pending_drafts: int = 0
