"""WSGI entry point: `gunicorn wsgi:app`.

Commands (`flask db upgrade`, `flask outbox work`, ...) use the factory instead:
`flask --app booking ...`, which also loads the migration tooling.
"""
from booking import create_app

app = create_app(cli=False)
