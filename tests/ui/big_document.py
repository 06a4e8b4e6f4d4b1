"""A deterministic interchange document of any size, for tests of big imports (like bench's, smaller)."""

from __future__ import annotations

import random
import uuid
from typing import Any

#: The four default channels every workbench has, plus two the document brings: 6 × 4 stages.
CHANNELS = ("Ads", "PR", "Direct mail", "Sales script", "Email", "Social")
STAGES = ("awareness", "consideration", "decision", "retention")
WORDS = ("grower dealer season delivery ticket paperwork office family legacy harvest fertilizer trust "
         "proof story visit letter demo trial rollout report numbers field yard truck driver invoice "
         "the of and to a in that is for it on with as was at by this be from or have").split()


def _prose(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def big_document(personas: int, seed: int = 7, story_words: int = 200, body_words: int = 60) -> dict[str, Any]:
    """``personas`` personas with a message for every channel × stage (24 each), a term and an
    objection each: about 26 rows per persona, every one a row image of the import's change."""
    rng = random.Random(seed)
    doc: dict[str, Any] = {"format": "persona-workbench", "version": 1,
                           "channels": [{"name": "Email"}, {"name": "Social"}],
                           "personas": [], "messages": [], "terms": [], "objections": []}
    for i in range(personas):
        pid = str(uuid.UUID(int=(seed << 96) | i))
        doc["personas"].append({"id": pid, "name": f"Persona {i:05d}", "role": "Owner",
                                "story": _prose(rng, story_words), "goals": [_prose(rng, 8)]})
        for channel in CHANNELS:
            for stage in STAGES:
                doc["messages"].append({"persona": pid, "channel": channel, "stage": stage,
                                        "headline": _prose(rng, 6), "body": _prose(rng, body_words)})
        doc["terms"].append({"term": f"term{i:05d}", "kind": "avoid", "persona": pid})
        doc["objections"].append({"persona": pid, "objection": _prose(rng, 10), "response": _prose(rng, 20)})
    return doc
