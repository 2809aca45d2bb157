"""Checks shared by the browser tests: layout at the phone's size, answers from the lesson file."""

from __future__ import annotations

import time
from pathlib import Path

from app.content import load_library

LIBRARY = load_library(Path(__file__).parents[1] / "fixtures" / "lessons")
FIRST = LIBRARY.lesson("demo-premiers-pas")

# Targets a finger must hit: at least 44 × 44 CSS pixels (links inside a sentence are exempt).
TAP_TARGETS = (
    "a.button, button:not([hidden]), .nav a, .breadcrumb a, .card-link, .lesson-link, "
    ".footer-links a, label.choice, .text-size-button, .brand"
)

LAYOUT_PROBLEMS = """(selector) => {
  const problems = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    problems.push(`horizontal scroll: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
  }
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown
    if (box.width < 44 || box.height < 44) {
      problems.push(`small target ${Math.round(box.width)}x${Math.round(box.height)}: ${element.textContent.trim()}`);
    }
  }
  for (const element of document.querySelectorAll("main p, main li, main label, main td")) {
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < 18) problems.push(`text ${size}px: ${element.textContent.trim().slice(0, 40)}`);
  }
  if (document.documentElement.lang !== "fr") problems.push("lang is not fr");
  return problems;
}"""


def layout_problems(page) -> list[str]:
    return page.evaluate(LAYOUT_PROBLEMS, TAP_TARGETS)


def wrong_answers(lesson=FIRST) -> dict[str, list[str]]:
    return {q.key: [next(c.key for c in q.choices if not c.correct)] for q in lesson.quiz.questions}


def right_answers(lesson=FIRST) -> dict[str, list[str]]:
    return {q.key: sorted(q.right_keys) for q in lesson.quiz.questions}


def choose(page, answers: dict[str, list[str]]) -> None:
    for key, values in answers.items():
        for value in values:
            page.locator(f'input[name="{key}"][value="{value}"]').check()


def kept_pages(page) -> dict[str, list[str]]:
    """The pages the service worker keeps, by the name of their cache (one per person)."""
    return page.evaluate("""async () => {
      const kept = {};
      for (const name of (await caches.keys()).filter((key) => key.startsWith('pasapas-pages-'))) {
        kept[name] = (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname);
      }
      return kept;
    }""")


def eventually(page, check: str, arg=None, seconds: float = 10) -> None:
    """Wait until check (an async function run in the page) gives a true value: wait_for_function
    does not wait for a promise, and the caches answer with promises."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(check, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {seconds} s: {check}")
        page.wait_for_timeout(100)


def wait_until_kept(page, path: str) -> None:
    eventually(page, "async (path) => { for (const name of await caches.keys()) {"
                     " if (await (await caches.open(name)).match(path, { ignoreVary: true })) return true; } return false; }", path)
