"""App factory and configuration."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from booking import ROOT, ConfigError, create_app, database_uri


def test_secret_key_is_required_in_production(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_secret_key_from_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-env")
    monkeypatch.setenv("FLASK_REQUEST_FORM_DAYS", "5")
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@db.example/clinics")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["REQUEST_FORM_DAYS"] == 5
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/clinics"


def test_default_database_is_sqlite_in_instance_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("FLASK_SECRET_KEY", "x")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + str(
        Path(app.instance_path) / "booking.sqlite3"
    )


@pytest.mark.parametrize(
    ("url", "uri"),
    [
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql://u@h:5433/d", "postgresql+psycopg://u@h:5433/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////tmp/a.db", "sqlite:////tmp/a.db"),
    ],
)
def test_database_uri(url: str, uri: str) -> None:
    assert database_uri(url, "/instance") == uri


def test_web_app_leaves_out_the_migration_tooling_and_freezes_its_start_up(tmp_path: Path) -> None:
    # A fresh interpreter: this one has Alembic loaded by other tests' apps.
    probe = ("import gc, sys, wsgi; "
             "print('alembic' in sys.modules, 'migrate' in wsgi.app.extensions, gc.get_freeze_count() > 10000)")
    env = {**os.environ, "FLASK_SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]


def test_command_line_app_has_the_commands(tmp_path: Path) -> None:
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert {"seed-demo", "outbox", "staff"} <= set(app.cli.commands)
    assert "migrate" in app.extensions
