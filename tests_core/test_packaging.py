"""The addon installs as OCA addons do: a wheel built by ``whool``, named
``odoo-addon-account_qonto_einvoicing``, that puts the addon in Odoo's ``odoo.addons``
namespace with the Python dependencies of its manifest.

The wheel is built for real (``pip wheel``, which fetches ``whool`` from the package
index) from the files git knows, in a folder named as the addon (whool names the
package after its folder), and installed in a fresh virtualenv. Where the package index
cannot be reached, the build test is skipped and says why.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDON = "account_qonto_einvoicing"
DISTRIBUTION = f"odoo-addon-{ADDON}"
OFFLINE_SIGNS = ("No matching distribution", "Could not find a version", "NewConnectionError",
                 "Temporary failure in name resolution", "Network is unreachable")


def _manifest() -> dict:
    return ast.literal_eval((ROOT / "__manifest__.py").read_text(encoding="utf-8"))


def _requirements() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def test_manifest_external_dependencies_are_the_requirements() -> None:
    """What Odoo checks before installing the addon, what pip installs with the wheel
    and what requirements.txt installs for the core are one list."""
    assert _manifest()["external_dependencies"]["python"] == _requirements()


def test_pyproject_builds_with_whool_and_keeps_ruff() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'build-backend\s*=\s*"whool\.buildapi"', text)
    assert re.search(r'requires\s*=\s*\["whool[^"]*<\d', text), "whool pinned with an upper bound"
    assert "[tool.ruff]" in text


def _copy_tracked_files(destination: Path) -> None:
    """The files whool would package: those git knows (new ones not yet committed too)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def _run(*args: str | Path, cwd: Path | None = None,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


def _odoo_source_dirs() -> tuple[str, list[str]] | None:
    """Odoo's interpreter and the folders its ``odoo`` command puts on ``sys.path``."""
    odoo = os.environ.get("ODOO_BIN") or shutil.which("odoo")
    if not odoo:
        return None
    lines = Path(odoo).read_text(encoding="utf-8", errors="replace").splitlines()
    if not lines or not lines[0].startswith("#!"):
        return None
    python = lines[0][2:].split()[0]
    text = "\n".join(lines)
    wrapped = re.search(r"^exec\s+(\S*python\S*)\s+(\S+)", text, re.MULTILINE)
    if wrapped and not Path(python).name.startswith("python"):
        # A shell wrapper (``exec /venv/bin/python3 /src/odoo-bin "$@"``): Python runs
        # odoo-bin, whose folder is then the first entry of sys.path.
        return wrapped.group(1), [str(Path(wrapped.group(2)).parent)]
    dirs = re.findall(r'sys\.path\.insert\(\s*0\s*,\s*[\'"]([^\'"]+)[\'"]', text)
    return python, dirs


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: whool packages the files under git control")
    work = tmp_path_factory.mktemp("packaging")
    source = work / ADDON
    _copy_tracked_files(source)
    dist = work / "dist"
    # Copied files carry no git history: the version is the manifest's, as released.
    env = {**os.environ, "WHOOL_POST_VERSION_STRATEGY_OVERRIDE": "none"}
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                 "--disable-pip-version-check", "-w", dist, ".", cwd=source, env=env)
    if built.returncode != 0 and any(sign in built.stderr for sign in OFFLINE_SIGNS):
        pytest.skip("cannot build the wheel offline: pip could not fetch the build backend "
                    f"whool from the package index ({built.stderr.strip().splitlines()[-1]})")
    assert built.returncode == 0, built.stderr
    [wheel_path] = dist.glob("*.whl")
    return wheel_path


def test_wheel_is_an_oca_addon_package(wheel: Path) -> None:
    manifest = _manifest()
    assert wheel.name == f"odoo_addon_{ADDON}-{manifest['version']}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        [metadata_name] = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = archive.read(metadata_name).decode()
    prefix = f"odoo/addons/{ADDON}/"
    for path in ("__manifest__.py", "__init__.py", "qonto_einvoicing/client.py",
                 "qonto_einvoicing/simulator/__main__.py", "views/res_config_settings_views.xml",
                 "i18n/fr.po", "static/description/index.html", "static/description/icon.png"):
        assert prefix + path in names, f"{path} is missing from the wheel"
    assert f"Name: {DISTRIBUTION}" in metadata
    required = re.findall(r"^Requires-Dist: (.+)$", metadata, re.MULTILINE)
    assert "odoo==19.0.*" in required
    for requirement in _requirements():
        assert requirement in required


def test_wheel_installs_in_a_fresh_virtualenv(wheel: Path, tmp_path: Path) -> None:
    """Installed with its dependencies (Odoo itself is not on PyPI for 19.0: the check
    below uses this machine's Odoo when there is one), the core imports from the
    installed addon."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    installed = _run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                     "--no-deps", wheel)
    assert installed.returncode == 0, installed.stderr
    deps = _run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                *_requirements())
    if deps.returncode != 0 and any(sign in deps.stderr for sign in OFFLINE_SIGNS):
        pytest.skip("cannot install the addon's dependencies offline")
    assert deps.returncode == 0, deps.stderr

    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    addon_dir = Path(site.stdout.strip()) / "odoo" / "addons" / ADDON
    assert (addon_dir / "__manifest__.py").is_file()
    version = _run(python, "-c", "import importlib.metadata as m; "
                   f"print(m.version('{DISTRIBUTION}'))")
    assert version.stdout.strip() == _manifest()["version"]
    # The core is a plain package inside the installed addon: usable without Odoo.
    core = _run(python, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                "import qonto_einvoicing as core; print(core.QontoClient.__name__)", addon_dir)
    assert core.stdout.strip() == "QontoClient", core.stderr

    odoo = _odoo_source_dirs()
    if odoo is None:
        return
    # With Odoo: the same wheel, unpacked alone (the venv above may be another Python
    # than Odoo's, whose own packages then serve), imports under odoo.addons.
    odoo_python, odoo_dirs = odoo
    target = tmp_path / "target"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), *odoo_dirs])}
    imported = _run(odoo_python, "-c",
                    f"import odoo.addons.{ADDON}.qonto_einvoicing as core; print(core.__file__)",
                    cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == str(
        target / "odoo" / "addons" / ADDON / "qonto_einvoicing" / "__init__.py")
