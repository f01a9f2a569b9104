import datetime as dt

from odoo import fields
from odoo.tests import tagged
from odoo.tools import format_date

from ..qonto_einvoicing.transactions import list_transactions
from .common import QontoTestCommon, qonto_bank_journal

LOGIN_B, SECRET_B = "fournil-lille", "secret-du-fournil"


@tagged("post_install", "-at_install")
class TestCollection(QontoTestCommon):
    """The buyer's transfer, as a bank line on the Qonto account's journal, pays the Qonto
    invoice by itself; Qonto hears "paid" once and reports 212 Encaissée."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = qonto_bank_journal(cls.company, cls.company_data["default_journal_bank"])

    def setUp(self):
        super().setUp()
        self.today = fields.Date.context_today(self.env.user)
        self.move = self.create_invoice()
        self.move.action_qonto_send()
        self.advance_steps(1)  # the network took it (200): the buyer pays what they got

    def _bank_line(self, reference, amount=None, journal=None, date=None):
        return self.env["account.bank.statement.line"].create({
            "journal_id": (journal or self.bank).id,
            "date": date or self.today,
            "payment_ref": reference,
            "amount": self.move.amount_total if amount is None else amount,
        })

    def _run_cron(self):
        with self.enter_registry_test_mode():
            self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh").method_direct_trigger()

    def _qonto_invoice(self, move=None):
        with self.qonto_api() as qonto:
            return qonto.get_client_invoice((move or self.move).qonto_invoice_id)

    def _codes(self, move=None):
        return (move or self.move).qonto_lifecycle_event_ids.mapped("status_code")

    def assert_paid_by(self, line, move=None):
        move = move or self.move
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertTrue(line.is_reconciled)
        self.assertEqual(line.partner_id, move.commercial_partner_id)
        receivable = move.line_ids.filtered(lambda aml: aml.account_type == "asset_receivable")
        self.assertEqual(receivable.matched_credit_ids.credit_move_id.move_id, line.move_id,
                         "reconciled with the bank line, no other payment")

    def test_number_in_the_reference_pays_the_invoice(self):
        line = self._bank_line(f"Boulangerie Lumiere - VIR SEPA {self.move.name}")
        self.assert_paid_by(line)
        self.assertEqual(self.move.qonto_payment_to_sync, "mark")

        self._run_cron()
        qonto = self._qonto_invoice()
        self.assertEqual(qonto.status, "paid")
        self.assertEqual(qonto.paid_at.date(), self.today)
        self.assertEqual(self._codes().count(212), 1, "Qonto reports the collection")
        self.assertFalse(self.move.qonto_paid_not_in_odoo)
        self.assertEqual(self.request_counts().get(
            "POST /v2/client_invoices/{id}/mark_as_paid"), 1)
        self._run_cron()
        self.assertEqual(self.request_counts().get(
            "POST /v2/client_invoices/{id}/mark_as_paid"), 1, "told once")

    def test_qonto_reporting_no_212_on_a_mark(self):
        """Qonto's pages do not say a mark reports 212: without it, nothing else changes."""
        self.sim("POST", "payments/settings", {"collection_on_mark_as_paid": False})
        line = self._bank_line(f"VIR {self.move.name}")
        self._run_cron()
        self.assert_paid_by(line)
        self.assertEqual(self._qonto_invoice().status, "paid")
        self.assertNotIn(212, self._codes())
        self.assertFalse(self.move.qonto_paid_not_in_odoo)
        self.assertFalse(self.move.qonto_payment_to_sync)

    def test_qonto_reference_only_pays_through_qonto_match(self):
        """The buyer copied Qonto's reference number: Qonto matched the transfer; the bank
        line pays the invoice once the refresh reads Qonto's match."""
        self.set_scenario("paid", invoice_id=self.move.qonto_invoice_id)
        self.advance_steps(8)
        with self.qonto_api() as qonto:
            [transfer] = list_transactions(qonto, iban=self.company.qonto_bank_account_id.iban)
        line = self._bank_line(f"{transfer.label} - {transfer.reference}",
                               amount=float(transfer.amount), date=transfer.settled_at.date())
        self.assertFalse(line.is_reconciled, "no number: Qonto's word is not read yet")

        self._run_cron()
        self.assert_paid_by(line)
        self.assertEqual(self.move.qonto_status, "paid")
        self.assertIn(212, self._codes())
        self.assertFalse(self.request_counts().get(
            "POST /v2/client_invoices/{id}/mark_as_paid"), "Qonto knew it already")

    def test_partial_transfer_pays_its_part(self):
        half = self.move.amount_total / 2
        line = self._bank_line(f"Acompte {self.move.name}", amount=half)
        self.assertTrue(line.is_reconciled)
        self.assertEqual(self.move.payment_state, "partial")
        self.assertAlmostEqual(self.move.amount_residual, self.move.amount_total - half)

        self._run_cron()
        self.assertEqual(self._qonto_invoice().status, "unpaid", "Qonto not told paid")
        self.assertNotIn(212, self._codes())

    def test_more_than_owed_waits_for_a_person(self):
        line = self._bank_line(self.move.name, amount=self.move.amount_total + 10)
        self.assertFalse(line.is_reconciled)
        self.assertEqual(self.move.payment_state, "not_paid")

    def test_transfer_without_reference_waits_for_a_person(self):
        line = self._bank_line("VIR SEPA BOULANGERIE LUMIERE")
        self._run_cron()
        self.assertFalse(line.is_reconciled)
        self.assertEqual(self.move.payment_state, "not_paid")
        self.assertEqual(self._qonto_invoice().status, "unpaid")

    def test_reference_naming_two_invoices_waits_for_a_person(self):
        other = self.create_invoice()
        other.action_qonto_send()
        line = self._bank_line(f"{self.move.name} {other.name}",
                               amount=self.move.amount_total + other.amount_total)
        self.assertFalse(line.is_reconciled)
        self.assertEqual((self.move + other).mapped("payment_state"), ["not_paid"] * 2)

    def test_payment_registered_by_hand_first(self):
        self._register_payment(self.move, payment_date=self.today)
        line = self._bank_line(f"VIR {self.move.name}")
        self._run_cron()
        self.assertFalse(line.is_reconciled, "no second payment: the line waits")
        receivable = self.move.line_ids.filtered(lambda aml: aml.account_type == "asset_receivable")
        self.assertEqual(len(receivable.matched_credit_ids), 1)
        self.assertEqual(self._qonto_invoice().status, "paid")
        self.assertEqual(self._codes().count(212), 1)

    def test_refresh_replayed_after_a_serialization_failure(self):
        """The line came in before the invoice went to Qonto, so the refresh reconciles it.
        A first try told Qonto, then lost its transaction: the replay pays once."""
        move = self.create_invoice()
        line = self._bank_line(f"VIR {move.name}", amount=move.amount_total)
        self.assertFalse(line.is_reconciled, "not a Qonto invoice yet")
        move.action_qonto_send()
        self.advance_steps(1)
        with self.qonto_api() as qonto:  # what the lost first try did in Qonto
            qonto.mark_client_invoice_as_paid(move.qonto_invoice_id, self.today)

        self._run_cron()
        self.assert_paid_by(line, move)
        self.assertEqual(self._qonto_invoice(move).status, "paid")
        self.assertEqual(self._codes(move).count(212), 1)
        self.assertEqual([e.status_code for e in self._qonto_invoice(move)
                          .einvoicing_lifecycle_events].count(212), 1)
        self._run_cron()
        self.assertEqual(len(line.move_id.line_ids.matched_debit_ids), 1, "one payment")

    def test_qonto_paid_alone_is_not_proof(self):
        """Qonto says paid (a person may have marked it for a cheque): no bank line, no
        payment in Odoo; the banner asks for the payment to be registered."""
        with self.qonto_api() as qonto:
            qonto.mark_client_invoice_as_paid(self.move.qonto_invoice_id, self.today)
        self._run_cron()
        self.assertEqual(self.move.qonto_status, "paid")
        self.assertEqual(self.move.payment_state, "not_paid")
        self.assertTrue(self.move.qonto_paid_not_in_odoo)

    def test_payment_registered_on_qonto_word_when_the_company_says_so(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["account_qonto_einvoicing"], ["fr_FR"])
        self.company.partner_id.lang = "fr_FR"
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.qonto_register_qonto_payments, "off by default")
        settings.qonto_register_qonto_payments = True
        settings.execute()
        paid_on = self.today - dt.timedelta(days=2)
        with self.qonto_api() as qonto:
            qonto.mark_client_invoice_as_paid(self.move.qonto_invoice_id, paid_on)

        self._run_cron()
        self.assertIn(self.move.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.move.matched_payment_ids.date, paid_on, "Qonto's paid_at")
        self.assertEqual(self.move.matched_payment_ids.journal_id, self.bank,
                         "on the Qonto account's journal")
        self.assertFalse(self.move.qonto_paid_not_in_odoo)
        french = self.env(context={**self.env.context, "lang": "fr_FR"})
        self.assertTrue(any(
            m.startswith("Paiement enregistré sur la foi de Qonto : Qonto indique cette "
                         f"facture payée le {format_date(french, paid_on)}")
            for m in self.last_messages(self.move, 3)), self.last_messages(self.move, 3))
        self.assertEqual(self.request_counts().get(
            "POST /v2/client_invoices/{id}/mark_as_paid"), 1, "only the test's own mark")
        self._run_cron()
        receivable = self.move.line_ids.filtered(lambda aml: aml.account_type == "asset_receivable")
        self.assertEqual(len(receivable.matched_credit_ids), 1, "registered once")

    def test_line_on_another_journal_waits(self):
        cash = self.company_data["default_journal_cash"]
        line = self.env["account.bank.statement.line"].create({
            "journal_id": cash.id, "payment_ref": self.move.name,
            "amount": self.move.amount_total, "date": self.today})
        self.assertFalse(line.is_reconciled, "not the Qonto account's journal")


@tagged("post_install", "-at_install")
class TestCollectionMultiCompany(QontoTestCommon):
    """Two companies on two Qonto accounts: each transfer pays on its own journal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        data_b = cls.setup_other_company(name="Fournil de Lille")
        cls.company_b = data_b["company"]
        cls.company_b.company_registry = "44306184100047"
        cls._add_organization_b()
        cls._qonto_configure(cls.company_b, LOGIN_B, SECRET_B)
        cls.bank_a = qonto_bank_journal(cls.company, cls.company_data["default_journal_bank"])
        cls.bank_b = qonto_bank_journal(cls.company_b, data_b["default_journal_bank"])

    @classmethod
    def _add_organization_b(cls):
        cls._sim_request("POST", "organizations", {
            "api_key": f"{LOGIN_B}:{SECRET_B}", "legal_name": "Fournil de Lille SAS",
            "siren": "443061841"}).raise_for_status()

    def setUp(self):
        super().setUp()
        self._add_organization_b()
        self.env = self.env(context=dict(
            self.env.context, allowed_company_ids=[self.company.id, self.company_b.id]))

    def test_each_payment_on_its_own_journal(self):
        move_a = self.create_invoice()
        move_b = self.create_invoice(company=self.company_b)
        only_b = self.create_invoice(company=self.company_b)
        (move_a + move_b + only_b).action_qonto_send()
        self.assertNotEqual(self.bank_a.bank_account_id.acc_number,
                            self.bank_b.bank_account_id.acc_number)
        line = self.env["account.bank.statement.line"]
        wrong = line.create({"journal_id": self.bank_a.id, "payment_ref": only_b.name,
                             "amount": only_b.amount_total})
        self.assertFalse(wrong.is_reconciled, "company A's account does not pay B's invoice")
        line_a = line.create({"journal_id": self.bank_a.id, "payment_ref": move_a.name,
                              "amount": move_a.amount_total})
        line_b = line.create({"journal_id": self.bank_b.id, "payment_ref": move_b.name,
                              "amount": move_b.amount_total})
        self.assertTrue(line_a.is_reconciled and line_b.is_reconciled)
        self.assertIn(move_a.payment_state, ("paid", "in_payment"))
        self.assertIn(move_b.payment_state, ("paid", "in_payment"))
        self.assertEqual(line_b.move_id.journal_id, self.bank_b)
        self.assertEqual(line_b.company_id, self.company_b)

        with self.enter_registry_test_mode():
            self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh").method_direct_trigger()
        with self.qonto_api(LOGIN_B, SECRET_B) as qonto:
            self.assertEqual(qonto.get_client_invoice(move_b.qonto_invoice_id).status, "paid")
        with self.qonto_api() as qonto:
            self.assertEqual(qonto.get_client_invoice(move_a.qonto_invoice_id).status, "paid")

