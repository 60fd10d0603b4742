#!/usr/bin/env python
"""Django's command-line utility for the reference site."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# `site/` is a plain folder (a package named `site` can never be imported) and each plugin
# lives in its own distribution folder, so all of them go on the path explicitly.
SOURCE_FOLDERS = [
    "site",
    "plugins/core",
    "plugins/participation",
    "plugins/consultation",
    "plugins/budget",
]


def main():
    for folder in reversed(SOURCE_FOLDERS):
        sys.path.insert(0, str(ROOT / folder))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
