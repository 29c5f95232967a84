"""Measuring a page as the ward-tablet brief does: its height in screens at 1024 x 1366 (or a
phone's 390 x 844), and every tappable thing at least 24px tall unless it is a link inside
running text (WCAG 2.5.8), with JavaScript on or off.
"""

import re

from tests.browser.support import Web, check_accessibility

TABLET = {"width": 1024, "height": 1366}
PHONE = {"width": 390, "height": 844}

# Tappable things shown on the page and under 24px tall or wide, described for a failure
# message. Skipped: what is visually hidden until focused (the skip link), and links whose
# paragraph or list item has other words in it (links inside running text).
_SMALL_TARGETS = """() => {
  const small = [];
  const tappable = 'a[href], button, summary, select, textarea, input:not([type="hidden"])';
  for (const element of document.querySelectorAll(tappable)) {
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    if (box.height >= 24 && box.width >= 24) continue;
    if (element.tagName === "A") {
      const block = element.closest("p, li, dd, td, th, label, legend, div");
      const around = block ? block.textContent.replace(element.textContent, "").trim() : "";
      if (around.length > 0) continue;
    }
    const name = (element.textContent || element.name || "").trim().slice(0, 60);
    small.push(`${element.tagName} "${name}" ${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return small;
}"""


def open_browser(chromium, live_server, screenshots, person, *, js=True, viewport=TABLET) -> Web:
    """A browser tab of the given size, signed in as `person`, with JavaScript on or off."""
    context = chromium.new_context(
        viewport=viewport,
        java_script_enabled=js,
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    # The NHS font comes from assets.nhs.uk, which a test machine may not reach.
    page.route("https://assets.nhs.uk/**", lambda route: route.abort())
    kind = Web if js else NoScriptWeb
    web = kind(page=page, base_url=live_server.url, screenshots=screenshots)
    web.sign_in_as(person)
    return web


def screens(web: Web) -> float:
    """The page's height in screens of the tab's own height."""
    height = web.page.evaluate("document.documentElement.scrollHeight")
    return height / web.page.viewport_size["height"]


def small_targets(web: Web) -> list[str]:
    return web.page.evaluate(_SMALL_TARGETS)


# Copies what the person has chosen and typed into the page's markup, so that a copy of it
# shows the same.
_KEEP_STATE = """() => {
  for (const input of document.querySelectorAll("input")) {
    if (input.checked) input.setAttribute("checked", "");
    else input.removeAttribute("checked");
    if (input.type === "text") input.setAttribute("value", input.value);
  }
  for (const area of document.querySelectorAll("textarea")) area.textContent = area.value;
}"""


class NoScriptWeb(Web):
    """A tab with JavaScript off. axe cannot run in it (its promises never settle without
    JavaScript), so each page, as it stands, is checked in a copy without its scripts opened
    in a tab with JavaScript on, at the same address and size."""

    def check(self) -> None:
        unchecked = self.loaded[self.checked : -1]
        self.checked = len(self.loaded)
        self.screenshots.take(self.page)
        problems, self.problems = self.problems, []
        assert not unchecked, f"pages shown without being checked: {unchecked}"
        assert not problems, f"problems on {self.page.url}:\n" + "\n".join(problems)
        self.page.evaluate(_KEEP_STATE)
        html = re.sub(r"<script\b.*?</script>", "", self.page.content(), flags=re.S)
        address = self.page.url.split("#")[0]
        context = self.page.context.browser.new_context(viewport=self.page.viewport_size)
        try:
            copy = context.new_page()
            copy.route(address, lambda route: route.fulfill(body=html, content_type="text/html"))
            copy.route("https://assets.nhs.uk/**", lambda route: route.abort())
            copy.goto(address, wait_until="load")
            check_accessibility(copy)
        finally:
            context.close()
