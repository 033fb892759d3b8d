"""CSV export and the audit log: placeholder until those pages land."""
from __future__ import annotations

from booking.dashboard import bp
from booking.dashboard.context import requires
from booking.domain.permissions import Permission


@bp.get("/audit")
@requires(Permission.VIEW_AUDIT)
def audit_log() -> str:
    """The audit log."""
    return "Audit log"
