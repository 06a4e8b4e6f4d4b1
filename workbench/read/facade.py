"""The read methods every open workbench offers: each one query of this package, run in a fresh
transaction of whatever store holds the workbench.

:class:`Reads` is a mixin: a session provides :meth:`Reads.read` (an ORM session) and
:meth:`Reads.read_rows` (plain portable SQL, see :mod:`workbench.read.rows`); everything else here
is defined in terms of those two, so the app, the command line and the exports read the same way
whether the workbench is a file or a team server.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from workbench.read import coverage as _coverage
from workbench.read import lingo as _lingo
from workbench.read import messages as _messages
from workbench.read import objections as _objections
from workbench.read import personas as _personas
from workbench.read import problems as _problems
from workbench.read import workbench as _workbench

if TYPE_CHECKING:
    from workbench.domain.lingo import Breach, Checker
    from workbench.domain.values import (
        ChannelView,
        Counts,
        CoverageMatrix,
        CoverageSummary,
        MessageView,
        ObjectionView,
        PersonaSummary,
        PersonaView,
        Problem,
        RevisionView,
        SearchHit,
        TermView,
        WorkbenchInfo,
    )

T = TypeVar("T")


class Reads:
    """Read methods over :meth:`read` / :meth:`read_rows` / :meth:`read_both` (provided by a session)."""

    def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(orm_session, *args)`` in a fresh read transaction."""
        raise NotImplementedError

    def read_rows(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(rows, *args)`` (plain SQL, :mod:`workbench.read.rows`) in a fresh read transaction."""
        raise NotImplementedError

    def read_both(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(orm_session, rows, *args)`` in a fresh read transaction."""
        raise NotImplementedError

    def search(self, text: str, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[SearchHit]:
        """Full-text search across personas, messages, objections and terms."""
        raise NotImplementedError

    # --- the workbench itself -----------------------------------------------------------------

    def info(self) -> WorkbenchInfo:
        """The workbench's name, organisation and narrative."""
        return self.read_rows(_workbench.info)

    def logo(self) -> bytes | None:
        """The logo's bytes."""
        return self.read(_workbench.logo)

    def channels(self) -> list[ChannelView]:
        """Channels in order."""
        return self.read_rows(_workbench.channels)

    def counts(self) -> Counts:
        """Totals."""
        return self.read_rows(_workbench.counts)

    def term_kinds(self) -> dict[str, int]:
        """Lingo terms of each kind."""
        return self.read_rows(_workbench.term_kinds)

    def message_counts_by_channel(self) -> dict[str, int]:
        """Channel id → number of messages."""
        return self.read_rows(_workbench.message_counts_by_channel)

    # --- personas -----------------------------------------------------------------------------

    def persona_summaries(self, offset: int = 0, limit: int | None = None) -> list[PersonaSummary]:
        """Personas for lists (paged)."""
        return self.read_rows(_personas.persona_summaries, offset, limit)

    def persona_count(self) -> int:
        """Number of personas."""
        return self.read_rows(_personas.persona_count)

    def persona_order(self) -> list[str]:
        """Every persona id in list order (lazy lists fetch pages with :meth:`persona_summaries_for`)."""
        return self.read_rows(_personas.persona_order)

    def persona_summaries_for(self, ids: Sequence[str]) -> list[PersonaSummary]:
        """Summaries of the given personas, in the order given."""
        return self.read_rows(_personas.persona_summaries_for, ids)

    def persona(self, persona_id: str) -> PersonaView | None:
        """One persona."""
        return self.read(_personas.persona, persona_id)

    def personas(self, ids: Sequence[str] | None = None) -> list[PersonaView]:
        """Full persona views."""
        return self.read(_personas.personas, ids)

    def find_persona(self, id_or_name: str) -> PersonaView | None:
        """A persona by id or exact name."""
        return self.read(_personas.find_persona, id_or_name)

    def portrait(self, persona_id: str) -> bytes | None:
        """A persona's portrait bytes."""
        return self.read_rows(_personas.portrait, persona_id)

    # --- messages and lingo -------------------------------------------------------------------

    def messages(self, persona_id: str | None = None, channel_id: str | None = None,
                 stage: str | None = None) -> list[MessageView]:
        """Messages, filtered."""
        return self.read(_messages.messages, persona_id, channel_id, stage)

    def message(self, message_id: str) -> MessageView | None:
        """One message."""
        return self.read(_messages.message, message_id)

    def revisions(self, message_id: str) -> list[RevisionView]:
        """A message's earlier texts, oldest first."""
        return self.read(_messages.revisions, message_id)

    def terms(self) -> list[TermView]:
        """The vocabulary."""
        return self.read(_lingo.terms)

    def checker(self) -> Checker:
        """A lingo checker over the current vocabulary."""
        return self.read(_lingo.checker)

    def message_breaches(self, message_id: str, fields: dict[str, str] | None = None) -> list[Breach]:
        """Breaches of a message's text (or of unsaved ``fields``)."""
        def run(s: Any) -> list[Breach]:
            m = _messages.message(s, message_id)
            return [] if m is None else _lingo.message_breaches(s, m, fields=fields)
        return self.read(run)

    # --- objections ---------------------------------------------------------------------------

    def objections(self, persona_id: str | None = None) -> list[ObjectionView]:
        """Objections, most often heard first."""
        return self.read_rows(_objections.objections, persona_id)

    def objection_order(self, persona_id: str | None = None) -> list[str]:
        """Objection ids in display order, for lazy lists; rows by :meth:`objection_rows_for`."""
        return self.read_rows(_objections.objection_order, persona_id)

    def objection_rows_for(self, ids: Sequence[str]) -> list[ObjectionView]:
        """The given objections, in the order given (a page of a lazy list)."""
        return self.read_rows(_objections.objection_rows_for, ids)

    # --- coverage and problems ----------------------------------------------------------------

    def coverage(self) -> CoverageMatrix:
        """The coverage matrix."""
        return self.read_both(_coverage.coverage)

    def coverage_for(self, persona_ids: Sequence[str]) -> CoverageMatrix:
        """The matrix rows of some personas (a lazy view's screen), in the order given."""
        return self.read_rows(_coverage.coverage_for, persona_ids)

    def coverage_summary(self) -> CoverageSummary:
        """Cells per state for every stage filter (a view's totals line)."""
        return self.read_rows(_coverage.coverage_summary)

    def coverage_counts(self) -> dict[str, int]:
        """How many cells are in each state."""
        return self.read_rows(_coverage.coverage_counts)

    def problems(self, *, fresh: bool = False) -> list[Problem]:
        """Lingo breaches and coverage gaps (``fresh``: re-check every message, for ``check``)."""
        return self.read_both(_problems.problems, fresh)
