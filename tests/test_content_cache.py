"""The rendered-library cache: reused while nothing changed, never stale, safe when damaged or shared."""

from __future__ import annotations

import runpy
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.content import cache, library, load_library

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


def rendered(lib) -> dict[str, list[str]]:
    """Every HTML text of every lesson, and the problems found."""
    texts = {}
    for lesson in lib.ordered_lessons:
        questions = lesson.quiz.questions if lesson.quiz else ()
        texts[lesson.id] = [lesson.body_html, lesson.title] + [
            html
            for question in questions
            for html in (question.prompt_html, question.explanation_html, *(c.text_html for c in question.choices))
        ]
    texts["problems"] = [str(problem) for problem in lib.problems]
    return texts


@pytest.fixture
def lessons(tmp_path) -> Path:
    root = tmp_path / "lessons"
    shutil.copytree(FIXTURES, root)
    return root


@pytest.fixture
def cache_dir(tmp_path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def renders(monkeypatch) -> list[Path]:
    """The folders actually rendered (not read from the cache), in order."""
    folders = []
    read_library = library._read_library

    def counting(root, *args):
        folders.append(root)
        return read_library(root, *args)

    monkeypatch.setattr(library, "_read_library", counting)
    return folders


def entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("*.pickle"))


def test_a_second_load_reads_the_cache_and_gives_the_same_library(lessons, cache_dir, renders):
    first = load_library(lessons, cache_dir=cache_dir)
    second = load_library(lessons, cache_dir=cache_dir)
    assert len(renders) == 1
    assert len(entries(cache_dir)) == 1
    assert rendered(second) == rendered(first) == rendered(load_library(lessons))
    assert second.summary() == first.summary()
    assert second.signature == library.files_signature(lessons)


def test_an_edited_glossary_is_read_again(lessons, cache_dir, renders):
    load_library(lessons, cache_dir=cache_dir)
    glossary = lessons / "glossaire.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("Le petit dessin", "Le dessin"), encoding="utf-8")
    edited = load_library(lessons, cache_dir=cache_dir)
    assert len(renders) == 2
    assert "Le dessin de serrure" in edited.lesson("demo-bonus").quiz.questions[0].prompt_html


def test_an_edited_list_of_official_domains_is_read_again(lessons, cache_dir, renders):
    page = lessons / "01-demo" / "02-sans-quiz.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nVoir [le site](https://www.service-public.gouv.fr).\n", encoding="utf-8")
    before = load_library(lessons, cache_dir=cache_dir)
    assert not any("service-public" in warning.message for warning in before.warnings)
    (lessons / "domaines-officiels.txt").write_text("# aucun site\n", encoding="utf-8")
    edited = load_library(lessons, cache_dir=cache_dir)
    assert len(renders) == 2
    assert any("lien vers « www.service-public.gouv.fr »" in warning.message for warning in edited.warnings)


def test_an_edited_lesson_is_rendered_again_and_replaces_the_old_entry(lessons, cache_dir, renders):
    load_library(lessons, cache_dir=cache_dir)
    lesson = lessons / "01-demo" / "01-premiers-pas.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("Ouvrez", "Lisez"), encoding="utf-8")
    edited = load_library(lessons, cache_dir=cache_dir)
    assert len(renders) == 2
    assert "Lisez" in edited.lesson("demo-premiers-pas").body_html
    assert len(entries(cache_dir)) == 1


def test_a_removed_image_is_noticed(lessons, cache_dir):
    assert load_library(lessons, cache_dir=cache_dir).problems == []
    for image in (lessons / "01-demo" / "images").iterdir():
        image.unlink()
    assert any("image introuvable" in p.message for p in load_library(lessons, cache_dir=cache_dir).problems)


def test_another_renderer_version_renders_again(lessons, cache_dir, renders, monkeypatch):
    load_library(lessons, cache_dir=cache_dir)
    monkeypatch.setattr(cache, "renderer_version", lambda: "une autre version")
    load_library(lessons, cache_dir=cache_dir)
    assert len(renders) == 2


def test_the_renderer_version_changes_with_the_content_code(tmp_path, monkeypatch):
    package = tmp_path / "content"
    shutil.copytree(cache.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE_DIR", package)
    before = cache.renderer_version()
    rendering = package / "rendering.py"
    rendering.write_text(rendering.read_text(encoding="utf-8").replace('"hr", ', ""), encoding="utf-8")
    assert cache.renderer_version() != before


def test_other_link_resolvers_render_again(lessons, cache_dir, renders):
    load_library(lessons, cache_dir=cache_dir)
    moved = load_library(lessons, lesson_url=lambda lesson_id: f"/ailleurs/{lesson_id}", cache_dir=cache_dir)
    assert len(renders) == 2
    assert 'href="/ailleurs/demo-sans-quiz"' in moved.lesson("demo-premiers-pas").body_html


@pytest.mark.parametrize("damage", [b"", b"pas un pickle", None])
def test_a_damaged_entry_is_rendered_again_and_rewritten(lessons, cache_dir, renders, damage, caplog):
    expected = rendered(load_library(lessons, cache_dir=cache_dir))
    (entry,) = entries(cache_dir)
    content = entry.read_bytes()
    entry.write_bytes(content[: len(content) // 2] if damage is None else damage)
    assert rendered(load_library(lessons, cache_dir=cache_dir)) == expected
    assert len(renders) == 2
    assert "cache des leçons illisible" in caplog.text
    load_library(lessons, cache_dir=cache_dir)
    assert len(renders) == 2  # rewritten whole


def test_workers_loading_at_once_all_get_the_library_and_leave_one_whole_entry(lessons, cache_dir):
    expected = rendered(load_library(lessons))
    with ThreadPoolExecutor(8) as pool:
        libraries = list(pool.map(lambda _: load_library(lessons, cache_dir=cache_dir), range(16)))
    assert all(rendered(lib) == expected for lib in libraries)
    assert len(entries(cache_dir)) == 1
    assert list(cache_dir.glob(".tmp-*")) == []
    assert rendered(load_library(lessons, cache_dir=cache_dir)) == expected


def test_an_unwritable_cache_folder_only_costs_the_speed(lessons, tmp_path, caplog):
    not_a_folder = tmp_path / "fichier"
    not_a_folder.write_text("")
    assert rendered(load_library(lessons, cache_dir=not_a_folder)) == rendered(load_library(lessons))
    assert "cache des leçons non écrit" in caplog.text


def test_the_app_keeps_its_rendered_lessons_in_the_cache_folder(make_app, tmp_path, renders):
    first = make_app(LESSON_CACHE_DIR=str(tmp_path / "cache")).extensions["lesson_library"]
    second = make_app(LESSON_CACHE_DIR=str(tmp_path / "cache")).extensions["lesson_library"]
    assert len(entries(tmp_path / "cache")) == 1
    assert len(renders) == 1
    assert rendered(second) == rendered(first)
    assert 'href="/lecons/demo-sans-quiz"' in second.lesson("demo-premiers-pas").body_html


def test_gunicorn_renders_the_lessons_into_the_cache_before_it_starts_the_workers(tmp_path, monkeypatch, make_app, renders):
    settings = runpy.run_path(str(Path(__file__).parents[1] / "gunicorn.conf.py"))
    for name, value in {"APP_ENV": "development", "INSTANCE_PATH": str(tmp_path / "instance"),
                        "LESSONS_DIR": str(FIXTURES), "LESSON_CACHE_DIR": str(tmp_path / "cache")}.items():
        monkeypatch.setenv(name, value)
    settings["on_starting"](None)
    assert len(entries(tmp_path / "cache")) == 1
    make_app(LESSON_CACHE_DIR=str(tmp_path / "cache"))  # a worker
    assert renders == []
