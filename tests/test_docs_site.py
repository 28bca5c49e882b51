"""The generator's docs site (mkdocs.yml, docs/): `mkdocs build --strict` passes and a
broken link fails it; the config reference equals a fresh generation from what gen new
emits; the built site, served over HTTP, shown by headless Chromium page by page (each
screenshot not blank, nothing on the console as an error) and its search finds a page;
site_url is copier.yml's docs_url, which the emitted READMEs link to."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image

from tests.browser.cdp import Chromium
from tests.http_server import serve
from tests.test_report import chromium

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = [
    "classification",
    "own-images",
    "detection",
    "segmentation",
    "export-and-serve",
    "search",
]


def build(config: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(config),
            "-d",
            str(site),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = build(ROOT / "mkdocs.yml", out)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_strict_build_holds_every_page(site):
    for page in ["index", "quickstart", "reference/config", "reference/api"]:
        assert (site / page.replace("index", "") / "index.html").is_file(), page
    # the tutorials of the URL map, and every page an emitted README links to
    docs_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]
    linked = {f"tutorials/{name}/" for name in TUTORIALS}
    for readme in (ROOT / "golden").glob("*/README.md*"):
        linked |= set(
            re.findall(re.escape(docs_url) + r"([^)\s#]*)", readme.read_text())
        )
    for path in linked:
        assert (site / path / "index.html").is_file(), f"{docs_url}{path}"
    for name in TUTORIALS:  # every task Paddle has: a transcript of each twin, in tabs
        tabs = re.findall(
            r'<label for="__tabbed_[\d_]+">(\w+)</label>',
            (site / "tutorials" / name / "index.html").read_text(),
        )
        assert tabs and set(tabs) == {"Lightning", "Paddle"}, (name, tabs)
    api = (site / "reference" / "api" / "index.html").read_text()
    assert "answers_for" in api and "validate_spec" in api  # from the docstrings


def test_a_broken_link_fails_the_build(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    with (docs / "quickstart.md").open("a") as page:
        page.write("\nSee [the missing page](no-such-page.md).\n")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    config["docs_dir"] = str(docs)
    config["plugins"][1]["mkdocstrings"]["handlers"]["python"]["paths"] = [str(ROOT)]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    result = build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "no-such-page.md" in result.stderr


def test_site_url_is_the_docs_url_emitted_readmes_link_to():
    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]
    copier = yaml.safe_load((ROOT / "blueprints" / "copier.yml").read_text())
    assert copier["docs_url"]["when"] is False  # never asked
    assert copier["docs_url"]["default"] == site_url
    # the host that publishes it builds this site, strictly, with the docs extra's pins
    hosted = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    assert hosted["mkdocs"] == {"configuration": "mkdocs.yml", "fail_on_warning": True}
    assert hosted["python"]["install"][0]["extra_requirements"] == ["docs"]
    assert "readthedocs.io" in site_url


def test_config_reference_is_what_gen_new_emits(rendered):
    spec = importlib.util.spec_from_file_location(
        "config_reference", ROOT / "docs" / "tools" / "config_reference.py"
    )
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    fresh = generator.generate(rendered)
    assert (
        fresh == generator.PAGE.read_text()
    ), "docs/reference/config.md is stale: run python docs/tools/config_reference.py"
    assert "`trainer.max_epochs`" in fresh and "`data.batch_size`" in fresh


def shows_something(png: bytes) -> bool:
    """A PNG that decodes, and is not one flat colour (colours counted as one integer
    each: np.unique over rows of three takes seconds on a whole page)."""
    picture = np.asarray(Image.open(BytesIO(png)).convert("RGB")).astype(np.uint32)
    colours = picture[..., 0] << 16 | picture[..., 1] << 8 | picture[..., 2]
    return picture.std() > 5 and len(np.unique(colours)) > 8


def test_chromium_shows_every_page_and_search_finds(site):
    pages = sorted(p.relative_to(site) for p in site.rglob("index.html"))
    assert len(pages) >= 20
    browser = Chromium(chromium())
    try:
        with serve(site) as url:
            for page in pages:
                browser.visit(url + page.parent.as_posix() + "/")
                assert browser.evaluate("document.querySelector('h1') !== null"), page
                assert shows_something(browser.screenshot()), page
                assert not browser.console, (page, browser.console)
            browser.visit(url)
            browser.evaluate("document.querySelector('.md-search__input').focus()")
            browser.type_text("imagefolder")
            hits = browser.wait_for(
                "[...document.querySelectorAll('.md-search-result__item a')]"
                ".map(a => a.getAttribute('href'))"
            )
            assert any("own-images" in hit for hit in hits), hits
            assert not browser.console, browser.console
            # the checks of the check: an error on a page is caught, a blank page too
            (site / "broken.html").write_text(
                "<html><body><script>console.error('broken'); nope();</script>"
            )
            browser.visit(url + "broken.html")
            assert len(browser.console) == 2, browser.console
            assert not shows_something(browser.screenshot())
    finally:
        browser.close()
