"""Build the course site (``make site``): static HTML pages from the committed notebooks, nothing executed.

usage: python scripts/build_site.py [--out _site] [--notebooks notebooks] [--results docs/results]

The pages are rendered by nbconvert's JupyterLab template (``docs/site/templates/course/`` adds a navigation bar):

* ``index.html``: the landing page with the chapter list (titles from the notebooks, one-line summaries from the
  README's chapter table);
* ``NN_name.html``: one page per chapter, with the outputs committed in the notebook (the quick profile); links
  between notebooks (``02_mlp_mnist.ipynb``) point to the pages; images in markdown are embedded;
* ``results.html``: the reference results of the standard profile, tables and figures generated from
  ``docs/results/chapterNN.json`` (``make reference``), figures copied to ``figures/``.

Building needs no network. Viewing a page with formulas loads MathJax from a CDN (nbconvert's default).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from helpers.paths import COURSE_ROOT

TEMPLATES = COURSE_ROOT / "docs" / "site" / "templates"
COURSE_TITLE_FALLBACK = "Convolutional neural networks, hands-on"


@dataclass
class Chapter:
    number: int
    notebook: Path
    title: str
    summary: str

    @property
    def page(self) -> str:
        return self.notebook.stem + ".html"


def notebook_title(notebook: nbformat.NotebookNode, fallback: str) -> str:
    """The first level-1 heading of the notebook's markdown."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def readme_summaries(readme: Path) -> tuple[str, str, dict[str, str]]:
    """The README's title, first paragraph and chapter table ({notebook stem: 'what you do'})."""
    title, intro, summaries = COURSE_TITLE_FALLBACK, "", {}
    if not readme.is_file():
        return title, intro, summaries
    text = readme.read_text(encoding="utf-8")
    heading = re.search(r"^# (.+)$", text, re.MULTILINE)
    if heading:
        title = heading.group(1).strip()
        intro = text[heading.end():].strip().split("\n\n")[0].replace("\n", " ")
    for stem, summary in re.findall(r"^\|\s*\d+\s*\|\s*\[`([^`]+)`\][^|]*\|\s*(.+?)\s*\|\s*$", text, re.MULTILINE):
        summaries[stem] = summary
    return title, intro, summaries


def find_chapters(notebook_dir: Path, summaries: dict[str, str]) -> list[Chapter]:
    chapters = []
    for path in sorted(notebook_dir.glob("[0-9]*.ipynb")):
        number = int(path.name.split("_", 1)[0])
        notebook = nbformat.read(path, as_version=4)
        chapters.append(Chapter(number, path, notebook_title(notebook, path.stem), summaries.get(path.stem, "")))
    return chapters


def navigation(chapters: list[Chapter], here: str) -> tuple[str, str]:
    """The top and bottom navigation bars of page ``here`` (a file name)."""
    pages = ["index.html"] + [chapter.page for chapter in chapters] + ["results.html"]
    names = {"index.html": "Course home", "results.html": "Reference results",
             **{chapter.page: chapter.title for chapter in chapters}}

    def link(page: str, text: str | None = None) -> str:
        text = html.escape(text or names[page])
        return f'<span class="here">{text}</span>' if page == here else f'<a href="{page}">{text}</a>'

    position = pages.index(here)
    previous = link(pages[position - 1], "← " + names[pages[position - 1]]) if position > 0 else ""
    following = link(pages[position + 1], names[pages[position + 1]] + " →") if position + 1 < len(pages) else ""
    chapter_links = " ".join(link(chapter.page, str(chapter.number)) for chapter in chapters)
    top = (f'<nav class="course-nav top">{link("index.html")}<span>chapters: {chapter_links}</span>'
           f'{link("results.html")}<span class="spacer"></span>{previous}{following}</nav>')
    bottom = f'<nav class="course-nav bottom">{previous}<span class="spacer"></span>{link("index.html")}{following}</nav>'
    return top, bottom


def exporter() -> HTMLExporter:
    html_exporter = HTMLExporter(template_name="course", extra_template_basedirs=[str(TEMPLATES)])
    html_exporter.embed_images = True  # markdown images become part of the page
    return html_exporter


def render(html_exporter: HTMLExporter, notebook: nbformat.NotebookNode, name: str, title: str, folder: Path,
           chapters: list[Chapter], out: Path) -> None:
    top, bottom = navigation(chapters, name)
    notebook.metadata["title"] = title
    resources = {"metadata": {"name": Path(name).stem, "path": str(folder)},
                 "course_nav_top": top, "course_nav_bottom": bottom}
    body, _ = html_exporter.from_notebook_node(notebook, resources=resources)
    # links between notebooks become links between pages
    body = re.sub(r'href="(\d+_[\w-]+)\.ipynb(#[^"]*)?"', lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
    (out / name).write_text(body, encoding="utf-8")


def markdown_page(*cells: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(cell) for cell in cells])


def landing_page(title: str, intro: str, chapters: list[Chapter]) -> nbformat.NotebookNode:
    rows = "\n".join(f"| {chapter.number} | [{chapter.title}]({chapter.page}) | {chapter.summary} |" for chapter in chapters)
    return markdown_page(
        f"# {title}\n\n{intro}",
        "## Chapters\n\n| chapter | page | what you do |\n|---|---|---|\n" + rows,
        "## What these pages show\n\n"
        "Each chapter page is its notebook as committed: executed in the `quick` profile (small subsets of the data, "
        "few epochs), so that the course's tests can re-run it in minutes. Its numbers are therefore lower than a "
        "full-size run's. The numbers of the `standard` profile, the one learners run, are on the "
        "[reference results](results.html) page, written by the reference run's own code.\n\n"
        "The interactive explorers need a running kernel: here they show a picture of their default state. "
        "To run the course yourself, clone it and follow the README's quick start (`make lab`).",
    )


def format_value(value) -> str:
    """HTML for a recorded value: numbers to 4 significant digits, tables as tables, the rest as JSON."""
    if isinstance(value, bool) or value is None:
        return html.escape(str(value))
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, dict) and set(value) == {"columns", "rows"}:
        head = "".join(f"<th>{html.escape(str(column))}</th>" for column in value["columns"])
        body = "".join("<tr>" + "".join(f"<td>{format_value(cell)}</td>" for cell in row) + "</tr>"
                       for row in value["rows"])
        return f"<table><tr>{head}</tr>{body}</table>"
    return f"<code>{html.escape(json.dumps(value, ensure_ascii=False))}</code>"


def describe_run(run: dict, profile: str) -> str:
    machine = run.get("machine", {})
    gpu = machine.get("gpu", "none")
    commit = str(run.get("commit", ""))[:10] + (" with uncommitted changes" if run.get("commit_dirty") else "")
    minutes = float(run.get("wall_time_s", 0)) / 60
    return html.escape(
        f"{profile} profile, run {str(run.get('date', '?'))[:10]} at commit {commit}; {machine.get('cpu', '?')}, "
        f"{machine.get('cores', '?')} cores, GPU: {gpu}; {machine.get('os', '?')}, Python {machine.get('python', '?')}, "
        f"TensorFlow {machine.get('tensorflow', '?')}, Keras {machine.get('keras', '?')}; the notebook took "
        f"{minutes:.1f} min (`{run.get('command', 'make reference')}`); dataset files available: "
        f"{', '.join(run.get('data_files', [])) or 'none'}.")


def chapter_results(chapter: Chapter, data: dict | None) -> str:
    heading = f"## [{chapter.title}]({chapter.page})\n\n"
    if data is None:
        return heading + "No reference results recorded yet for this chapter: run `make reference`."
    parts = [heading + describe_run(data.get("run", {}), data.get("profile", "?"))]
    rows = "".join(f"<tr><td><code>{html.escape(key)}</code></td><td>{format_value(entry.get('value'))}</td>"
                   f"<td>{html.escape(entry.get('description', ''))}</td></tr>"
                   for key, entry in data.get("results", {}).items())
    if rows:
        parts.append(f'<div class="course-results"><table><tr><th>result</th><th>value</th><th>what it is</th></tr>'
                     f"{rows}</table></div>")
    for entry in data.get("figures", {}).values():
        caption = html.escape(entry.get("caption", ""))
        parts.append(f'<div class="course-results"><figure><img src="{html.escape(entry["file"])}" alt="{caption}">'
                     f"<figcaption>{caption}</figcaption></figure></div>")
    return "\n\n".join(parts)


def results_page(chapters: list[Chapter], results_dir: Path) -> nbformat.NotebookNode:
    loaded = {}
    for chapter in chapters:
        path = results_dir / f"chapter{chapter.number:02d}.json"
        loaded[chapter.number] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    return markdown_page(
        "# Reference results\n\n"
        "The full-size results of every chapter, from a run of each notebook in the `standard` profile "
        "(`make reference`). Every value and figure here was written by the notebook's own code while it ran; "
        "the chapter pages show the small `quick` profile and, where the text speaks of a full-size result, this "
        "run's value beside the quick one.",
        *(chapter_results(chapter, loaded[chapter.number]) for chapter in chapters),
    )


def build(out: Path, notebook_dir: Path, results_dir: Path, readme: Path) -> float:
    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    title, intro, summaries = readme_summaries(readme)
    chapters = find_chapters(notebook_dir, summaries)
    html_exporter = exporter()
    render(html_exporter, landing_page(title, intro, chapters), "index.html", title, notebook_dir, chapters, out)
    for chapter in chapters:
        render(html_exporter, nbformat.read(chapter.notebook, as_version=4), chapter.page,
               chapter.title, notebook_dir, chapters, out)
    render(html_exporter, results_page(chapters, results_dir), "results.html", "Reference results", notebook_dir,
           chapters, out)
    if (results_dir / "figures").is_dir():
        shutil.copytree(results_dir / "figures", out / "figures")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=COURSE_ROOT / "_site")
    parser.add_argument("--notebooks", type=Path, default=COURSE_ROOT / "notebooks")
    parser.add_argument("--results", type=Path, default=COURSE_ROOT / "docs" / "results")
    parser.add_argument("--readme", type=Path, default=COURSE_ROOT / "README.md")
    args = parser.parse_args(argv)
    seconds = build(args.out.resolve(), args.notebooks.resolve(), args.results.resolve(), args.readme.resolve())
    pages = len(list(args.out.glob("*.html")))
    print(f"site: {pages} pages in {args.out} ({seconds:.1f} s); open {args.out / 'index.html'}")


if __name__ == "__main__":
    main()
