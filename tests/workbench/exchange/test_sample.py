"""The sample content is what a first-time user sees: it must meet the brief and stay clean."""

from __future__ import annotations

from workbench.session import Workbench


def test_sample_meets_the_brief(sample: Workbench) -> None:
    personas = sample.personas()
    assert len(personas) >= 3
    for p in personas:
        assert len(p.story) >= 400, p.name
        assert p.mql and p.sql, p.name
    assert len(sample.channels()) >= 4
    messages = sample.messages()
    approved = [m for m in messages if m.status == "approved"]
    assert len({m.stage for m in approved}) >= 2
    assert any(m.channel_name == "Sales script" and m.status == "approved" for m in messages)
    terms = {t.term.lower(): t for t in sample.terms()}
    assert len(terms) >= 3
    assert terms["contract"].kind == "avoid" and terms["contract"].replacement == "paperwork"
    objections = sample.objections()
    assert len(objections) >= 3 and all(o.response for o in objections)


def test_approved_sample_messages_are_clean(sample: Workbench) -> None:
    breaches = [p for p in sample.problems() if p.kind == "breach"]
    assert breaches, "the sample shows the lingo checker at work on a draft"
    approved_ids = {m.id for m in sample.messages() if m.status == "approved"}
    assert not [p for p in breaches if p.message_id in approved_ids]
