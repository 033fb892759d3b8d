"""Which language a patient reads, and Flask-Babel set up to serve it.

Patient-facing text (public pages, the form, the patient's page, emails, the
calendar file) is written in English and translated from the catalogues in
`booking/translations/`. The staff dashboard stays English.

A page's language comes from `?lang=` (links in messages carry it), then the
visitor's earlier choice (a cookie set by the switcher), then a default the view
knows (the patient's own language on their appointment page), then the browser's
`Accept-Language`. A request stores the language it was made in, and every
message to that patient is written in it. Forms and redirects carry a `?lang=`
on to the next address, so a browser that blocks the cookie keeps its language.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, g, has_request_context, request, url_for
from flask_babel import Babel, get_locale, gettext, refresh
from flask_babel.speaklater import LazyString

from booking.domain.languages import DEFAULT_LANGUAGE, choose_language
from booking.models import Language

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGE_COOKIE = "lang"
# Blueprints whose pages are for staff: they stay English.
STAFF_BLUEPRINTS = frozenset({"dashboard", "auth"})


class _LazyText(LazyString):
    """Flask-Babel's lazy string, escaped like any other text.

    Flask-Babel's own passes for HTML (`__html__`), so a label or message holding
    `'` or `<` would reach the page unescaped.
    """

    @property
    def __html__(self) -> None:
        raise AttributeError("__html__")


def lazy_text(string: str, **variables: object) -> LazyString:
    """`string` translated when it is shown, in the reader's language (for texts defined at import).

    Import it as `_l`: `pybabel extract` (`make messages`) looks for that name.
    """
    return _LazyText(gettext, string, **variables)


def current_language() -> Language:
    """The language of what is being rendered now (a page, or a message under `force_locale`)."""
    locale = get_locale()
    return Language.parse(locale.language if locale else None) or DEFAULT_LANGUAGE


def prefer_language(language: Language) -> None:
    """Open this page in `language` unless `?lang=` or the visitor's earlier choice says otherwise.

    For pages that know their reader, such as the patient's appointment page. Call it
    before anything is rendered.
    """
    g.preferred_language = language
    g.pop("page_language", None)
    refresh()  # Flask-Babel keeps the locale per request once it has asked for it


def _page_language() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE.value
    if request.blueprint in STAFF_BLUEPRINTS:
        return DEFAULT_LANGUAGE.value
    if "page_language" not in g:
        preferred: Language | None = g.get("preferred_language")
        g.page_language = choose_language(
            request.args.get("lang"),
            request.cookies.get(LANGUAGE_COOKIE),
            [preferred.value] if preferred else request.accept_languages.values(),
        )
    language: Language = g.page_language
    return language.value


def _remember_choice(response: Response) -> Response:
    # A visitor who picked a language keeps it on the next pages without ?lang=.
    asked = Language.parse(request.args.get("lang")) if request.blueprint not in STAFF_BLUEPRINTS else None
    if asked is not None and request.cookies.get(LANGUAGE_COOKIE) != asked.value:
        response.set_cookie(
            LANGUAGE_COOKIE, asked.value, max_age=365 * 24 * 3600, samesite="Lax",
            secure=bool(request.is_secure), httponly=True,
        )
    return response


def url_in_language(language: Language) -> str:
    """A link to this same page in `language`: only its query string, so no path (nor a
    patient's secret link) is echoed into the page."""
    return "?" + urlencode({**request.args.to_dict(), "lang": language.value})


def asked_language() -> dict[str, Any]:
    """`{"lang": ...}` if this address asked for a language, for a redirect to carry on."""
    asked = Language.parse(request.args.get("lang"))
    return {"lang": asked.value} if asked is not None else {}


def form_action(endpoint: str, **values: Any) -> str:
    """The URL a form on this page posts to, carrying `?lang=` if this page's address did.

    The answer (errors, the stored request, the next page) is then in the language
    the form was read in even if the browser refused the language cookie; a language
    from the cookie, the browser or the patient's record comes back with the POST anyway.
    """
    return url_for(endpoint, **values, **asked_language())


def init_i18n(app: Flask) -> None:
    """Flask-Babel with our catalogues and the patient's language."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE.value)
    Babel(app, locale_selector=_page_language)
    app.after_request(_remember_choice)
    app.jinja_env.globals["languages"] = list(Language)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["url_in_language"] = url_in_language
    app.jinja_env.globals["form_action"] = form_action
