"""Files written beside the one they replace, then renamed into place."""

import os
from pathlib import Path

TMP = ".tmp"


def scratch_for(path: Path) -> Path:
    """A temporary name beside ``path``, private to this process: two processes that
    build the same file at once (test workers, server workers) never write into each
    other's, and readers never see half a file once it is renamed to ``path``."""
    return path.with_name(f"{path.name}.{os.getpid()}{TMP}")
