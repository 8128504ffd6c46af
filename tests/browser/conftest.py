"""Playwright on Debian's Chromium, with axe-core injected to check every page a journey visits.

Run on their own: `make test PYTEST_ARGS="-m browser"`. Never `playwright install`: the browser is /usr/bin/chromium.
"""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
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


@pytest.fixture
def page(browser: Browser, live_server: object) -> Iterator[Page]:
    context = browser.new_context(base_url=str(live_server), viewport={"width": 1280, "height": 900})
    # The NHS font host is out of reach here; failing fast keeps pages from waiting on it.
    context.route("https://assets.nhs.uk/**", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page: Page) -> list[dict[str, object]]:
    page.add_script_tag(path=str(AXE))
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
