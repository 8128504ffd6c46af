"""Playwright on Debian's Chromium, with axe-core injected to check every page a journey visits, and every test
failed by a Content-Security-Policy or Permissions-Policy error or an uncaught script error on any page it opened:
the proof that the pages work under the policy (docs/ARCHITECTURE.md, "Security headers").

Run on their own: `make test PYTEST_ARGS="-m browser"`. Never `playwright install`: the browser is /usr/bin/chromium.
Every context a test opens goes through `prepare`.
"""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, WebError, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# axe-core is loaded as a script from the portal's own origin (answered by a route, never by the portal): the CSP
# refuses the inline script that Playwright's add_script_tag(path=…) would insert.
AXE_URL = "/__test-only__/axe.min.js"
# What Chromium writes to the console when a policy refuses something, or cannot read a policy header.
POLICY_MESSAGES = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy", "Permissions policy")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WCAG 2.2 AA and everything below it.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(autouse=True)
def _reference_data(reference_data: None) -> None:
    """Every browser test runs on a live server, so in a transaction that is flushed afterwards."""


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (scripts/ensure_system_packages.sh)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# What went wrong in the pages of the test running now; `_no_policy_or_script_errors` fails the test on any.
reported: list[str] = []


def _note_console(message: ConsoleMessage) -> None:
    if any(words in message.text for words in POLICY_MESSAGES):
        reported.append(f"{message.page.url if message.page else '?'}: {message.text}")


def _note_error(error: WebError) -> None:
    reported.append(f"{error.page.url if error.page else '?'}: uncaught {error.error}")


def prepare(context: BrowserContext) -> BrowserContext:
    """Every browser context a test opens: the NHS font host refused, axe-core served, and policy violations and
    uncaught script errors noted."""
    # The NHS font host is out of reach here; failing fast keeps pages from waiting on it.
    context.route("https://assets.nhs.uk/**", lambda route: route.abort())
    context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    context.on("console", _note_console)
    context.on("weberror", _note_error)
    return context


@pytest.fixture(autouse=True)
def _no_policy_or_script_errors() -> Iterator[None]:
    reported.clear()
    yield
    # Torn down after the test's own fixtures, so after `page` has closed its context and every message is in.
    assert not reported, "The browser reported:\n" + "\n".join(reported)


@pytest.fixture
def page(browser: Browser, live_server: object) -> Iterator[Page]:
    context = prepare(browser.new_context(base_url=str(live_server), viewport={"width": 1280, "height": 900}))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page: Page) -> list[dict[str, object]]:
    page.add_script_tag(url=AXE_URL)
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page as it is now, once its styles have loaded (a click
    that navigates returns before the new page's stylesheets apply, and unstyled links fail the contrast rules)."""
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    report = [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["html"][:200] for n in v["nodes"][:3]]}
        for v in violations
    ]
    assert not violations, f"{page.url}:\n{json.dumps(report, indent=2)}"
