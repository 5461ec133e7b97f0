"""``fengqiao`` — the command-line entry; it wraps Django's management commands.

``fengqiao geo load`` is ``manage.py geo load``; ``fengqiao`` alone lists the commands.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["fengqiao", *sys.argv[1:]])
    except BrokenPipeError:  # the reader stopped early (``fengqiao triage eval … | head``)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
