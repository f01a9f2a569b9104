"""Odoo replays a click whose transaction failed to serialize: Qonto is called once.

Each click goes through Odoo's HTTP server as the web client sends it
(``/web/dataset/call_button``), in a real transaction, inside Odoo's own retry loop
(``odoo.service.model.retrying``). Meanwhile the scheduled refresh holds the same
``qonto.einvoice`` row in another transaction and writes it, as it does for each row it
reads; it commits once the click waits for that row. PostgreSQL then fails the click
("could not serialize access due to concurrent update") and Odoo replays it, as it did
in the demo when Qonto's webhook woke the refresh during *Correct and resend*.

As in test_concurrency, the data lives in the committed seller (``committed.py``), so
that the server's transactions see it.
"""

import json
import threading
import time
import uuid
from contextlib import contextmanager
from unittest.mock import patch

import requests
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import DummyRLock, Registry
from odoo.orm.environments import Transaction
from odoo.tests import tagged
from odoo.tests.common import HOST, get_db_name
from odoo.tools import config

from ..qonto_einvoicing.webhooks import SIGNATURE_HEADER, signature_header
from .committed import CommittedSellerMixin
from .common import QontoTestCommon

PASSWORD = "Replay-1234-password"


@tagged("post_install", "-at_install")
class TestReplayAfterSerializationFailure(CommittedSellerMixin, QontoTestCommon):

    @classmethod
    def _commit_shared_data(cls, env, company):
        cls.login = f"replay-{uuid.uuid4().hex[:8]}"
        user = env["res.users"].create({
            "name": "Comptable Rejouée", "login": cls.login, "password": PASSWORD,
            "company_id": company.id, "company_ids": [Command.set(company.ids)],
            "group_ids": [Command.set([env.ref("base.group_user").id,
                                       env.ref("account.group_account_invoice").id])],
        })
        cls.shared_user_id = user.id

    def setUp(self):
        super().setUp()
        # The simulator was reset: the organization's accounts went with it.
        with self._shared_env() as env:
            env["res.company"].browse(self.shared_company_id)._qonto_test_connection()

    # ------------------------------------------------------------------ helpers

    @contextmanager
    def _server_answers(self):
        """Odoo's test runner holds the registry lock for the whole run, and the server
        takes it before each request: it is lifted as HttpCase lifts it, without putting
        the requests into this test's transaction as HttpCase also does."""
        with patch.object(Registry, "_lock", DummyRLock()), \
                patch.object(self.shared_registry, "check_signaling",
                             return_value=self.shared_registry):
            yield

    def _login(self):
        session = requests.Session()
        with self._server_answers():
            answer = session.post(f"http://{HOST}:{config['http_port']}/web/session/authenticate",
                                  json={"jsonrpc": "2.0", "method": "call", "params": {
                                      "db": get_db_name(), "login": self.login,
                                      "password": PASSWORD}}, timeout=60).json()
        self.assertIn("result", answer, answer)
        return session

    def _click_while_the_refresh_holds(self, einvoice_id, model, method, record_id,
                                       context=None):
        """Click the button of ``model``/``method`` on ``record_id`` while the refresh
        holds and writes the e-invoice ``einvoice_id``; committed once the click waits
        for it. Returns the JSON-RPC answer and the Qonto calls the click made."""
        session = self._login()
        answers = []
        with self.shared_registry.cursor() as refresh:
            refresh.transaction = Transaction(self.shared_registry)
            env = api.Environment(refresh, SUPERUSER_ID, {})
            # What the refresh does with each row it reads (_read_all): lock, then store.
            held = env["qonto.einvoice"].browse(einvoice_id).try_lock_for_update()
            self.assertTrue(held, "no one holds the e-invoice before the click")
            # The stored read time, written outright (to the second it may not change).
            refresh.execute("UPDATE qonto_einvoice SET read_at = now() AT TIME ZONE 'UTC', "
                            "refresh_requested = FALSE WHERE id = %s", [einvoice_id])
            before = self.request_counts()
            click = threading.Thread(target=lambda: answers.append(session.post(
                f"http://{HOST}:{config['http_port']}/web/dataset/call_button/{model}/{method}",
                json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                    "model": model, "method": method, "args": [[record_id]],
                    "kwargs": {"context": {"lang": "en_US", "tz": "Europe/Paris",
                                           "uid": self.shared_user_id,
                                           "allowed_company_ids": [self.shared_company_id],
                                           **(context or {})}}}},
                timeout=300).json()))
            with self._server_answers(), \
                    self.assertLogs("odoo.sql_db", "ERROR") as failed:
                click.start()
                self._wait_until_a_transaction_waits_for_a_lock()
                refresh.commit()  # pylint: disable=invalid-commit
                click.join(300)
        # PostgreSQL failed the click's transaction; its answer below is the replay's.
        self.assertTrue(any("could not serialize access due to concurrent update" in line
                            for line in failed.output), failed.output)
        self.assertEqual(len(answers), 1, "the click answered")
        after = self.request_counts()
        calls = {route: after[route] - before.get(route, 0) for route in after
                 if route.startswith("POST") and after[route] != before.get(route, 0)}
        return answers[0], calls

    def _wait_until_a_transaction_waits_for_a_lock(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with self.shared_registry.cursor() as cr:
                cr.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                           "'Lock' AND datname = current_database()")
                if cr.fetchone()[0]:
                    return
            time.sleep(0.05)
        self.fail("the click never waited for the e-invoice the refresh holds")

    # ------------------------------------------------------------------ the clicks

    def test_correct_and_resend(self):
        with self._shared_env() as env:
            move = self._commit_invoices(env, 1, "Comté 24 mois", 3, 45.6)
            move.action_qonto_send()
            self.set_scenario("refused", invoice_id=move.qonto_invoice_id)
            self.advance_steps(5)
            move.action_qonto_refresh()
            self.assertTrue(move.qonto_can_correct)
            # An earlier click stopped before its credit note left (Qonto was down): the
            # click sends that one. (Making it would write the invoice's e-invoice row
            # before any request, which would then fail early, whatever the lock.)
            note = move._reverse_moves([{"invoice_date": fields.Date.today()}])
            note.action_post()
            move_id, einvoice_id = move.id, move.qonto_einvoice_id.id

        answer, calls = self._click_while_the_refresh_holds(
            einvoice_id, "account.move", "action_qonto_correct_and_resend", move_id,
            {"default_move_type": "out_invoice"})

        self.assertIn("result", answer, answer)
        self.assertEqual(calls, {"POST /v2/client_invoices/bulk": 1,
                                 "POST /v2/client_invoices/{id}/send_by_einvoice": 1})
        with self._shared_env() as env:
            move = env["account.move"].browse(move_id)
            [credit_note] = move.reversal_move_ids
            [copy] = move.qonto_correction_move_ids
            self.assertTrue(credit_note.qonto_sent_at)
            self.assertEqual(answer["result"]["res_id"], copy.id, "the copy opens")
            self.assertEqual(move.qonto_status, "canceled")
        self.assertEqual(len(self.qonto_invoices()), 2, "the invoice and one credit note")

    def test_send(self):
        with self._shared_env() as env:
            move = self._commit_invoices(env, 1, "Comté 24 mois", 3, 45.6)
            # An earlier click was postponed by Qonto's rate limit: the row is there.
            move._qonto_ensure_einvoices()
            move_id, einvoice_id = move.id, move.qonto_einvoice_id.id

        answer, calls = self._click_while_the_refresh_holds(
            einvoice_id, "account.move", "action_qonto_send", move_id,
            {"default_move_type": "out_invoice"})

        self.assertEqual(answer["result"]["params"]["type"], "success", answer)
        self.assertEqual(calls, {"POST /v2/clients": 1, "POST /v2/client_invoices": 1,
                                 "POST /v2/client_invoices/{id}/finalize": 1,
                                 "POST /v2/client_invoices/{id}/send_by_einvoice": 1})
        self.assert_qonto_invoice_count(1)

    def test_mark_as_paid(self):
        with self._shared_env() as env:
            move = self._commit_invoices(env, 1, "Comté 24 mois", 3, 45.6)
            move.action_qonto_send()
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids).create({})._create_payments()
            self.assertEqual(move.qonto_payment_to_sync, "mark")
            move_id, einvoice_id = move.id, move.qonto_einvoice_id.id

        answer, calls = self._click_while_the_refresh_holds(
            einvoice_id, "account.move", "action_qonto_mark_paid", move_id,
            {"default_move_type": "out_invoice"})

        self.assertIn("result", answer, answer)
        self.assertEqual(calls, {"POST /v2/client_invoices/{id}/mark_as_paid": 1})
        self.assertEqual(self.qonto_invoices()[0].status, "paid")

    def test_refuse_a_received_einvoice(self):
        number = f"FAC-REPLAY-{uuid.uuid4().hex[:6]}"
        self.sim("POST", "supplier_invoices", {"kind": "ubl", "number": number})
        with self._shared_env() as env:
            company = env["res.company"].browse(self.shared_company_id)
            bill = env["account.move"]._qonto_receive_company(company).filtered(
                lambda move: move.ref == number)
            self.assertEqual(bill.qonto_supplier_status, "to_review")
            wizard = env["qonto.refuse.wizard"].create({
                "move_id": bill.id, "reason_code": "DOUBLON", "note": "Déjà reçue"})
            bill_id, einvoice_id, wizard_id = bill.id, bill.qonto_einvoice_id.id, wizard.id

        answer, calls = self._click_while_the_refresh_holds(
            einvoice_id, "qonto.refuse.wizard", "action_refuse", wizard_id,
            {"default_move_id": bill_id})

        self.assertIn("result", answer, answer)
        self.assertEqual(calls, {"POST /v2/supplier_invoices/{id}/reject": 1})
        with self._shared_env() as env:
            self.assertEqual(env["account.move"].browse(bill_id).qonto_supplier_status,
                             "rejected")

    def test_webhook_skips_an_invoice_a_click_holds(self):
        """Qonto waits one second for the answer: the webhook never waits for a click."""
        secret = "replay-webhook-secret"
        with self._shared_env() as env:
            env["res.company"].browse(self.shared_company_id).qonto_webhook_secret = secret
            move = self._commit_invoices(env, 1, "Comté 24 mois", 3, 45.6)
            move.action_qonto_send()
            einvoice_id, qonto_id = move.qonto_einvoice_id.id, move.qonto_invoice_id
        body = json.dumps({
            "id": str(uuid.uuid4()), "type": "v1/client-invoices.updated",
            "organization_id": "org", "created_at": "2026-01-01T00:00:00.000Z",
            "data": {"id": qonto_id, "status": "unpaid"}}).encode()
        with self._shared_env() as env:
            # A click holds the e-invoice, as every action that calls Qonto does.
            env["qonto.einvoice"].browse(einvoice_id)._lock_for_action()
            with self._server_answers():
                response = requests.post(
                    f"http://{HOST}:{config['http_port']}/account_qonto_einvoicing/webhook/"
                    f"{self.shared_company_id}", data=body, timeout=60, headers={
                        "Content-Type": "application/json",
                        SIGNATURE_HEADER: signature_header(secret, body)})
            self.assertEqual(response.status_code, 200)
            env.cr.rollback()
        with self._shared_env() as env:
            # Skipped: the click stores what Qonto says; the refresh's list catches more.
            self.assertFalse(env["qonto.einvoice"].browse(einvoice_id).refresh_requested)
