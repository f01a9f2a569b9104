import datetime as dt

from odoo.addons.account_qonto_einvoicing.tests.common import (
    QontoHttpTestCommon,
    QontoTestCommon,
    qonto_bank_journal,
)
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestStatementImport(QontoTestCommon):
    """OCA's Qonto provider pulls the transactions through the company's connection (the
    simulator here), and the buyer's transfer pays the invoice by itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = qonto_bank_journal(cls.company, cls.company_data["default_journal_bank"])
        cls.provider = cls.env["online.bank.statement.provider"].create({
            "journal_id": cls.bank.id, "service": "qonto"})

    def _pull(self):
        now = dt.datetime.now().replace(microsecond=0)
        self.provider._pull(now - dt.timedelta(days=1), now + dt.timedelta(days=1))
        return self.env["account.bank.statement.line"].search([("journal_id", "=", self.bank.id)])

    def test_the_buyer_transfer_pays_the_invoice_without_a_click(self):
        move = self.create_invoice()
        move.action_qonto_send()
        self.sim("POST", f"invoices/{move.qonto_invoice_id}/payment", {"reference": "number"})
        self.set_scenario("paid", invoice_id=move.qonto_invoice_id)
        self.advance_steps(8)  # … 205, 211, then the transfer lands

        line = self._pull()
        self.assertEqual(len(line), 1)
        self.assertIn(move.name, line.payment_ref)
        self.assertEqual(line.amount, move.amount_total)
        self.assertTrue(line.unique_import_id)
        self.assertTrue(line.is_reconciled)
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertTrue(self.request_counts().get("GET /v2/transactions"),
                        "read from the company's Qonto (the simulator)")

        self.assertEqual(self._pull(), line, "a second pull imports nothing twice")
        with self.enter_registry_test_mode():
            self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh").method_direct_trigger()
        self.assertEqual(move.qonto_status, "paid")
        self.assertIn(212, move.qonto_lifecycle_event_ids.mapped("status_code"))

    def test_a_provider_with_its_own_key_keeps_it(self):
        self.provider.write({"username": "someone", "password": "else"})
        self.assertFalse(self.provider._qonto_company_connection())
        self.provider.write({"username": False, "password": False})
        self.assertTrue(self.provider._qonto_company_connection())


@tagged("post_install", "-at_install")
class TestStatementImportTour(QontoHttpTestCommon):
    """In Chromium: the invoice the buyer's transfer paid, as the demo shows it."""

    def test_the_paid_invoice_shows_its_payment_and_212(self):
        bank = qonto_bank_journal(self.company, self.company_data["default_journal_bank"])
        provider = self.env["online.bank.statement.provider"].create({
            "journal_id": bank.id, "service": "qonto"})
        move = self.create_invoice()
        move.action_qonto_send()
        self.set_scenario("paid", invoice_id=move.qonto_invoice_id)  # Qonto's reference
        self.advance_steps(8)
        with self.enter_registry_test_mode():
            self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh").method_direct_trigger()
        now = dt.datetime.now().replace(microsecond=0)
        provider._pull(now - dt.timedelta(days=1), now + dt.timedelta(days=1))
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.start_tour(f"/odoo/customer-invoices/{move.id}",
                        "account_qonto_einvoicing_paid_by_transfer", login=self.env.user.login)
