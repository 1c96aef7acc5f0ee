"""The course site (``make site``, scripts/build_site.py): built from the committed notebooks without executing
them, every chapter has a page, navigation links and images all resolve, the results page is generated."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from helpers.paths import COURSE_ROOT

NOTEBOOKS = sorted((COURSE_ROOT / "notebooks").glob("[0-9]*.ipynb"))
BUILD_SITE = COURSE_ROOT / "scripts" / "build_site.py"
# The only thing a page may load from elsewhere: MathJax, which typesets the formulas in the reader's browser.
ALLOWED_SCRIPTS = ("https://cdnjs.cloudflare.com/ajax/libs/mathjax/",)


class PageLinks(HTMLParser):
    """The ids, links, images and scripts of one page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.images: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.ids.add(attributes["name"])
        if tag == "a" and attributes.get("href") is not None:
            self.links.append(attributes["href"])
        if tag == "img":
            self.images.append(attributes.get("src") or "")
        if tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"])


def parse(page: Path) -> PageLinks:
    parser = PageLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "_site"
    started = time.perf_counter()
    subprocess.run([sys.executable, str(BUILD_SITE), "--out", str(out)], check=True, cwd=COURSE_ROOT, timeout=600)
    print(f"site built in {time.perf_counter() - started:.1f} s")
    return out


def test_every_chapter_has_a_page(site):
    expected = {"index.html", "results.html", *(notebook.stem + ".html" for notebook in NOTEBOOKS)}
    assert len(NOTEBOOKS) >= 6
    assert expected <= {page.name for page in site.glob("*.html")}
    index = parse(site / "index.html")
    for notebook in NOTEBOOKS:
        assert notebook.stem + ".html" in index.links, f"the landing page does not list {notebook.name}"
    assert "results.html" in index.links


def test_navigation_between_chapters(site):
    pages = [notebook.stem + ".html" for notebook in NOTEBOOKS]
    for position, page in enumerate(pages):
        links = parse(site / page).links
        assert "index.html" in links and "results.html" in links
        if position > 0:
            assert pages[position - 1] in links, f"{page} has no link to the previous chapter"
        if position + 1 < len(pages):
            assert pages[position + 1] in links, f"{page} has no link to the next chapter"


def test_no_broken_internal_links_or_missing_images(site):
    problems = []
    parsed = {page.name: parse(page) for page in site.glob("*.html")}
    for name, page in parsed.items():
        for href in page.links:
            target = urlsplit(href)
            if target.scheme or href.startswith("//") or href.startswith("mailto:"):
                continue  # external: not checked offline
            file = unquote(target.path) or name
            if not (site / file).is_file():
                problems.append(f"{name}: link to missing {href}")
            elif target.fragment and file.endswith(".html"):
                ids = parsed[file].ids if file in parsed else parse(site / file).ids
                # as browsers do: the fragment as written, else percent-decoded (nbconvert's ids are encoded)
                if target.fragment not in ids and unquote(target.fragment) not in ids:
                    problems.append(f"{name}: link to missing anchor {href}")
        for src in page.images:
            if src.startswith("data:image/"):
                if len(src) < 100:
                    problems.append(f"{name}: empty embedded image")
            elif not src or urlsplit(src).scheme or not (site / unquote(urlsplit(src).path)).is_file():
                problems.append(f"{name}: missing or external image {src[:80]!r}")
        for script in page.scripts:
            if not script.startswith(ALLOWED_SCRIPTS):
                problems.append(f"{name}: loads a script from {script}")
    assert not problems, "\n".join(problems)


def test_pages_show_figures_and_maths(site):
    for notebook in NOTEBOOKS:
        text = (site / (notebook.stem + ".html")).read_text(encoding="utf-8")
        assert "data:image/png;base64," in text, f"{notebook.name}: no figure on its page"
        assert "jp-CodeCell" in text and "jp-MarkdownCell" in text
    # formulas are left for MathJax to typeset in the browser, which every page loads
    assert any("$" in (site / (n.stem + ".html")).read_text(encoding="utf-8") for n in NOTEBOOKS)
    assert all("mathjax" in page.read_text(encoding="utf-8").lower() for page in site.glob("*.html"))


def test_results_page_has_every_chapter(site):
    text = (site / "results.html").read_text(encoding="utf-8")
    links = parse(site / "results.html").links
    for notebook in NOTEBOOKS:
        assert notebook.stem + ".html" in links
    chapter_files = sorted((COURSE_ROOT / "docs" / "results").glob("chapter*.json"))
    assert text.count("No reference results recorded yet") == len(NOTEBOOKS) - len(chapter_files)


def test_results_section_from_a_results_file(tmp_path):
    spec = importlib.util.spec_from_file_location("build_site", BUILD_SITE)
    build_site = importlib.util.module_from_spec(spec)
    sys.modules["build_site"] = build_site  # dataclasses look their module up
    spec.loader.exec_module(build_site)
    chapter = build_site.Chapter(5, Path("05_x.ipynb"), "Chapter 5 — a project", "")
    data = {"chapter": 5, "profile": "standard",
            "results": {"accuracy": {"value": 0.81234, "description": "test accuracy <all classes>"},
                        "table": {"value": {"columns": ["model", "parameters"], "rows": [["baseline", 528054]]},
                                  "description": "models"}},
            "figures": {"curves": {"file": "figures/ch05_curves.png", "caption": "learning curves"}},
            "run": {"date": "2026-11-23T09:00:00+00:00", "commit": "0123456789" * 4, "commit_dirty": True,
                    "wall_time_s": 600.0, "command": "make reference NOTEBOOKS=notebooks/05_x.ipynb",
                    "machine": {"cpu": "Some CPU", "cores": 2, "gpu": "none"}}}
    section = build_site.chapter_results(chapter, data)
    assert section.startswith("## [Chapter 5 — a project](05_x.html)")
    assert "0.8123" in section and "test accuracy &lt;all classes&gt;" in section
    assert "<td>baseline</td><td>528,054</td>" in section
    assert '<img src="figures/ch05_curves.png" alt="learning curves">' in section
    assert "commit 0123456789 with uncommitted changes" in section and "10.0 min" in section
    assert "No reference results" in build_site.chapter_results(chapter, None)
