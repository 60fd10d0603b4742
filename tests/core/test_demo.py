"""Demo commands refuse to fill a production site unless told to."""

import io

import pytest
from django.core.management.base import CommandError

from civic_core.demo import DemoCommand


class FillDemo(DemoCommand):
    def handle(self, *args, **options):
        self.stdout.write("filled")


def run(**options):
    out = io.StringIO()
    command = FillDemo(stdout=out)
    parser = command.create_parser("manage.py", "fill_demo")
    defaults = vars(parser.parse_args([]))
    command.execute(**{**defaults, **options})
    return out.getvalue()


def test_refused_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        run()


def test_runs_in_development_or_when_asked(settings):
    settings.DEBUG = True
    assert run().strip() == "filled"
    settings.DEBUG = False
    assert run(allow_production=True).strip() == "filled"
