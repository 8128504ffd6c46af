"""No template served as a web page holds code or styles inline: the Content-Security-Policy would refuse them
(script-src and style-src are 'self' only), so a page would silently lose its behaviour or look. Scripts go in
static/js/, styles in static/css/; docs/ARCHITECTURE.md, "Security headers", says how to add one."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Not web pages: e-mails (mail clients need inline styles) and the WeasyPrint templates, rendered to PDF on the
# server and never sent to a browser as HTML.
NOT_SERVED = (
    "notifications/email/",
    "account/email/",
    "assessments/results_pdf.html",
    "development/plan_pdf.html",
    "exports/archive/",  # the readable page inside a person's download, opened from their own disk
)

FORBIDDEN = {
    "an inline <script> (use <script src> with a file in static/js/)": re.compile(
        r"<script\b[^>]*>\s*[^<\s]", re.IGNORECASE
    ),
    "a <style> element (use static/css/)": re.compile(r"<style\b", re.IGNORECASE),
    'a style="" attribute (use a class)': re.compile(r"<[a-z][^<>]*\sstyle\s*=", re.IGNORECASE),
    "an on…= event handler (add a listener in static/js/)": re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=", re.IGNORECASE),
    "an hx-on attribute (htmx would need eval)": re.compile(r"\shx-on[:-]", re.IGNORECASE),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


# Template comments never reach the browser, so they may name what they forbid.
COMMENTS = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.DOTALL)


def served_templates() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if not path.relative_to(TEMPLATES).as_posix().startswith(NOT_SERVED)
    ]


def test_the_list_covers_the_templates() -> None:
    names = {path.relative_to(TEMPLATES).as_posix() for path in served_templates()}
    assert {"base.html", "403_csrf.html", "assessments/results.html", "development/plan.html"} <= names
    assert "assessments/results_pdf.html" not in names


@pytest.mark.parametrize("path", served_templates(), ids=lambda path: path.relative_to(TEMPLATES).as_posix())
def test_no_inline_code_or_style(path: Path) -> None:
    text = COMMENTS.sub("", path.read_text())
    found = [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]
    assert not found, f"{path.relative_to(TEMPLATES)} has " + "; ".join(found)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>init()</script>",
        '<script type="module">\n  import { initAll } from "x.js";</script>',
        "<style>p { color: red }</style>",
        '<span class="bar" style="width: 40%"></span>',
        '<button type="button" onclick="go()">Go</button>',
        '<a href="javascript:history.back()">Back</a>',
        '<div hx-on:click="go()"></div>',
    ],
)
def test_the_check_finds_each_kind(snippet: str) -> None:
    assert any(pattern.search(snippet) for pattern in FORBIDDEN.values())


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/js/init.js" type="module"></script>',
        "<script src=\"{% static 'js/autosave.js' %}\" defer></script>",
        '<rect class="app-progress__bar" height="100%" width="40%"/>',
        '<input name="session" data-option="x">',
        "<p>Go on = yes, and a stylesheet</p>",
    ],
)
def test_the_check_passes_what_the_policy_allows(snippet: str) -> None:
    assert not any(pattern.search(snippet) for pattern in FORBIDDEN.values())
