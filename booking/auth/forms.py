"""Sign-in and clinic-switch forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

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


class ForgotPasswordForm(FlaskForm):
    """The email of the account whose password is forgotten."""

    email = EmailField("Email", filters=[strip], validators=[DataRequired("Enter your email."), Length(max=254)])


class NewPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField("New password", validators=[
        DataRequired("Enter a new password."),
        Length(min=12, max=200, message="Use at least 12 characters.")])
    confirm = PasswordField("The same password again", validators=[
        DataRequired("Type the password again."), EqualTo("password", "The two passwords are not the same.")])
