"""Headless Chromium with every network access blocked, driven by Selenium and Debian's chromedriver.

Used by tests/viz/test_browser.py and bench/explorer_5000.py. The driver and the browser are given
by path, so Selenium Manager never looks for (or downloads) either. The network is cut three ways:
host names resolve to nothing, any proxied request goes to a closed port, and DevTools emulates an
offline network. Every request the page makes is recorded from the performance log, so a test can
also prove that none was attempted.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

INSTALL_HINT = (
    "headless Chromium is needed for the explorer's browser tests: "
    "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver "
    "(the CI script .ci/run does this), and `pip install -e .[dev]` for selenium"
)
BROWSERS = ("/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser")
DRIVERS = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")


def find_chromium() -> tuple[str, str]:
    """(browser, driver) paths, or AssertionError with the install hint."""
    browser = os.environ.get("IPKG_CHROMIUM") or next((p for p in BROWSERS if os.access(p, os.X_OK)), None) or shutil.which("chromium")
    driver = os.environ.get("IPKG_CHROMEDRIVER") or next((p for p in DRIVERS if os.access(p, os.X_OK)), None) or shutil.which("chromedriver")
    if not browser or not driver:
        raise AssertionError(f"Chromium or chromedriver not found ({browser=}, {driver=}): {INSTALL_HINT}")
    return browser, driver


@contextlib.contextmanager
def offline_chromium(width: int = 1400, height: int = 900) -> Iterator:
    """A Selenium Chrome driver for headless Chromium with no network; quits on exit."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:  # pragma: no cover - the hint is the point
        raise AssertionError(f"selenium is not installed: {INSTALL_HINT}") from exc
    browser, driver_path = find_chromium()
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager, should it ever run: no downloads
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--metrics-recording-only",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=driver_path), options=opts)
    try:
        drv.execute_cdp_cmd("Network.enable", {})
        drv.execute_cdp_cmd(
            "Network.emulateNetworkConditions", {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0}
        )
        yield drv
    finally:
        drv.quit()


def requested_urls(drv) -> list[str]:
    """Every URL the page asked for since the last call (from the DevTools performance log)."""
    urls = []
    for entry in drv.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def remote_urls(urls: list[str]) -> list[str]:
    """The URLs that would leave the machine (not file:, data:, blob:, about:)."""
    return [u for u in urls if not u.startswith(("file:", "data:", "blob:", "about:", "chrome:", "devtools:"))]


def wait_ready(drv, timeout: float = 30.0) -> float:
    """Wait for the explorer's ready flag; return its time (ms since navigation start)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(drv, timeout, poll_frequency=0.05).until(
        lambda d: d.execute_script("return !!(window.ipkgExplorer && window.ipkgExplorer.ready)")
    )
    return float(drv.execute_script("return window.ipkgExplorer.readyAt"))


def page_url(path: Path) -> str:
    return Path(path).resolve().as_uri()


def page_data(page: str) -> dict:
    """The nodes, edges and vis options embedded in an explorer page."""
    import re

    out = {}
    for name in ("NODES", "EDGES", "OPTIONS", "PHYSICS"):
        m = re.search(rf"^\s*var {name} = (.*);$", page, re.MULTILINE)
        assert m, f"no {name} in the page"
        out[name.lower()] = json.loads(m.group(1))
    return out
