"""Signing in with the council's OpenID Connect provider in a real browser (issue 14, part 3):
the sign-in page offers it, the provider (a real one on 127.0.0.1, tests/oidc_provider.py)
asks who is signing in, and the browser comes back signed in, at the page it asked for, with
the roles the groups give. axe-core checks every page of ours on the way (the provider's own
pages are not ours to check)."""
import json

import pytest
from playwright.sync_api import expect

from ..oidc_provider import oidc_provider
from .conftest import DEMO_DIAGRAMS, check_every_page_visited, running_server, screenshot, watch_csp

GROUPS = {"pp-north-sw": {"roles": ["Social Worker"], "team": "Children in Care North"},
          "pp-iro": {"roles": ["IRO"]}}


@pytest.fixture(scope="module")
def provider():
    with oidc_provider() as running:
        yield running


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory, provider):
    settings = {"PERMANENCE_OIDC_ISSUER": provider.issuer, "PERMANENCE_OIDC_CLIENT_ID": "permanence",
                "PERMANENCE_OIDC_CLIENT_SECRET": "browser-test-secret",
                "PERMANENCE_OIDC_NAME": "Council Entra ID",
                "PERMANENCE_OIDC_GROUPS": json.dumps(GROUPS)}
    with running_server(tmp_path_factory.mktemp("oidc"), "demo_pathway", DEMO_DIAGRAMS,
                        settings) as base:
        yield base


def test_a_social_worker_signs_in_with_the_councils_provider(browser, sso_server, provider):
    provider.add_person("sub-asha", "asha.sw", "Asha Patel", ["pp-north-sw", "all-staff"])
    provider.add_person("sub-finn", "finn.finance", "Finn Finance", ["finance"])
    context = browser.new_context(base_url=sso_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked = watch_csp(page)
    visited: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and visited.append(frame.url))

    page.goto("/children/1")                    # not signed in: to sign-in, then back here
    expect(page.get_by_role("heading", name="Sign in to", level=1)).to_be_visible()
    screenshot(page, "oidc-sign-in-page")
    page.get_by_role("button", name="Sign in with Council Entra ID").click()
    page.wait_for_url(f"{provider.issuer}/oauth2/authorize?**")
    page.locator("input[name=sub]").fill("sub-asha")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{sso_server}/children/1")
    expect(page.get_by_role("heading", name="Alfie Brown", level=1)).to_be_visible()
    expect(page.locator("header")).to_contain_text("Asha Patel")
    screenshot(page, "oidc-signed-in")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to", level=1)).to_be_visible()
    page.get_by_role("button", name="Sign in with Council Entra ID").click()
    page.locator("input[name=sub]").fill("sub-finn")
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_role("heading", name="You cannot sign in", level=1)).to_be_visible()
    expect(page.locator("#oidc-refused")).to_contain_text("not in any group that gives access")
    screenshot(page, "oidc-no-access")

    ours = [url for url in visited if url.startswith(sso_server) and "/sign-in/oidc" not in url]
    check_every_page_visited(context, ours)
    context.close()
    assert blocked == [], "the Content Security Policy blocked: " + "; ".join(blocked)
