"""Team workbench addresses: parsing a libpq URL, the label people see, and opening connections.

An address is ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?host=/socket/dir&port=N&sslmode=…]``.
The password comes from the address, from ``PGPASSWORD`` or ``~/.pgpass`` (libpq reads both itself),
or from a callback the app provides (a prompt) when the server asks for one. It lives only in this
process's memory — never in a label, a message, settings, recent files or a side file. Every
connection carries a ``connect_timeout`` (a dead host is an answer within seconds, not a hang) and an
``application_name`` that names this session, which is how others see who has the workbench open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.store.postgres import faults

if TYPE_CHECKING:
    import psycopg

SCHEMES = ("postgresql://", "postgres://")
#: Seconds libpq waits for a server to answer (per host tried); keeps every refusal under 10 s.
CONNECT_TIMEOUT_S = 8
#: What every connection of ours calls itself, so presence can find them: ``pwkb/<session>/<name>``.
APP_PREFIX = "pwkb/"
_MAX_APP_NAME = 63
#: libpq keywords that a label may show (anything else — passwords, keys, options — stays hidden).
_SHOWN = ("host", "port", "sslmode")

PasswordPrompt = Callable[[str], "str | None"]


def looks_like_address(text: str) -> bool:
    """Whether ``text`` is meant as a server address rather than a file name."""
    return text.strip().lower().startswith(SCHEMES)


def mask(text: str) -> str:
    """``text`` (an address) with its password replaced by ``***`` — whatever characters the password
    holds: everything up to the last ``@`` is treated as the user part (over-masking, never leaking)."""
    text = text.strip()
    start = text.find("://")
    if start < 0:
        return text
    rest = text[start + 3:]
    at = rest.rfind("@")
    if at < 0 or ":" not in rest[:at]:
        return text
    user = rest[:at].split(":", 1)[0]
    return f"{text[:start + 3]}{user}:***@{rest[at + 1:]}"


@dataclass(frozen=True)
class Address:
    """A parsed address: libpq keywords without the password, and the password (if it was given)."""

    params: Mapping[str, str]
    password: str | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, url: str) -> Address:
        """Parse ``url``; :class:`faults.BadAddress` (the password masked) when libpq cannot."""
        from psycopg.conninfo import conninfo_to_dict

        shown = mask(url)
        if not looks_like_address(url):
            raise faults.BadAddress(shown, f"{shown} is not a postgresql:// address.")
        try:
            raw = conninfo_to_dict(url.strip())
        except Exception:  # libpq's message may quote the password: say it in our own words
            raise faults.BadAddress(shown, f"{shown} is not a valid postgresql:// address.") from None
        params = {k: str(v) for k, v in raw.items() if v is not None and k != "password"}
        password = raw.get("password")
        if not params.get("dbname"):
            raise faults.BadAddress(shown, f"{shown} names no database (…/DATABASE at the end).")
        return cls(params, str(password) if password is not None else None)

    @property
    def user(self) -> str:
        """The role named in the address ('' when libpq will use the operating-system user)."""
        return self.params.get("user", "")

    @property
    def dbname(self) -> str:
        """The database's name."""
        return self.params.get("dbname", "")

    @property
    def label(self) -> str:
        """The address as people may see it: no password, no other secret options."""
        host = self.params.get("host", "")
        port = self.params.get("port", "")
        user = f"{self.user}@" if self.user else ""
        netloc = "" if host.startswith("/") or not host else host
        if port and netloc:
            netloc += f":{port}"
        query = [f"{k}={self.params[k]}" for k in _SHOWN
                 if k in self.params and not (k in ("host", "port") and netloc)]
        return f"postgresql://{user}{netloc}/{self.dbname}" + (f"?{'&'.join(query)}" if query else "")


class Connector:
    """Opens connections to one address; holds the password (once known) in memory only.

    Thread-safe: the GUI thread, workers and the listener may connect at once. When the server asks
    for a password that nobody gave, ``prompt(label)`` is asked once; its answer is kept for later
    connections (a wrong one is forgotten again).
    """

    def __init__(self, address: Address, *, session: str, name: str,
                 prompt: PasswordPrompt | None = None, connect_timeout: float = CONNECT_TIMEOUT_S) -> None:
        self.address = address
        self.label = address.label
        self.session = session
        self.application_name = f"{APP_PREFIX}{session}/{name}".encode()[:_MAX_APP_NAME].decode("utf-8", "ignore")
        self.connect_timeout = connect_timeout
        self._password = address.password
        self._prompt = prompt
        self._lock = threading.Lock()

    @property
    def secret(self) -> str | None:
        """The password in use (for scrubbing messages only)."""
        return self._password

    def _kwargs(self, timeout: float | None) -> dict[str, Any]:
        kwargs: dict[str, Any] = dict(self.address.params)
        kwargs.setdefault("connect_timeout", str(max(1, int(timeout or self.connect_timeout))))
        kwargs["application_name"] = self.application_name
        # Our tables live in ``public``; a role's own search_path setting must not hide them.
        kwargs.setdefault("options", "-c search_path=public")
        # A half-dead TCP connection is noticed within a minute instead of hours.
        kwargs.update(keepalives="1", keepalives_idle="20", keepalives_interval="5", keepalives_count="3")
        if self._password is not None:
            kwargs["password"] = self._password
        return kwargs

    def connect(self, *, autocommit: bool = False, timeout: float | None = None) -> psycopg.Connection[Any]:
        """A new connection; a typed :class:`faults.ServerProblem` (or ``errors.NotFound``) when refused."""
        import psycopg

        try:
            return psycopg.connect(autocommit=autocommit, **self._kwargs(timeout))
        except psycopg.Error as exc:
            typed = faults.connection_failure(exc, self.label, self._password)
        if not (isinstance(typed, faults.AuthenticationFailed) and typed.needs_password and self._prompt):
            raise typed
        with self._lock:
            if self._password is None:
                answer = self._prompt(self.label)
                if not answer:
                    raise typed
                self._password = answer
        try:
            return psycopg.connect(autocommit=autocommit, **self._kwargs(timeout))
        except psycopg.Error as exc:
            failed = faults.connection_failure(exc, self.label, self._password)
        if isinstance(failed, faults.AuthenticationFailed):
            self._password = None  # a wrong answer is not kept
        raise failed
