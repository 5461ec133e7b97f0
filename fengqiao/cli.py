"""``fengqiao`` — the command-line entry; it wraps Django's management commands.

``fengqiao geo load`` is ``manage.py geo load``; ``fengqiao`` alone lists the commands.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fengqiao", *sys.argv[1:]])


if __name__ == "__main__":
    main()
