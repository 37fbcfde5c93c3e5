"""The teacher's app's load time and transfer size, first and repeat visit, measured in Chromium.

Starts `timetabler serve` on the embedded defaults, makes a school, a teacher and a timetable, then
opens the app in a fresh browser profile:

- first visit: the sign-in screen with nothing cached;
- repeat visit: signed in, the service worker installed, the page reloaded until the week's grid shows.

Bytes are what crossed the network (CDP Network.loadingFinished encodedDataLength, so files served
by the service worker's cache count as 0); times come from the Performance API. Each is measured on
loopback and with a slow phone network emulated (150 ms latency, 1.6 Mbit/s down, 750 kbit/s up).

    uv run python bench/app_load.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.browser.conftest import ARGS, CHROMIUM, make_timetable, register_school, teacher  # noqa: E402
from tests.support.stacks import running_stack  # noqa: E402

SLOW = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}


def timings(page: Page) -> dict[str, float]:
    return page.evaluate(
        """() => {
          const n = performance.getEntriesByType('navigation')[0];
          return {domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd};
        }"""
    )


def visit(page: Page, url: str, ready: str, bytes_seen: list[int], reload: bool = False) -> dict[str, Any]:
    bytes_seen.clear()
    if reload:
        page.reload(wait_until="load")
    else:
        page.goto(url, wait_until="load")
    page.wait_for_selector(ready, timeout=60_000)
    shown = page.evaluate("performance.now()")
    page.wait_for_load_state("networkidle")
    return {**timings(page), "ready": shown, "bytes": sum(bytes_seen)}


def measure(browser: Any, base_url: str, school: Any, account: Any, network: dict | None) -> dict[str, Any]:
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if network:
        cdp.send("Network.emulateNetworkConditions", network)
    seen: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: seen.append(int(event["encodedDataLength"])))
    first = visit(page, school.app_url, "form button[type=submit]", seen)
    page.get_by_label("Email").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("button.lesson", timeout=60_000)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    repeat = visit(page, school.app_url, "button.lesson", seen, reload=True)
    context.close()
    return {"first": first, "repeat": repeat}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_stack("bench", Path(tmp), {}, worker=False) as stack:
        school = register_school(stack)
        account = teacher(stack, school)
        make_timetable(account)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for label, network in (("loopback", None), ("slow 3G-like phone network", SLOW)):
                runs = [measure(browser, stack.base_url, school, account, network) for _ in range(args.runs)]
                print(f"\n{label} (median of {args.runs} runs)")
                header = ("visit", "DOMContentLoaded", "load", "content shown", "transferred")
                print("{:<8} {:>17} {:>9} {:>14} {:>12}".format(*header))
                for visit_name, shown in (("first", "sign-in form"), ("repeat", "timetable grid")):
                    rows = [r[visit_name] for r in runs]
                    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
                    print(
                        f"{visit_name:<8} {med['domContentLoaded']:>14.0f} ms {med['load']:>6.0f} ms"
                        f" {med['ready']:>11.0f} ms {med['bytes'] / 1024:>9.1f} KB  ({shown})"
                    )
            browser.close()


if __name__ == "__main__":
    main()
