"""What the real-browser tests share: Debian's chromium, driven by Playwright."""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = settings.BASE_DIR / "test-artifacts"
# Saving writes three resized copies of the photo; a busy CI machine needs more than 5 s.
TIMEOUT_MS = 15_000
# Chromium logs CSP violations to the console already; this names each one plainly.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def open_page(browser, errors):
    """A page in a fresh context (its own cookies) that adds its console errors to `errors`."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)

    def record(message):
        if message.type == "error":
            errors.append(f"{page.url}: {message.text} ({message.location['url']})")

    page.on("console", record)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return page


def axe_violations(page, impacts=("critical", "serious")):
    """axe-core's audit of the page as it stands: "rule (impact): selectors" for each violation.

    Only the impacts named count; the audit runs in the page through the DevTools protocol,
    which the Content-Security-Policy does not restrict.
    """
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in impacts
    ]
