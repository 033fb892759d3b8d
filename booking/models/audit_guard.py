"""PostgreSQL triggers that make the audit log append-only (the migration holds the same SQL).

- UPDATE, DELETE and TRUNCATE on `audit_event` are refused, whoever asks.
- The one way to remove audit rows is to insert an `audit_purge` row (clinic, before, reason):
  its BEFORE INSERT trigger deletes that clinic's rows older than `before` and records how many.
  The audit trigger lets a DELETE through only when it runs inside another trigger
  (`pg_trigger_depth() > 1`), which no plain statement can fake; foreign keys to the audit
  table are RESTRICT, so no cascade reaches it either.
- `audit_purge` rows can never be changed or deleted.
- The removing function is SECURITY DEFINER: the app's role needs no DELETE on `audit_event`
  (docs/operations.md revokes it), only INSERT on `audit_purge`.

Only a superuser or the tables' owner can get round this (disable the triggers, or
`session_replication_role`): run the app as a role that owns nothing (see docs/operations.md).
SQLite has none of this; the RESTRICT foreign keys still hold there.
"""
from __future__ import annotations

from sqlalchemy import DDL, event

from booking.models.retention import AuditPurge
from booking.models.staff import AuditEvent

CREATE = [
    """
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;  -- inside audit_purge's trigger: the removal is recorded there
  END IF;
  RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$
""",
    """
CREATE OR REPLACE FUNCTION audit_purge_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit purge record is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$
""",
    """
CREATE OR REPLACE FUNCTION audit_purge_remove() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public AS $$
DECLARE
  n integer;
BEGIN
  DELETE FROM audit_event WHERE clinic_id = NEW.clinic_id AND at < NEW.before;
  GET DIAGNOSTICS n = ROW_COUNT;
  NEW.removed := n;
  NEW.at := now();
  RETURN NEW;
END $$
""",
]
EVENT_TRIGGERS = [
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()",
]
PURGE_TRIGGERS = [
    "CREATE TRIGGER audit_purge_append_only BEFORE UPDATE OR DELETE ON audit_purge "
    "FOR EACH ROW EXECUTE FUNCTION audit_purge_refuse_change()",
    "CREATE TRIGGER audit_purge_no_truncate BEFORE TRUNCATE ON audit_purge "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_purge_refuse_change()",
    "CREATE TRIGGER audit_purge_removes BEFORE INSERT ON audit_purge "
    "FOR EACH ROW EXECUTE FUNCTION audit_purge_remove()",
]


def _ddl(sql: str) -> DDL:
    # DDL formats its text with %: PL/pgSQL's own % placeholders are doubled.
    return DDL(sql.replace("%", "%%")).execute_if(dialect="postgresql")


for sql in [*CREATE, *EVENT_TRIGGERS]:
    event.listen(AuditEvent.__table__, "after_create", _ddl(sql))
for sql in [*CREATE, *PURGE_TRIGGERS]:  # the tables may be made in either order
    event.listen(AuditPurge.__table__, "after_create", _ddl(sql))
