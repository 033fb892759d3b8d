"""Clinic settings (admin): placeholder until the settings pages land."""
from __future__ import annotations

from booking.dashboard import bp
from booking.dashboard.context import requires
from booking.domain.permissions import Permission


@bp.get("/settings/")
@requires(Permission.MANAGE_SETTINGS)
def settings_home() -> str:
    """Settings overview."""
    return "Settings"
