"""Another city installs one plugin from the wheel into its own, fresh Wagtail project.

The project is made by `wagtail start`; the settings and URLs added to it are read from the
README's install section itself, so the README and this test cannot drift apart. The host site
is given DRF defaults many sites have (every endpoint behind a login, no pagination), which the
plugins must not depend on. Then each plugin's journey script (``journeys/<plugin>.py``) walks
what its users do, over HTTP, in that project.
"""

import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JOURNEYS = Path(__file__).resolve().parent / "journeys"
PLUGINS = ("participation", "consultation", "budget")
README_SECTION = "## Installing one plugin in another city's Wagtail site"
# The README's example installs participation; another plugin is installed the same way.
EXAMPLE = "participation"

# Defaults a city's own API may well have: the plugins must not inherit them.
HOST_DRF_DEFAULTS = """
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": None,
}
"""


def readme_install_snippet():
    """The settings and the URL lines of the README's install section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(README_SECTION, 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    settings_part, urls_part = code.split("# urls.py", 1)
    urls_lines = [line for line in urls_part.splitlines()[1:] if line.strip()]
    return settings_part, "\n".join(urls_lines) + "\n"


def for_plugin(text, name):
    return text.replace(f"civic_{EXAMPLE}", f"civic_{name}").replace(
        f"api/{EXAMPLE}/", f"api/{name}/"
    )


def run(command, cwd, env=None, timeout=900):
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
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


def test_wheel_ships_the_three_plugins_their_core_and_the_licence(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {
        name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")
    }
    assert top_level == {"civic_core", "civic_participation", "civic_consultation", "civic_budget"}
    assert "civic_participation/apps.py" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    # Demo accounts of the reference site are not shipped; the plugins' demo commands are,
    # and refuse a production site (tests/core/test_demo.py).
    assert not any(name.startswith(("civic_site/", "home/")) for name in names)


def test_the_readme_snippet_names_every_app_the_plugins_need():
    settings_part, urls_part = readme_install_snippet()
    for app in ("civic_core", "wagtail_modeladmin", "rest_framework", "django_q", "guardian"):
        assert f'"{app}"' in settings_part
    assert 'include("civic_participation.api.urls")' in urls_part


def city_project(tmp_path, wheel, name):
    """A `wagtail start` project with the wheel installed and the README's snippet applied."""
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
    settings_part, urls_part = readme_install_snippet()
    settings_file = project / "city" / "settings" / "base.py"
    settings_file.write_text(
        settings_file.read_text() + HOST_DRF_DEFAULTS + for_plugin(settings_part, name)
    )
    urls_file = project / "city" / "urls.py"
    urls_file.write_text(urls_file.read_text() + for_plugin(urls_part, name))
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "city.settings.dev",
    }
    return project, python, env


@pytest.mark.slow
@pytest.mark.parametrize("name", PLUGINS)
def test_one_plugin_works_in_a_fresh_wagtail_project_by_the_readme(wheel, tmp_path, name):
    app = f"civic_{name}"
    project, python, env = city_project(tmp_path, wheel, name)
    installed_from = run(
        [str(python), "-c", f"import {app}; print({app}.__file__)"], cwd=project, env=env
    )
    assert str(tmp_path / "venv") in installed_from
    run([str(python), "manage.py", "check", "--fail-level", "WARNING"], cwd=project, env=env)
    run([str(python), "manage.py", "migrate", "--noinput"], cwd=project, env=env)
    journey = (JOURNEYS / f"{name}.py").read_text()
    output = run(
        [str(python), "manage.py", "shell", "-c", journey],
        cwd=project,
        env={**env, "PYTHONPATH": str(JOURNEYS)},
    )
    assert output.strip().splitlines()[-1] == "JOURNEY OK", output
