"""Clinic consultation requests and scheduling."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The app cannot start with this configuration."""


def database_uri(url: str | None, instance_path: str) -> str:
    """SQLAlchemy URI for a DATABASE_URL, using psycopg 3 for PostgreSQL."""
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "booking.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_app(test_config: dict[str, Any] | None = None, *, cli: bool = True) -> Flask:
    """Build the app: config, extensions, blueprints and, with `cli`, the commands.

    The web server's app (wsgi.py) passes cli=False: it never runs migrations, and
    leaving Alembic out saves about 12 MB in every worker.
    """
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object("booking.config")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
        if os.environ.get("DATABASE_URL"):
            app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI", database_uri(app.config["DATABASE_URL"], app.instance_path)
    )
    _check_secret_key(app)

    if app.config["PROXY_FIX_X_FOR"] or app.config["PROXY_FIX_X_PROTO"]:
        # The client address (rate limits, per IP) is the one the trusted proxies saw.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=app.config["PROXY_FIX_X_PROTO"]
        )

    from booking.extensions import csrf, db, limiter, login, mail

    db.init_app(app)
    init_sqlite_pragmas(app)
    login.init_app(app)
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from booking import api, auth, dashboard, health, manage, public, webhooks
    from booking.auth.sessions import init_sessions
    from booking.error_pages import init_error_pages
    from booking.i18n import init_i18n
    from booking.input_guard import init_input_guard
    from booking.logs import configure_logging, init_request_logging
    from booking.queries.calendar_version import init_calendar_versions
    from booking.security import init_security_headers
    from booking.templating import init_template_filters

    configure_logging(app)
    init_request_logging(app)
    init_input_guard(app)  # before the blueprints: their routes take its `int` converter
    app.register_blueprint(health.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(manage.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(webhooks.bp)
    init_i18n(app)
    init_sessions(app)
    csrf.exempt(api.bp)  # read-only JSON, no cookies needed
    csrf.exempt(health.bp)
    csrf.exempt(webhooks.bp)  # Twilio's signature is checked instead; no cookies
    init_error_pages(app)
    init_template_filters(app)
    init_security_headers(app)
    init_calendar_versions()  # every change to a calendar bumps its version: caches stay honest
    if cli:
        _add_commands(app)
    return app


def _add_commands(app: Flask) -> None:
    """`flask db ...` (Flask-Migrate, which loads Alembic) and the app's own commands."""
    from flask_migrate import Migrate

    from booking.cli import register_cli
    from booking.extensions import db

    Migrate(app, db, directory=str(ROOT / "migrations"))
    register_cli(app)


def _check_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.debug or app.testing:
        # Sessions will not survive a restart, which is fine for development.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    raise ConfigError(
        "SECRET_KEY is not set. Set FLASK_SECRET_KEY in the environment or SECRET_KEY in "
        f"{os.path.join(app.instance_path, 'config.py')} (e.g. python -c 'import secrets; "
        "print(secrets.token_hex(32))')."
    )


def init_sqlite_pragmas(app: Flask) -> None:
    """Make the app's SQLite databases enforce foreign keys and let readers work alongside a writer."""
    from booking.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
