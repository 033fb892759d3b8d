"""Sign-in and clinic-switch forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField, PasswordField
from wtforms.validators import DataRequired, Length

from booking.validators import strip


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email", filters=[strip], validators=[DataRequired("Enter your email."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=200)])
    next = HiddenField()


class SwitchClinicForm(FlaskForm):
    """Choose which of one's clinics to work in."""

    clinic_id = IntegerField(validators=[DataRequired()])
