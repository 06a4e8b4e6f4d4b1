"""Who may do what on a team workbench — enforced by the server, not by the app.

Each workbench has four group roles (``<prefix>_reader`` ⊂ ``_editor`` ⊂ ``_approver`` ⊂ ``_admin``,
each a member of the one before) holding its GRANTs; :func:`grant` makes a person's role a member of
exactly one of them. Readers only read (SELECT). Editors write rows, the search index and the change
log (only its ``origin``, ``label`` and ``items``: sequence number, time and ``who`` are the server's).

Approving is guarded by a ``SECURITY DEFINER`` trigger on messages and revisions. A row may carry
status ``approved`` only when one of these holds:

* it is an approval the server recorded before, of exactly this text (undo, redo and restoring a
  deleted message put genuine approvals back — whoever does it);
* the person is an approver: the server sets ``approved_by`` to their database user and
  ``approved_at`` to its own clock, whatever the client sent — provenance cannot be forged;
* the person is an administrator: what they send is kept (loading a workbench keeps its history).

Anyone else gets ``insufficient_privilege`` (a typed :class:`~faults.NotPermitted`). Every approval
let through is recorded in ``pwkb_approvals``, which no client role can write.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from workbench.domain import errors
from workbench.schema.model import Base
from workbench.store.postgres import faults
from workbench.store.postgres.schema import APPROVALS_TABLE, CHANGES_TABLE, META_TABLE
from workbench.store.postgres.search import SEARCH_TABLE

#: From least to most: each level has every right of the ones before it.
LEVELS = ("reader", "editor", "approver", "admin")
MODEL_TABLES = tuple(t.name for t in Base.metadata.sorted_tables)

_GUARD = """
CREATE FUNCTION pwkb_guard_approval() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $guard$
DECLARE
  mid text := to_jsonb(NEW) ->> TG_ARGV[0];
  digest text;
BEGIN
  IF NEW.status IS DISTINCT FROM 'approved' THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status = 'approved'
     AND NEW.approved_by IS NOT DISTINCT FROM OLD.approved_by AND NEW.approved_at IS NOT DISTINCT FROM OLD.approved_at
     AND NEW.headline IS NOT DISTINCT FROM OLD.headline AND NEW.body IS NOT DISTINCT FROM OLD.body
     AND NEW.call_to_action IS NOT DISTINCT FROM OLD.call_to_action
     AND NEW.override_reason IS NOT DISTINCT FROM OLD.override_reason THEN
    RETURN NEW;  -- the approval itself is untouched (notes, counts, stamps changed)
  END IF;
  digest := md5(concat_ws(chr(31), NEW.headline, NEW.body, NEW.call_to_action, NEW.override_reason));
  IF EXISTS (SELECT 1 FROM {approvals} a WHERE a.message_id = mid AND a.approved_by = NEW.approved_by
             AND a.approved_at = NEW.approved_at AND a.text_hash = digest) THEN
    RETURN NEW;  -- a genuine approval of exactly this text, put back
  END IF;
  IF pg_has_role(session_user, '{admin}', 'MEMBER') THEN
    IF coalesce(NEW.approved_by, '') = '' THEN
      NEW.approved_by := session_user;
    END IF;
  ELSIF pg_has_role(session_user, '{approver}', 'MEMBER') THEN
    NEW.approved_by := session_user;
    NEW.approved_at := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00';
  ELSE
    RAISE EXCEPTION 'only approvers can approve messages' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO {approvals} (message_id, approved_by, approved_at, text_hash)
    VALUES (mid, NEW.approved_by, coalesce(NEW.approved_at, ''), digest) ON CONFLICT DO NOTHING;
  RETURN NEW;
END
$guard$
"""


def role_names(prefix: str) -> dict[str, str]:
    """Level → the group role's name."""
    return {level: f"{prefix}_{level}" for level in LEVELS}


def _q(name: str) -> str:
    """A quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


def install(conn: Connection, prefix: str, dbname: str) -> None:
    """Create the group roles, their GRANTs and the approval guard (in the caller's transaction).

    Needs the right to create roles (a typed :class:`faults.NotPermitted` otherwise).
    """
    names = role_names(prefix)
    existing = {r[0] for r in conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:n)"),
                                           {"n": list(names.values())})}
    for name in names.values():
        if name not in existing:
            conn.execute(text(f"CREATE ROLE {_q(name)} NOLOGIN"))
    for lower, higher in zip(LEVELS, LEVELS[1:], strict=False):
        conn.execute(text(f"GRANT {_q(names[lower])} TO {_q(names[higher])}"))
    # Administrators manage memberships (server grant) without needing CREATEROLE.
    for level in LEVELS[:-1]:
        conn.execute(text(f"GRANT {_q(names[level])} TO {_q(names['admin'])} WITH ADMIN OPTION"))
    reader, editor = _q(names["reader"]), _q(names["editor"])
    everything = ", ".join([*MODEL_TABLES, META_TABLE, SEARCH_TABLE, CHANGES_TABLE])
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {reader}"))
    conn.execute(text(f"GRANT SELECT ON {everything} TO {reader}"))
    conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {', '.join([*MODEL_TABLES, SEARCH_TABLE])} TO {editor}"))
    conn.execute(text(f"GRANT INSERT (origin, label, items) ON {CHANGES_TABLE} TO {editor}"))
    conn.execute(text(f"GRANT USAGE ON SEQUENCE {CHANGES_TABLE}_seq_seq TO {editor}"))
    conn.execute(text(f"REVOKE ALL ON {APPROVALS_TABLE} FROM PUBLIC"))
    # Driver SQL: the function body is not ours to parse for ``:name`` parameters.
    conn.exec_driver_sql(_GUARD.format(approvals=APPROVALS_TABLE, admin=names["admin"], approver=names["approver"]))
    conn.execute(text("REVOKE ALL ON FUNCTION pwkb_guard_approval() FROM PUBLIC"))
    for table, id_column in (("messages", "id"), ("message_revisions", "message_id")):
        conn.execute(text(f"CREATE TRIGGER pwkb_guard_approval BEFORE INSERT OR UPDATE ON {table} "
                          f"FOR EACH ROW EXECUTE FUNCTION pwkb_guard_approval('{id_column}')"))
    _limit_database(conn, dbname, names["reader"])


def _limit_database(conn: Connection, dbname: str, reader: str) -> None:
    """Only the workbench's roles may connect (needs the database's ownership: skipped without it)."""
    nested = conn.begin_nested()
    try:
        conn.execute(text(f"REVOKE CONNECT, TEMPORARY ON DATABASE {_q(dbname)} FROM PUBLIC"))
        conn.execute(text(f"GRANT CONNECT ON DATABASE {_q(dbname)} TO {_q(reader)}"))
    except Exception:
        nested.rollback()
        return
    nested.commit()


def grant(conn: Connection, prefix: str, role: str, level: str, label: str) -> None:
    """Make ``role`` a member of exactly the group of ``level`` (in the caller's transaction)."""
    if level not in LEVELS:
        raise errors.ValidationError(f"A level is one of {', '.join(LEVELS)}, not {level!r}.")
    names = role_names(prefix)
    if role in names.values():
        raise errors.ValidationError(f"{role} is one of the workbench's own group roles.")
    found = conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if found is None:
        raise faults.UnknownRole(label, f"There is no role {role!r} on the server of {label}; create it first "
                                 "(CREATE ROLE … LOGIN PASSWORD …).")
    members = {str(r[0]) for r in conn.execute(text(
        "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :r AND g.rolname = ANY(:groups)"),
        {"r": role, "groups": list(names.values())})}
    for name in members - {names[level]}:
        conn.execute(text(f"REVOKE {_q(name)} FROM {_q(role)}"))
    if names[level] not in members:
        conn.execute(text(f"GRANT {_q(names[level])} TO {_q(role)}"))


def level_of(conn: Connection, prefix: str) -> str | None:
    """The highest level the connected role holds on this workbench (None: none)."""
    names = role_names(prefix)
    for level in reversed(LEVELS):
        if conn.execute(text("SELECT pg_has_role(session_user, :g, 'MEMBER')"), {"g": names[level]}).scalar():
            return level
    return None
