"""Another city installs one plugin from the wheel into its own, fresh Wagtail project."""

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ("participation", "consultation", "budget")

# What a city adds to the settings of a project made by `wagtail start` (the README shows it).
CITY_SETTINGS = """
INSTALLED_APPS += [
    "civic_core",
    "{app}",
    "wagtail_modeladmin",
    "rest_framework",
    "drf_spectacular",
    "django_q",
    "guardian",
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
REST_FRAMEWORK = {{"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}}
Q_CLUSTER = {{"name": "city", "orm": "default", "timeout": 60, "retry": 120, "catch_up": False}}
"""
CITY_URL = 'urlpatterns.insert(0, path("api/{name}/", include("{app}.api.urls")))\n'
FETCH_API_ROOT = """
from django.test import Client
response = Client().get("/api/{name}/", HTTP_HOST="localhost", HTTP_ACCEPT="application/json")
print(response.status_code, response.content.decode())
"""


def run(command, cwd, env=None):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("dist")
    run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir)],
        cwd=ROOT,
    )
    (built,) = outdir.glob("wagtail_civic-*.whl")
    return built


def test_wheel_ships_only_the_three_plugins_and_their_core(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {
        name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")
    }
    assert top_level == {"civic_core", "civic_participation", "civic_consultation", "civic_budget"}
    assert "civic_participation/apps.py" in names


@pytest.mark.slow
@pytest.mark.parametrize("name", PLUGINS)
def test_one_plugin_installs_into_a_fresh_wagtail_project(wheel, tmp_path, name):
    app = f"civic_{name}"
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    # The city's virtualenv sees the project's installed dependencies (no network needed),
    # but not the project's sources: the plugin comes from the wheel only.
    city_site_packages = run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd=tmp_path,
    ).strip()
    Path(city_site_packages, "project-deps.pth").write_text(sysconfig.get_paths()["purelib"])
    run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], cwd=tmp_path)

    run([str(python), "-m", "wagtail.bin.wagtail", "start", "city"], cwd=tmp_path)
    project = tmp_path / "city"
    settings_file = project / "city" / "settings" / "base.py"
    settings_file.write_text(settings_file.read_text() + CITY_SETTINGS.format(app=app))
    urls_file = project / "city" / "urls.py"
    urls_file.write_text(urls_file.read_text() + CITY_URL.format(name=name, app=app))

    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "city.settings.dev",
    }
    installed_from = run(
        [str(python), "-c", f"import {app}; print({app}.__file__)"], cwd=project, env=env
    )
    assert str(venv) in installed_from
    run([str(python), "manage.py", "check"], cwd=project, env=env)
    run([str(python), "manage.py", "migrate", "--noinput"], cwd=project, env=env)
    output = run(
        [str(python), "manage.py", "shell", "-c", FETCH_API_ROOT.format(name=name)],
        cwd=project,
        env=env,
    )
    status, body = output.strip().splitlines()[-1].split(" ", 1)
    assert status == "200"
    assert isinstance(json.loads(body), dict)
