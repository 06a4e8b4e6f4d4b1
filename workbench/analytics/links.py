"""Tagged links: each channel's UTM conventions, the link builder and the lint behind ``check``.

A tagged link is the message's landing URL plus ``utm_source``, ``utm_medium``, ``utm_campaign`` and
``utm_content=CODE``. Tag values are lowercase with no spaces (analytics tools treat ``Spring`` and
``spring`` as two campaigns, so one capital splits a report in two). The rest of the landing URL —
its path, its own query parameters, its ``#fragment`` — is kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote_plus, urlsplit

from workbench.analytics.codes import check_code, is_valid_code
from workbench.analytics.errors import BadLink

#: The parameters the builder owns: any of them already in a landing URL is replaced, never doubled.
TAG_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


@dataclass(frozen=True)
class Convention:
    """How one channel tags its links: the allowed ``utm_source`` values, each with its medium.

    The first pair is the default (what the link builder uses when a message names no source). E.g.
    Ads: ``(("google", "cpc"), ("meta", "paid_social"), ("linkedin", "paid_social"))``.
    """

    channel: str
    sources: tuple[tuple[str, str], ...]

    @property
    def source(self) -> str:
        """The default ``utm_source``."""
        return self.sources[0][0]

    @property
    def medium(self) -> str:
        """The default ``utm_medium``."""
        return self.sources[0][1]

    def allows(self, source: str) -> bool:
        """Whether ``source`` is allowed (compared as given: pass it through :func:`tag_value` first)."""
        return any(s == source for s, _ in self.sources)

    def medium_for(self, source: str) -> str:
        """The medium this channel pairs with ``source`` (the default medium for an unknown source)."""
        for s, m in self.sources:
            if s == source:
                return m
        return self.medium


#: Conventions of the default channels (and the common Email channel), keyed by channel name
#: casefolded. The workbench may store its own; these are what a new workbench starts with.
DEFAULT_CONVENTIONS: Mapping[str, Convention] = {
    "ads": Convention("Ads", (("google", "cpc"), ("meta", "paid_social"), ("linkedin", "paid_social"))),
    "email": Convention("Email", (("newsletter", "email"),)),
    "pr": Convention("PR", (("press", "pr"),)),
    "direct mail": Convention("Direct mail", (("direct_mail", "print"),)),
    "sales script": Convention("Sales script", (("sales", "email"),)),
}


def tag_value(text: str) -> str:
    """``text`` as a tag value: trimmed, lowercase, each run of whitespace one ``_``.

    ``_`` rather than ``-`` because GA4's own default values use it (``paid_social``, ``cross-network``
    excepted) and a hyphen already appears inside campaign names people type (``q3-launch``).
    """
    return "_".join(text.lower().split())


def convention_for(channel: str, conventions: Mapping[str, Convention] | None = None) -> Convention:
    """The convention of ``channel``: the stored (or default) one, else the channel's name as both
    source and medium (``Trade shows`` → ``trade_shows``/``trade_shows``) so every link is tagged."""
    table = DEFAULT_CONVENTIONS if conventions is None else conventions
    found = table.get(channel.strip().casefold())
    if found is not None:
        return found
    slug = tag_value(channel) or "other"
    return Convention(channel, ((slug, slug),))


def _quote_part(text: str, safe: str) -> str:
    """Percent-encode what must be encoded in one URL part, leaving existing ``%XX`` escapes alone."""
    return quote(text, safe=safe + "%")


def _check_landing(landing: str) -> tuple[str, str, str, str, str]:
    """Split a landing URL, or raise :class:`BadLink` when it cannot carry tags."""
    text = landing.strip()
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # e.g. an unbalanced '[' in the host
        raise BadLink(f"'{landing}' is not a valid URL ({exc}).") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise BadLink(f"'{landing}' is not a web address: a landing URL starts with http:// or https://.")
    return parts.scheme.lower(), parts.netloc, parts.path, parts.query, parts.fragment


def build_link(landing: str, *, source: str, medium: str, campaign: str, code: str) -> str:
    """The tagged link: ``landing`` with the four UTM parameters appended to its query.

    Values go through :func:`tag_value` and are percent-encoded; the landing URL's own query
    parameters stay (in order, as written) except earlier ``utm_source/medium/campaign/content``, which
    these replace; the ``#fragment`` stays last. An empty campaign is left out (``check`` reports it)
    rather than written as ``utm_campaign=``. Raises :class:`BadLink` for a landing URL that is not
    http(s) with a host and :class:`workbench.analytics.errors.BadCode` for a malformed code.
    """
    scheme, netloc, path, query, fragment = _check_landing(landing)
    code = check_code(code)
    kept = [piece for piece in query.split("&")
            if piece and unquote_plus(piece.split("=", 1)[0]).lower() not in TAG_KEYS]
    tags = [("utm_source", tag_value(source)), ("utm_medium", tag_value(medium)),
            ("utm_campaign", tag_value(campaign)), ("utm_content", code)]
    pieces = [_quote_part(p, "=&+:/?@!$'()*,;~") for p in kept]
    pieces += [f"{k}={quote(v, safe='')}" for k, v in tags if v]
    path = _quote_part(path or "/", "/:@!$&'()*+,;=~")
    url = f"{scheme}://{netloc}{path}?{'&'.join(pieces)}"
    if fragment:
        url += "#" + _quote_part(fragment, "/?:@!$&'()*+,;=~#")
    return url


def link_for(landing: str, convention: Convention, campaign: str, code: str, source: str = "") -> str:
    """The tagged link of a message on a channel: ``source`` (default: the convention's default) with
    the medium the convention pairs with it."""
    chosen = source or convention.source
    return build_link(landing, source=chosen, medium=convention.medium_for(tag_value(chosen)),
                      campaign=campaign, code=code)


# --- the lint -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkSpec:
    """What one message's link is made of, as stored (before normalising), for :func:`check_tagging`.

    ``subject`` is whatever names the message to the person (its id, or "Harlan Voss · Ads · awareness").
    ``source``/``medium`` are the message's own choices, empty for the channel's defaults.
    """

    subject: str
    channel: str
    landing: str
    campaign: str
    code: str
    source: str = ""
    medium: str = ""


@dataclass(frozen=True)
class TaggingIssue:
    """One inconsistency in tagging, as a plain record the CLI's ``check`` prints.

    ``problem`` is a stable key: ``source-not-allowed``, ``medium-mismatch``, ``capitals``, ``spaces``,
    ``missing-campaign``, ``bad-landing``, ``bad-code``, ``landing-has-tags``. ``field`` names the
    part at fault (``utm_source``, ``utm_campaign``, ``landing`` …); ``value`` is the text as found.
    """

    subject: str
    field: str
    problem: str
    value: str
    detail: str

    def describe(self) -> str:
        """One line: ``subject: field 'value' — detail``."""
        return f"{self.subject}: {self.field} '{self.value}' — {self.detail}"


def _value_issues(subject: str, field: str, value: str) -> list[TaggingIssue]:
    """Capitals and spaces in one tag value (each reported once)."""
    found = []
    if value != value.lower():
        found.append(TaggingIssue(subject, field, "capitals", value,
                                  "has capital letters; analytics counts 'Spring' and 'spring' apart"))
    if re.search(r"\s", value):
        found.append(TaggingIssue(subject, field, "spaces", value, "has spaces; use _ instead"))
    return found


def _source_issues(subject: str, convention: Convention, source: str, medium: str) -> list[TaggingIssue]:
    """A source the channel does not allow, or a medium other than the one it pairs with the source."""
    found = []
    normal = tag_value(source)
    allowed = ", ".join(s for s, _ in convention.sources)
    if not convention.allows(normal):
        found.append(TaggingIssue(subject, "utm_source", "source-not-allowed", source,
                                  f"is not a source of the {convention.channel} channel (allowed: {allowed})"))
    elif medium and tag_value(medium) != convention.medium_for(normal):
        found.append(TaggingIssue(subject, "utm_medium", "medium-mismatch", medium,
                                  f"{convention.channel} pairs {normal} with {convention.medium_for(normal)}"))
    return found


def check_tagging(specs: Iterable[LinkSpec],
                  conventions: Mapping[str, Convention] | None = None) -> list[TaggingIssue]:
    """Every inconsistency in the tagging of ``specs``: a source not allowed for the channel, a
    medium that does not go with it, capitals or spaces in a value, a missing campaign, a landing URL
    that is not http(s), a malformed code, a landing URL that already carries UTM tags.

    Messages without a landing URL are skipped (they have no link); order follows ``specs``.
    """
    issues: list[TaggingIssue] = []
    for spec in specs:
        if not spec.landing.strip():
            continue
        convention = convention_for(spec.channel, conventions)
        source = spec.source or convention.source
        medium = spec.medium or convention.medium_for(tag_value(source))
        for field, value in (("utm_source", source), ("utm_medium", medium), ("utm_campaign", spec.campaign)):
            issues += _value_issues(spec.subject, field, value)
        issues += _source_issues(spec.subject, convention, source, spec.medium)
        if not spec.campaign.strip():
            issues.append(TaggingIssue(spec.subject, "utm_campaign", "missing-campaign", spec.campaign,
                                       "no campaign: the link cannot be told apart from other campaigns"))
        if not is_valid_code(spec.code):
            issues.append(TaggingIssue(spec.subject, "utm_content", "bad-code", spec.code,
                                       "is not a tracking code (6 to 8 lowercase letters and digits)"))
        try:
            _, _, _, query, _ = _check_landing(spec.landing)
        except BadLink as exc:
            issues.append(TaggingIssue(spec.subject, "landing", "bad-landing", spec.landing, str(exc)))
            continue
        present = sorted({k.lower() for k, _ in parse_qsl(query, keep_blank_values=True)} & set(TAG_KEYS))
        if present:
            issues.append(TaggingIssue(spec.subject, "landing", "landing-has-tags", spec.landing,
                                       f"already carries {', '.join(present)}; the tagged link replaces them"))
    return issues


def check_url(subject: str, url: str, channel: str,
              conventions: Mapping[str, Convention] | None = None) -> list[TaggingIssue]:
    """The same lint over a link found in the wild (an ad's final URL, a pasted link): its UTM
    values as written, a missing ``utm_campaign``, a source the channel does not allow."""
    try:
        _, _, _, query, _ = _check_landing(url)
    except BadLink as exc:
        return [TaggingIssue(subject, "landing", "bad-landing", url, str(exc))]
    tags = {k.lower(): v for k, v in parse_qsl(query, keep_blank_values=True) if k.lower() in TAG_KEYS}
    issues: list[TaggingIssue] = []
    for key in TAG_KEYS:
        if key in tags:
            issues += _value_issues(subject, key, tags[key])
    convention = convention_for(channel, conventions)
    if "utm_source" in tags:
        issues += _source_issues(subject, convention, tags["utm_source"], tags.get("utm_medium", ""))
    if not tags.get("utm_campaign", "").strip():
        issues.append(TaggingIssue(subject, "utm_campaign", "missing-campaign", tags.get("utm_campaign", ""),
                                   "no campaign: the link cannot be told apart from other campaigns"))
    return issues
