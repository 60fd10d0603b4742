"""Helpers shared by the counting tests: optional references that CI must have.

Outside CI a missing reference (pabutools, the pabulib files) skips the tests that need it,
with the command that installs it. In CI (``CI=true``) it fails them: a reference test that
silently skips proves nothing.
"""

import hashlib
import importlib
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
PABULIB_CACHE = REPO_ROOT / ".cache" / "pabulib"
# The real .pb files ship in this sdist (MIT licence, data from pabulib.org); pinned by hash.
PABULIB_SDIST = "pabumeasures==0.2.2"
PABULIB_SDIST_FILE = "pabumeasures-0.2.2.tar.gz"
PABULIB_SDIST_SHA256 = "3bbd8c404dd37fea5d75304dd578bf213880be5627dfb2992ecc407b3ddb19c7"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing(reason: str):
    """Skip outside CI, fail in CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: required)", pytrace=False)
    pytest.skip(reason)


def require_module(name: str, install_hint: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"{name} is not installed; {install_hint}")


def require_pabutools():
    return require_module(
        "pabutools",
        "pip install -r requirements/oracle.txt && "
        "pip install --no-deps -r requirements/oracle-nodeps.txt",
    )


def _download_sdist() -> Path:
    PABULIB_CACHE.mkdir(parents=True, exist_ok=True)
    archive = PABULIB_CACHE / PABULIB_SDIST_FILE
    if not archive.exists():
        command = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps"]
        command += ["--dest", str(PABULIB_CACHE), PABULIB_SDIST]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if completed.returncode != 0 or not archive.exists():
            missing(f"could not download {PABULIB_SDIST}: {completed.stderr.strip()[-300:]}")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != PABULIB_SDIST_SHA256:
        pytest.fail(f"{archive.name} has sha256 {digest}, expected {PABULIB_SDIST_SHA256}")
    return archive


def pabulib_file(name: str) -> Path:
    """Path of a real pabulib file (e.g. ``poland_wieliczka_2023_green-budget.pb``), fetched
    from the sdist into the git-ignored ``.cache/pabulib/`` on first use."""
    target = PABULIB_CACHE / name
    if target.exists():
        return target
    archive = _download_sdist()
    with tarfile.open(archive) as tar:
        member = tar.getmember(f"{PABULIB_SDIST_FILE.removesuffix('.tar.gz')}/data/{name}")
        extracted = tar.extractfile(member)
        target.write_bytes(extracted.read())
    return target
