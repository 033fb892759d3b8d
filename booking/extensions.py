"""Flask extensions, created unbound and attached to the app in `create_app`."""
from __future__ import annotations

import contextlib
import smtplib

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Connection, Mail
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from booking.models.base import Base


class TimeoutConnection(Connection):
    """An SMTP connection with a socket timeout.

    Flask-Mail opens `smtplib.SMTP` without one, so a silent server would hang
    the sender forever.
    """

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        timeout = current_app.config["MAIL_TIMEOUT"]
        host: smtplib.SMTP | smtplib.SMTP_SSL
        if self.mail.use_ssl:
            host = smtplib.SMTP_SSL(self.mail.server, self.mail.port, timeout=timeout)
        else:
            host = smtplib.SMTP(self.mail.server, self.mail.port, timeout=timeout)
        try:
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            # Nobody else holds this connection yet: close it rather than leak the socket.
            with contextlib.suppress(OSError):
                host.quit()
            host.close()
            raise
        return host


class TimeoutMail(Mail):
    """Flask-Mail whose connections time out (see `TimeoutConnection`)."""

    def connect(self) -> Connection:
        return TimeoutConnection(current_app.extensions["mail"])


db = SQLAlchemy(model_class=Base)
mail = TimeoutMail()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
login = LoginManager()
login.login_view = "auth.login"
login.login_message = "Please sign in to see that page."
