"""Screenshots of the demo database for the Apps page and the README (run by bin/screenshots).

Drives headless Chromium through its DevTools protocol (websocket-client, which Odoo's
own browser tests use: no browser download, no npm) against an Odoo already serving the
demo database of bin/demo, and writes PNGs into static/description/:

  screenshot_send.png       a posted invoice, its "Send via e-invoice" button
  screenshot_lifecycle.png  the Lifecycle tab of an invoice the network approved
  screenshot_refusal.png    the banner of an invoice the buyer refused, with the reason
  screenshot_settings.png   Settings > Qonto, with the readiness checklist

Before the lifecycle and refusal shots it moves the simulator's clock forward and
refreshes those invoices from Qonto, so the pictures show the whole story.

Usage: python bin/screenshots.py --odoo URL --db DB --simulator URL [--out DIR]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1440, 900
WAIT_SECONDS = 60


class Browser:
    """One headless Chromium page, spoken to over the DevTools protocol."""

    def __init__(self, executable: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.profile = tempfile.mkdtemp(prefix="qonto-shots-")
        self.process = subprocess.Popen([
            executable, "--headless=new", "--no-sandbox", "--disable-gpu",
            "--hide-scrollbars", "--no-first-run", f"--remote-debugging-port={port}",
            f"--user-data-dir={self.profile}", f"--window-size={WIDTH},{HEIGHT}",
            "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        page = self._until(lambda: next(
            (t for t in requests.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
             if t["type"] == "page"), None), "Chromium's DevTools")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"],
                                                  suppress_origin=True)
        self.ids = 0
        self.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT,
                  deviceScaleFactor=1, mobile=False)

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)

    @staticmethod
    def _until(probe, what: str):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                found = probe()
            except (requests.RequestException, OSError):
                found = None
            if found:
                return found
            time.sleep(0.2)
        raise SystemExit(f"screenshots: {what} not there after {WAIT_SECONDS} s")

    def call(self, method: str, **params):
        self.ids += 1
        self.socket.send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.ids:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def open(self, url: str, ready: str) -> None:
        """Load ``url`` and wait until the CSS selector ``ready`` is shown and Odoo is idle."""
        self.call("Page.navigate", url=url)
        self.wait_for(ready)

    def wait_for(self, selector: str) -> None:
        check = (f"(() => [...document.querySelectorAll({json.dumps(selector)})]"
                 ".some(e => e.offsetParent) &&"
                 " !document.querySelector('.o_loading_indicator, .o_blockUI'))()")
        try:
            self._until(lambda: self.evaluate(check), f"{selector!r}")
        except SystemExit:
            # What the page showed instead, for whoever reads the error.
            failed = ROOT / "var" / "screenshots-failed.png"
            failed.parent.mkdir(exist_ok=True)
            failed.write_bytes(base64.b64decode(
                self.call("Page.captureScreenshot", format="png")["data"]))
            print(f"screenshots: the page at that moment: {failed}", file=sys.stderr)
            raise
        # Let the last paint (fonts, icons) land before the picture.
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def click_text(self, selector: str, text: str) -> None:
        found = self.evaluate(
            f"(() => {{ const e = [...document.querySelectorAll({json.dumps(selector)})]"
            f".find(x => x.textContent.trim() === {json.dumps(text)});"
            " if (e) { e.click(); return true; } return false; })()")
        if not found:
            raise SystemExit(f"screenshots: no {selector} reading {text!r}")

    def shoot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        print(f"screenshots: {path.relative_to(ROOT)} ({path.stat().st_size // 1024} kB)")


class Odoo:
    """JSON-RPC to the demo database, as admin."""

    def __init__(self, url: str, db: str) -> None:
        self.url = url.rstrip("/")
        self.session = requests.Session()
        answer = self._post("/web/session/authenticate",
                            {"db": db, "login": "admin", "password": "admin"})
        if not answer.get("uid"):
            raise SystemExit("screenshots: cannot log in as admin/admin")

    def _post(self, path: str, params: dict):
        reply = self.session.post(f"{self.url}{path}", timeout=120, json={
            "jsonrpc": "2.0", "method": "call", "params": params}).json()
        if "error" in reply:
            raise SystemExit(f"screenshots: {path}: {reply['error']['data']['message']}")
        return reply["result"]

    def call(self, model: str, method: str, *args, **kwargs):
        return self._post(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def invoice(self, partner: str, sent: bool) -> int:
        ids = self.call("account.move", "search", [
            ("partner_id.name", "=", partner), ("move_type", "=", "out_invoice"),
            ("qonto_sent_at", "!=" if sent else "=", False)], limit=1, order="id")
        if not ids:
            raise SystemExit(f"screenshots: no {'sent' if sent else 'unsent'} invoice of "
                             f"{partner} in the demo database: was it made by bin/demo?")
        return ids[0]

    @property
    def cookie(self) -> str:
        return self.session.cookies["session_id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--odoo", required=True, help="Odoo's URL, e.g. http://localhost:8069")
    parser.add_argument("--db", required=True, help="the demo database")
    parser.add_argument("--simulator", required=True, help="the Qonto simulator's URL")
    parser.add_argument("--out", default=str(ROOT / "static" / "description"))
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_BIN") or
                        shutil.which("chromium") or shutil.which("google-chrome"))
    args = parser.parse_args()
    if not args.chromium:
        sys.exit("screenshots: no Chromium (install Debian's chromium, or set CHROMIUM_BIN)")
    out = Path(args.out)

    odoo = Odoo(args.odoo, args.db)
    approved = odoo.invoice("Boulangerie Martin SARL", sent=True)
    refused = odoo.invoice("Atelier Dupont SAS", sent=True)
    unsent = odoo.invoice("Librairie Moreau", sent=False)
    # The whole lifecycle at once: the simulator's clock jumps, Odoo reads Qonto.
    requests.post(f"{args.simulator.rstrip('/')}/_simulator/clock/advance",
                  json={"seconds": 3600}, timeout=10).raise_for_status()
    odoo.call("account.move", "action_qonto_refresh", [approved, refused])

    browser = Browser(args.chromium)
    try:
        browser.call("Network.enable")
        browser.call("Network.setCookie", name="session_id", value=odoo.cookie,
                     url=args.odoo, path="/")
        invoices = f"{args.odoo.rstrip('/')}/odoo/action-account.action_move_out_invoice_type"

        browser.open(f"{invoices}/{unsent}", "button[name='action_qonto_send']")
        browser.shoot(out / "screenshot_send.png")

        browser.open(f"{invoices}/{approved}", ".o_form_view .o_notebook")
        browser.click_text(".o_notebook .nav-link", "Lifecycle")
        browser.wait_for(".o_notebook .tab-pane.active .o_list_renderer")
        browser.shoot(out / "screenshot_lifecycle.png")

        browser.open(f"{invoices}/{refused}", ".o_qonto_attention [name='qonto_attention_text']")
        browser.shoot(out / "screenshot_refusal.png")

        browser.open(f"{args.odoo.rstrip('/')}/odoo/action-account.action_account_config",
                     "#qonto_readiness")
        browser.evaluate("document.getElementById('qonto_enabled').scrollIntoView()")
        browser.wait_for("#qonto_readiness")
        browser.shoot(out / "screenshot_settings.png")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
