"""gunicorn settings for ``scripts/serve``: the app is loaded once in the master
(``preload_app``) together with the triage models, so that every worker — including one
forked to replace a crashed worker — answers its first request at once and shares the
models' memory with its siblings (copy-on-write)."""

from typing import Any

preload_app = True


def when_ready(server: Any) -> None:
    from fengqiao.triage import store
    from fengqiao.triage.taxonomies import Taxonomy

    for taxonomy in Taxonomy:
        store.current(taxonomy)
    store.current_risk()
