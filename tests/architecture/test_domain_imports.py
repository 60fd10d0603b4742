"""Loading a plugin's domain never loads its delivery layers.

Admin, API, pages and tasks call the domain; the domain calls none of them. In a fresh
interpreter, after Django has set up the apps (which imports every model, page models
included), importing every domain module must leave the forms, views, API and admin modules
of the plugin unloaded. Wagtail's own discovery of ``wagtail_hooks`` modules (which load the
admin views) is switched off in the probe: it is the admin's entry point, not the domain's.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.architecture.test_module_graph import PACKAGES, _modules

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ("civic_participation", "civic_consultation", "civic_budget")
# Where a request, an admin screen or a command comes in: the layers above the domain.
DELIVERY = ("api", "forms", "views", "admin_views", "wagtail_hooks", "templatetags", "management")

PROBE = """
import json, sys, importlib
import django
from wagtail import hooks
hooks.search_for_hooks = lambda: None
django.setup()
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
print(json.dumps(sorted(set(sys.modules))))
"""


def _is_delivery(plugin, name):
    first = name.removeprefix(plugin + ".").split(".")[0]
    return name != plugin and first in DELIVERY


def domain_modules(plugin):
    return sorted(
        name for name in _modules(plugin, PACKAGES[plugin]) if not _is_delivery(plugin, name)
    )


@pytest.mark.parametrize("plugin", PLUGINS)
def test_the_domain_loads_without_the_delivery_layers(plugin):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"tests.settings.{plugin.removeprefix('civic_')}_only",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(domain_modules(plugin))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    loaded = json.loads(completed.stdout.strip().splitlines()[-1])
    assert [name for name in loaded if name.startswith(plugin) and _is_delivery(plugin, name)] == []
