"""The form every area shares: a button that changes something."""
from __future__ import annotations

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A button that changes something (retry, delete, mark done, confirm): only the CSRF token."""
