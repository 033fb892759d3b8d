"""Sign-in and clinic-switch forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField, PasswordField, StringField
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


class CodeForm(FlaskForm):
    """The second factor: a 6-digit code from the app, or a recovery code."""

    code = StringField("Code", filters=[strip], validators=[DataRequired("Enter the code."), Length(max=20)])


class DisableTwoFactorForm(FlaskForm):
    """Turning two-factor off takes the password and a current code."""

    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=200)])
    code = StringField("Code from your app", filters=[strip],
                       validators=[DataRequired("Enter the code."), Length(max=20)])
