"""The start of a process of the rebuild's pool (``rebuild._pool``).

Kept apart from ``rebuild`` and free of Django imports: a spawned process imports the
module of its initialiser before anything else, and the models may only be imported
once ``django.setup()`` has run.
"""


def start(database: object, snapshot: str) -> None:
    """Set up Django on the parent's database (the test run's, if it is one) and note
    the PostgreSQL snapshot to read in ('' on SQLite)."""
    import django

    django.setup()
    from django.db import connection

    connection.settings_dict["NAME"] = database
    from fengqiao.analytics import rebuild

    rebuild._SNAPSHOT = snapshot
