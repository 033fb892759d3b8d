"""Command-line tools: `flask seed-demo`, `flask outbox send`, `flask purge`, `flask retention`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from booking.extensions import db
from booking.models import Clinic, Membership, Role, StaffUser, utcnow

outbox_cli = AppGroup("outbox", help="Deliver queued email.")


@outbox_cli.command("send")
@click.option("--limit", default=1000, show_default=True, help="Most messages to send in this run.")
def outbox_send(limit: int) -> None:
    """Send the messages that are due, once."""
    from booking.mail.delivery import deliver_due

    report = deliver_due(limit)
    click.echo(f"sent {report.sent}, will retry {report.retried}, failed {report.failed}, "
               f"void {report.voided}, skipped {report.skipped}")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Deliver what is due, then exit (for cron).")
@click.option("--idle", type=float, default=None, help="Seconds to wait when nothing is due.")
@click.option("--channel", type=click.Choice(["email", "sms"]), default=None,
              help="Deliver only emails or only texts (default: both).")
def outbox_work(once: bool, idle: float | None, channel: str | None) -> None:
    """Deliver due messages until stopped; SIGTERM finishes the current message and exits."""
    from flask import current_app

    from booking.mail.worker import run_worker
    from booking.models import Channel

    config = current_app.config
    totals = run_worker(
        once=once,
        idle_seconds=idle if idle is not None else config["OUTBOX_IDLE_SECONDS"],
        batch=config["OUTBOX_BATCH"],
        channel=Channel(channel) if channel else None,
    )
    click.echo(f"sent {totals.sent}, will retry {totals.retried}, failed {totals.failed}, "
               f"void {totals.voided}, skipped {totals.skipped}, deferred {totals.deferred}")


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Create (or refresh) the demo clinics."""
    from booking.demo import DEMO_STAFF, seed_demo

    now = utcnow()
    clinics = seed_demo(now.date(), now)
    db.session.commit()
    for clinic in clinics:
        today = clinic.today(utcnow())
        click.echo(f"{clinic.name}: /{clinic.slug}/ ({clinic.timezone}, today {today})")
    click.echo("Staff sign-in at /staff/login (demo accounts, both clinics):")
    for email, password, role in DEMO_STAFF:
        click.echo(f"  {role.value:<11} {email}  password: {password}")


staff_cli = AppGroup("staff", help="Manage staff accounts.")

MIN_PASSWORD_LENGTH = 12


@staff_cli.command("create")
@click.option("--email", required=True, help="Sign-in email.")
@click.option("--clinic", "clinic_slug", required=True, help="Clinic slug, e.g. riverside-infusion.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default="", help="Full name (defaults to the email's local part).")
@click.password_option(help="Prompted for if not given.")
def staff_create(email: str, clinic_slug: str, role: str, name: str, password: str) -> None:
    """Create a staff account, or add a clinic and role to an existing one."""
    from sqlalchemy import func, select
    from werkzeug.security import generate_password_hash

    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == clinic_slug))
    if clinic is None:
        raise click.BadParameter(f"no clinic with slug {clinic_slug!r}", param_hint="--clinic")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"use at least {MIN_PASSWORD_LENGTH} characters", param_hint="password")
    email = email.strip().lower()
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email))
    if user is None:
        user = StaffUser(email=email, full_name=name or email.split("@")[0])
        db.session.add(user)
    user.password_hash = generate_password_hash(password)
    membership = next((m for m in user.memberships if m.clinic_id == clinic.id), None)
    if membership is None:
        user.memberships.append(Membership(clinic_id=clinic.id, role=Role(role)))
    else:
        membership.role = Role(role)
    db.session.commit()
    click.echo(f"{email} is {role} at {clinic.name}")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would go; change nothing.")
@click.option("--clinic", "clinic_slug", default=None, help="Only this clinic (default: every clinic).")
def purge_command(dry_run: bool, clinic_slug: str | None) -> None:
    """Remove or blank data past each clinic's retention periods (for cron); each run is audited."""
    from dataclasses import asdict

    from flask import current_app
    from sqlalchemy import select

    from booking.operations.retention import FIELDS, purge_clinic, windows_for

    defaults = {f: current_app.config[f"RETENTION_{f.upper()}"] for f in FIELDS}
    query = select(Clinic).order_by(Clinic.id)
    if clinic_slug:
        query = query.where(Clinic.slug == clinic_slug)
    clinics = db.session.scalars(query).all()
    if clinic_slug and not clinics:
        raise click.BadParameter(f"no clinic with slug {clinic_slug!r}", param_hint="--clinic")
    now = utcnow()
    for clinic in clinics:
        purged = purge_clinic(clinic, windows_for(clinic, defaults), now, dry_run=dry_run)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()  # one clinic at a time: a failure leaves the others done
        counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in asdict(purged).items())
        click.echo(f"{clinic.slug}: {'would remove' if dry_run else 'removed'} {counts}")


retention_cli = AppGroup("retention", help="Each clinic's retention periods.")


@retention_cli.command("show")
def retention_show() -> None:
    """Print every clinic's periods (its own, or the defaults)."""
    from dataclasses import asdict

    from flask import current_app
    from sqlalchemy import select

    from booking.operations.retention import FIELDS, windows_for

    defaults = {f: current_app.config[f"RETENTION_{f.upper()}"] for f in FIELDS}
    for clinic in db.session.scalars(select(Clinic).order_by(Clinic.id)):
        periods = ", ".join(f"{k} {'never' if v is None else v}" for k, v in asdict(windows_for(clinic, defaults)).items())
        click.echo(f"{clinic.slug}: {periods}")


@retention_cli.command("set")
@click.option("--clinic", "clinic_slug", required=True)
@click.option("--token-days", type=click.IntRange(min=0), default=None)
@click.option("--message-body-days", type=click.IntRange(min=30), default=None)
@click.option("--closed-request-days", type=click.IntRange(min=30), default=None)
@click.option("--inactive-patient-years", type=click.IntRange(min=1), default=None)
@click.option("--audit-years", type=click.IntRange(min=1), default=None)
@click.option("--default", "reset", multiple=True, type=click.Choice(
    ["token-days", "message-body-days", "closed-request-days", "inactive-patient-years", "audit-years"]),
    help="Go back to the default for this period (repeatable).")
def retention_set(clinic_slug: str, reset: tuple[str, ...], **periods: int | None) -> None:
    """Set a clinic's own periods; audited."""
    from sqlalchemy import select

    from booking.models import AuditAction, RetentionPolicy
    from booking.operations import audit

    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == clinic_slug))
    if clinic is None:
        raise click.BadParameter(f"no clinic with slug {clinic_slug!r}", param_hint="--clinic")
    policy = db.session.get(RetentionPolicy, clinic.id) or RetentionPolicy(clinic_id=clinic.id)
    db.session.add(policy)
    changed: dict[str, int | None] = {}
    for field, value in periods.items():
        if value is not None:
            setattr(policy, field, value)
            changed[field] = value
    for option in reset:
        setattr(policy, option.replace("-", "_"), None)
        changed[option.replace("-", "_")] = None
    audit.record(clinic.id, None, AuditAction.RETENTION_POLICY_CHANGED, "clinic", clinic.id, **changed)
    db.session.commit()
    click.echo(f"{clinic.slug}: {changed or 'nothing changed'}")


def register_cli(app: Flask) -> None:
    """Attach the commands to the app."""
    app.cli.add_command(purge_command)
    app.cli.add_command(retention_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(staff_cli)
    app.cli.add_command(seed_demo_command)
