"""Clinic settings (admin only), one module per concept as in templates/dashboard/settings/."""
from booking.dashboard.settings import (  # noqa: F401  (each adds its views to the dashboard)
    calendar,
    checkin,
    clinic,
    embed,
    front_desk,
    instructions,
    messages,
    resources,
    staff_access,
    views,
)
