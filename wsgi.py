"""WSGI entry point: `gunicorn wsgi:app`.

Commands (`flask db upgrade`, `flask outbox work`, ...) use the factory instead:
`flask --app booking ...`, which also loads the migration tooling.
"""
import gc

from booking import create_app

app = create_app(cli=False)

# What start-up made (about 100,000 objects) lives as long as the worker. Frozen,
# the collector's full passes skip it instead of scanning it all, about 30 ms
# that used to land on whichever request triggered one.
gc.freeze()
