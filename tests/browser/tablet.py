"""Measuring a page as the ward-tablet brief does: its height in screens at 1024 x 1366 (or a
phone's 390 x 844), and every tappable thing at least 24px tall unless it is a link inside
running text (WCAG 2.5.8), with JavaScript on or off.
"""

import re
from dataclasses import dataclass

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
      const block = element.closest("p, li, dd, td, th, label, legend");
      const around = block ? block.textContent.replace(element.textContent, "").trim() : "";
      if (around.length > 0) continue;
    }
    const name = (element.textContent || element.name || "").trim().slice(0, 60);
    small.push(`${element.tagName} "${name}" ${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return small;
}"""


# The smallest tappable thing that counts (links inside running text do not), for the record.
_SMALLEST_TARGET = """() => {
  let smallest = null;
  const tappable = 'a[href], button, summary, select, textarea, input:not([type="hidden"])';
  for (const element of document.querySelectorAll(tappable)) {
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    if (element.tagName === "A") {
      const block = element.closest("p, li, dd, td, th, label, legend");
      const around = block ? block.textContent.replace(element.textContent, "").trim() : "";
      if (around.length > 0) continue;
    }
    if (smallest === null || box.height < smallest.height) {
      const name = (element.textContent || element.name || element.type || "").trim();
      smallest = {name: `${element.tagName} "${name.slice(0, 40)}"`, height: box.height};
    }
  }
  return smallest;
}"""


def open_browser(
    chromium, live_server, screenshots, person=None, *, js=True, viewport=TABLET, kind=None
) -> Web:
    """A browser tab of the given size, signed in as `person` (if given), with JavaScript on
    or off. `kind` picks a subclass of `Web` (with or without `NoScriptWeb`)."""
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
    kind = kind or (Web if js else NoScriptWeb)
    web = kind(page=page, base_url=live_server.url, screenshots=screenshots)
    if person is not None:
        web.sign_in_as(person)
    return web


def screens(web: Web) -> float:
    """The page's height in screens of the tab's own height."""
    height = web.page.evaluate("document.documentElement.scrollHeight")
    return height / web.page.viewport_size["height"]


def small_targets(web: Web) -> list[str]:
    return web.page.evaluate(_SMALL_TARGETS)


def overflow(web: Web) -> int:
    """How many pixels wider than the tab the page is (0: nothing to scroll sideways)."""
    width = web.page.evaluate("document.documentElement.scrollWidth")
    return max(0, width - web.page.viewport_size["width"])


@dataclass
class Measure:
    """One page as a person saw it: its height in screens, what is too small to tap, the
    smallest thing that counts, and how far it runs off the side of the screen."""

    who: str
    path: str
    heading: str
    screens: float
    small: list[str]
    smallest: str
    smallest_height: float
    overflow: int
    shot: int = 0  # the number of its screenshot

    def line(self) -> str:
        return (
            f"{self.shot:3} {self.who:9} {self.screens:5.1f} screens  "
            f"smallest {self.smallest_height:4.0f}px "
            f"{self.smallest[:40]:40}  {self.heading[:45]:45} {self.path}"
        )


def measure(web: Web, who: str) -> Measure:
    smallest = web.page.evaluate(_SMALLEST_TARGET) or {"name": "", "height": 0}
    heading = web.page.locator("h1")
    return Measure(
        who=who,
        path=web.page.url.removeprefix(web.base_url),
        heading=heading.first.inner_text().strip() if heading.count() else "",
        screens=round(screens(web), 2),
        small=small_targets(web),
        smallest=smallest["name"],
        smallest_height=smallest["height"],
        overflow=overflow(web),
    )


class Measuring:
    """Mixed into `Web` or `NoScriptWeb`: every page checked is measured too, into the shared
    list `measures` under the name `who` (set both after making the tab)."""

    who: str = ""
    measures: list[Measure]

    def check(self) -> None:
        super().check()
        taken = measure(self, self.who)
        taken.shot = self.screenshots.taken
        self.measures.append(taken)


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


class MeasuredWeb(Measuring, Web):
    pass


class MeasuredNoScriptWeb(Measuring, NoScriptWeb):
    pass
