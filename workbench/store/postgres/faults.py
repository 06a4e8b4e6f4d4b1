"""What a server's failures mean to a person: typed errors in one sentence, never a password.

psycopg reports a refused connection as an ``OperationalError`` without an SQLSTATE (the cause is only
in libpq's text), and errors raised by the server with one. :func:`translate` turns both into the
domain's typed errors — the few a team server adds are defined here, deriving from
:class:`~workbench.domain.errors.FileProblem` so the command line and the app treat them like a file
that cannot be used (one line, exit 2). Messages are composed here rather than passed through:
libpq echoes parts of a malformed address, which may hold the password.
"""

from __future__ import annotations

import re

from workbench.domain import errors


class ServerProblem(errors.FileProblem):
    """A team workbench's server cannot be used as asked; nothing was written. ``path`` is its
    address without the password."""


class BadAddress(ServerProblem):
    """The text is not a ``postgresql://`` address libpq understands."""


class ServerUnreachable(ServerProblem):
    """No server answers there: unknown host, server stopped, network down, or too slow to answer."""


class AuthenticationFailed(ServerProblem):
    """The server refused who we said we are (wrong password, unknown role, no password given)."""

    def __init__(self, path: str, message: str, *, needs_password: bool = False) -> None:
        super().__init__(path, message)
        #: True when no password was available at all (the app may ask for one and retry).
        self.needs_password = needs_password


class NotPermitted(ServerProblem):
    """The role may not do this (read a workbench it was not granted, edit as a reader, approve as
    an editor, create roles …)."""


class ConnectionLost(ServerProblem):
    """The connection broke in the middle of a command; that command's changes were not saved."""


class DatabaseNotEmpty(ServerProblem):
    """``server init`` refuses a database that already holds tables (a workbench or anything else)."""


class NeedsUpgrade(ServerProblem):
    """The server's workbench has an older schema that an administrator must upgrade first."""


class UnknownRole(ServerProblem):
    """``server grant`` names a role the server does not have."""


class NotAnOfflineCopy(errors.FileProblem):
    """``push`` was given a file that was not pulled from a server (or whose record of it is gone)."""


#: libpq's words for "nobody answers there" (connection refused, no socket, DNS, timeouts, restarts).
_UNREACHABLE = re.compile(
    r"connection refused|no such file or directory|could not translate host name|failed to resolve host|"
    r"name or service not known|timeout expired|timed out|network is unreachable|no route to host|"
    r"the database system is (starting up|shutting down|in recovery mode)|could not connect|"
    r"server closed the connection|connection is bad|connection to server .* failed: $", re.IGNORECASE)
_LOST = re.compile(r"server closed the connection|terminating connection|consuming input failed|"
                   r"connection (is )?(closed|lost|bad)|ssl syscall|eof detected|broken pipe|"
                   r"could not receive data|could not send data|the connection is closed", re.IGNORECASE)
_NO_DATABASE = re.compile(r'database "(?P<db>[^"]*)" does not exist')
_AUTH = re.compile(r"password authentication failed|authentication failed|no pg_hba\.conf entry|"
                   r'role "[^"]*" does not exist|peer authentication|ident authentication', re.IGNORECASE)

#: SQLSTATE classes and codes that mean "someone else got there first: nothing was written".
_CONFLICT_STATES = {"40001": "another writer changed the same rows at the same moment",
                    "40P01": "another writer was changing the same rows (a deadlock)",
                    "55P03": "another writer has held these rows for too long",
                    "23503": "it refers to a row someone else deleted, or someone still refers to it",
                    "23505": "someone else created the same row at the same moment"}


def scrub(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of ``secret`` masked (belt and braces: our messages are
    composed, but the server's own words are passed on)."""
    if secret:
        text = text.replace(secret, "***")
    return text


def _driver_error(exc: BaseException) -> BaseException | None:
    """The psycopg error behind ``exc`` (itself, or what SQLAlchemy wrapped), or None."""
    import psycopg

    if isinstance(exc, psycopg.Error):
        return exc
    orig = getattr(exc, "orig", None)
    if isinstance(orig, psycopg.Error):
        return orig
    return None


def _server_words(err: BaseException) -> str:
    """The server's primary message (no driver prefix, no context), ending with a full stop."""
    diag = getattr(err, "diag", None)
    primary = getattr(diag, "message_primary", None) or str(err).strip().splitlines()[0]
    return primary.rstrip(".") + "."


def connection_failure(exc: BaseException, label: str, secret: str | None = None) -> errors.WorkbenchError:
    """The typed error for a connection attempt that failed (``exc`` from ``psycopg.connect``)."""
    text = str(exc)
    where = label
    if "no password supplied" in text:
        return AuthenticationFailed(where, f"{where} needs a password: give it in the address, in PGPASSWORD, "
                                    "in ~/.pgpass, or when asked.", needs_password=True)
    if _AUTH.search(text):
        return AuthenticationFailed(where, f"{where} refused the user name or password.")
    missing = _NO_DATABASE.search(text)
    if missing:
        return errors.NotFound(where, f"There is no database {scrub(missing['db'], secret)!r} on that server "
                               f"({where}).")
    if "permission denied for database" in text or "must be granted" in text.lower():
        return NotPermitted(where, f"You may not open {where}: ask an administrator to grant you a role "
                            "(reader, editor, approver or admin).")
    if "too many connections" in text or "remaining connection slots" in text:
        return ServerUnreachable(where, f"{where} has no free connections now; try again in a moment.")
    if "timeout expired" in text or "timed out" in text:
        return ServerUnreachable(where, f"{where} did not answer in time (is the server running and reachable?).")
    if "resolve host" in text or "translate host name" in text or "Name or service not known" in text:
        return ServerUnreachable(where, f"{where}: the server's host name is unknown.")
    if "ssl" in text.lower() and ("not support" in text.lower() or "required" in text.lower()):
        return ServerUnreachable(where, f"{where}: the server and the address disagree about SSL (sslmode).")
    return ServerUnreachable(where, f"{where} is not reachable: no server answers there (is it running?).")


def translate(exc: BaseException, label: str, *, writing: bool, secret: str | None = None,
              connecting: bool = False) -> errors.WorkbenchError | None:
    """The typed error a psycopg failure means, or None when ``exc`` is not the driver's.

    ``connecting``: the failure came from opening a connection (no SQLSTATE to go by).
    """
    err = _driver_error(exc)
    if err is None:
        return None
    import psycopg

    state = getattr(err, "sqlstate", None) or ""
    if not state:
        text = str(err)
        if connecting or (isinstance(err, psycopg.OperationalError) and not _LOST.search(text)
                          and _UNREACHABLE.search(text)):
            return connection_failure(err, label, secret)
        if isinstance(err, (psycopg.OperationalError, psycopg.InterfaceError)):
            return ConnectionLost(label, f"The connection to {label} was lost"
                                  + (": your last change was not saved." if writing else "."))
        return ServerProblem(label, f"{label}: {scrub(_server_words(err), secret)}")
    words = scrub(_server_words(err), secret)
    if state in _CONFLICT_STATES:
        return errors.Conflict((), f"Nothing was written: {_CONFLICT_STATES[state]}. Look at it again and "
                               "redo your change.")
    if state == "42501":
        return NotPermitted(label, f"Your role may not do that on {label}: {words}")
    if state == "25006":
        return errors.ReadOnlySession(f"{label} is open read-only for you.")
    if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return ConnectionLost(label, f"The connection to {label} was lost ({words})"
                              + (" Your last change was not saved." if writing else ""))
    if state == "57014":
        return ServerProblem(label, f"{label} took too long to answer; nothing was changed.")
    if state.startswith("53"):
        return errors.CouldNotSave(label, f"{label} could not save: the server is out of resources ({words})")
    if state.startswith("28"):
        return AuthenticationFailed(label, f"{label} refused the user name or password.")
    if state == "3D000":
        return errors.NotFound(label, f"There is no such database on that server ({label}).")
    if state.startswith(("42", "22", "23", "54", "P0")):
        return ServerProblem(label, f"{label} refused the change: {words}")
    return ServerProblem(label, f"{label} reported a problem: {words}")
