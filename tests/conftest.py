"""Shared fixtures: where ../shared is, the WordPress oracle, the seed article.

Tests that need ``../shared`` (the corpus, the oracle, the COVID-19 figures)
find it beside the project root, or at ``$WP_SHORTCODES_SHARED``, and skip
with a visible reason when it is missing.  CI always has it.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# CI (CI=true) runs a fixed set of examples, so a red run can be reproduced
# and a green one is not luck; deadlines are off because CI machines are
# shared and noisy.  Locally, Hypothesis explores new examples every run.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WP_SHORTCODES_SHARED", ROOT.parent / "shared")).resolve()
EXAMPLES = ROOT / "examples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is missing (set WP_SHORTCODES_SHARED to the shared/ folder)")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return shared_path()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return shared_path("corpus")


@pytest.fixture(scope="session")
def corpus_texts(corpus_dir: Path) -> list[tuple[str, str]]:
    """``(label, text)`` of every real post body in the corpus: the files of ``posts/`` (a JSON Lines
    file gives its ``input``/``content``/``text``/``html`` fields) and the content and excerpt of every
    post of the ``wxr/`` exports that can be read (with recovery)."""
    import json
    import warnings

    from shortcodes.exports import read_posts

    texts = []
    for path in sorted((corpus_dir / "posts").iterdir()):
        if path.suffix == ".jsonl":
            for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                if line.strip():
                    value = json.loads(line)
                    for key in ("input", "content", "text", "html"):
                        if isinstance(value, dict) and isinstance(value.get(key), str):
                            texts.append((f"{path.name}:{i + 1}", value[key]))
                            break
        elif path.is_file():
            texts.append((path.name, path.read_text(encoding="utf-8")))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exports' own warnings are the WXR tests' business
        for path in sorted((corpus_dir / "wxr").glob("*.xml")):
            try:
                for post in read_posts([path], recover=True):
                    for field in ("content", "excerpt"):
                        text = getattr(post, field, "")
                        if text:
                            texts.append((f"{path.name}:{post.id}:{field}", text))
            except Exception:  # noqa: BLE001 - unusable exports are the WXR tests' business
                continue
    return texts


@pytest.fixture(scope="session")
def covid_data_dir() -> Path:
    return shared_path("data", "covid19")


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The project's own copy of the seed article (examples/)."""
    return (EXAMPLES / "hasakah-article.txt").read_text(encoding="utf-8")


def _import_file(name: str, path: Path):
    """Import the Python file ``path`` as module ``name`` (the oracles' clients live outside the project)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _load_oracle():
    oracle_dir = Path(os.environ.get("WP_ORACLE_DIR", SHARED / "oracle"))
    wp_py = oracle_dir / "wp.py"
    if not wp_py.is_file():
        return None, f"WordPress oracle not found at {wp_py} (set WP_ORACLE_DIR)"
    if not (os.environ.get("WP_ORACLE_PHP") or shutil.which("php")):
        return None, f"php is not installed: run {oracle_dir / 'setup.sh'} as root"
    module = _import_file("wp_oracle", wp_py)
    try:
        module.wpinc()
    except Exception as exc:  # noqa: BLE001 - report why, then skip
        return None, f"WordPress oracle not set up: {exc}"
    return module, ""


@pytest.fixture(scope="session")
def wp():
    """The WordPress PHP oracle (../shared/oracle/wp.py); skips when missing."""
    module, why = _load_oracle()
    if module is None:
        pytest.skip(why)
    return module


def _load_media_oracle():
    oracle_dir = Path(os.environ.get("WP_ORACLE_DIR", SHARED / "oracle")) / "media"
    client = oracle_dir / "media_oracle.py"
    if not client.is_file():
        return None, f"WordPress media oracle not found at {client} (set WP_ORACLE_DIR)"
    if not (os.environ.get("WP_ORACLE_PHP") or shutil.which("php")):
        return None, "php is not installed: run ../shared/oracle/setup.sh as root"
    module = _import_file("media_oracle", client)
    wpinc = Path(os.environ.get("WP_ORACLE_WPINC", module.DEFAULT_WPINC))
    if not (wpinc / "media.php").is_file():
        return None, f"WordPress not set up at {wpinc}: run ../shared/oracle/setup.sh"
    return module, ""


@pytest.fixture(scope="session")
def media_oracle():
    """WordPress 6.1.9's media shortcodes (../shared/oracle/media/media_oracle.py); skips when missing."""
    module, why = _load_media_oracle()
    if module is None:
        pytest.skip(why)
    return module


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Playwright's sync API allows one at a time); skips with
    the reason when Playwright or Chromium is missing (scripts/install-browser.sh, pip install -e '.[browser]')."""
    from _browser import LAUNCH_ARGS, chromium_path

    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[browser]' (pins playwright==1.65.2)")
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium at /usr/bin/chromium: run scripts/install-browser.sh "
                    "(or set WP_SHORTCODES_CHROMIUM)")
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        except PlaywrightError as exc:
            pytest.skip(f"Chromium at {executable} did not start: {str(exc).splitlines()[0]}")
        yield b
        b.close()
