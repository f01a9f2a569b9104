"""What Qonto's pages say, and what they leave unsaid, against the simulator's defaults.

The simulator plays Qonto as documented (the Annuaire, a list without lifecycle, rate
limits, bodies it does not document left empty); where Qonto's pages are silent it is
told to play the harder way, and the addon must still record every step.
"""

import datetime as dt
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .common import UNREACHABLE_SIRET, QontoTestCommon

GET_ONE = "GET /v2/client_invoices/{id}"
CREATE = "POST /v2/client_invoices"
FINALIZE = "POST /v2/client_invoices/{id}/finalize"
SEND = "POST /v2/client_invoices/{id}/send_by_einvoice"


class QontoCronMixin:

    def run_refresh(self):
        self.sim("DELETE", "requests")
        with self.enter_registry_test_mode():
            self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh") \
                .method_direct_trigger()
        return self.request_counts()


@tagged("post_install", "-at_install")
class TestAnnuaire(QontoTestCommon):
    """A buyer the national directory does not know yet still becomes a Qonto client (for
    the e-mail fallback) and becomes reachable once it registers."""

    def test_unregistered_buyer_becomes_a_client_without_address(self):
        partner = self.buyer_unreachable
        partner.action_qonto_check_reachability()
        partner = partner.with_company(self.company)
        self.assertEqual(partner.qonto_reachability, "not_reachable")
        self.assertTrue(partner.qonto_client_id, "a Qonto client all the same")
        self.assertEqual(self.organization_summary()["clients"], 1)
        with self.qonto_api() as qonto:
            client = qonto.get_client(partner.qonto_client_id)
        self.assertFalse(client.e_invoicing_address, "Qonto refused the unknown address")
        self.assertEqual(client.tax_identification_number, UNREACHABLE_SIRET)

        # The customer registers on the directory; the next check sees it.
        self.sim("POST", "annuaire", {"siren": UNREACHABLE_SIRET[:9], "registered": True})
        partner.action_qonto_check_reachability()
        self.assertEqual(partner.qonto_reachability, "reachable")
        self.assertEqual(self.organization_summary()["clients"], 1, "the same client")
        self.assertIn("Not reachable", self.last_messages(partner)[0])

    def test_unregistered_buyer_gets_the_email_fallback(self):
        move = self.create_invoice(self.buyer_unreachable)
        action = move.action_qonto_send()
        self.assertEqual(action["res_model"], "qonto.send.fallback")
        self.assert_qonto_invoice_count(0)
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        wizard.action_send_by_qonto_email()
        [email] = self.sim("GET", "emails")["emails"]
        self.assertEqual(email["invoice_id"], move.qonto_invoice_id)


@tagged("post_install", "-at_install")
class TestMonthEndRequests(QontoTestCommon):
    """Three requests per invoice once the customer is known; Qonto's undocumented
    answers are never read."""

    def test_a_batch_costs_three_requests_per_invoice(self):
        self.buyer.action_qonto_check_reachability()
        moves = self.env["account.move"]
        for number in range(6):
            moves |= self.create_invoice(lines=[
                {"name": f"Commande {number}", "quantity": 1, "price_unit": 20.0 + number}])
        self.sim("DELETE", "requests")
        action = moves.action_qonto_send()
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        self.assertEqual(self.request_counts(), {CREATE: 6, FINALIZE: 6, SEND: 6},
                         "the customer known and trusted: draft, finalize, send")
        self.assertEqual(set(moves.mapped("qonto_status")), {"unpaid"})
        self.assertTrue(all(moves.mapped("is_move_sent")), "the invoices say Sent")

    def test_a_batch_runs_no_accounting_sync_and_its_queries_stay_flat(self):
        self.buyer.action_qonto_check_reachability()
        move_class = self.registry["account.move"]
        syncs = []
        get_sync_stack = move_class._get_sync_stack

        def counted(move, container):
            syncs.append(move.ids)
            return get_sync_stack(move, container)

        queries = {}
        for size in (5, 20):
            moves = self.env["account.move"]
            for number in range(size):
                moves |= self.create_invoice(lines=[
                    {"name": f"Ligne {number}", "quantity": 1, "price_unit": 10.0 + number}])
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with patch.object(move_class, "_get_sync_stack", counted):
                results = moves._qonto_send_batch()
                self.env.flush_all()
            queries[size] = (self.env.cr.sql_log_count - before) / size
            self.assertEqual({r.state for r in results.values()}, {"sent"})
            self.assertTrue(all(moves.mapped("is_move_sent")))
        self.assertEqual(syncs, [], "sending writes nothing that needs the accounting sync")
        self.assertLessEqual(queries[20], 25, f"SQL queries per invoice: {queries}")
        self.assertLessEqual(queries[20], queries[5], f"flat from 5 to 20: {queries}")

    def test_the_customer_is_read_once_per_batch(self):
        moves = self.create_invoice() + self.create_invoice() + self.create_invoice()
        self.sim("DELETE", "requests")
        moves.action_qonto_send()
        counts = self.request_counts()
        # Searched by SIRET, SIREN, VAT number and e-mail, then created: once for the
        # batch, not once per invoice.
        self.assertEqual(counts["GET /v2/clients"], 4)
        self.assertEqual(counts["POST /v2/clients"], 1)
        self.assertEqual(counts[CREATE], 3)


@tagged("post_install", "-at_install")
class TestSilentUpdatedAt(QontoCronMixin, QontoTestCommon):
    """Qonto does not say that a lifecycle event moves an invoice's updated_at. Played the
    hard way, the filtered list misses a refusal: the sweep still records it."""

    simulator_options = {"lifecycle_bumps_updated_at": False}

    def test_the_sweep_records_an_event_the_list_missed(self):
        move = self.create_invoice()
        move.action_qonto_send()
        self.advance_steps(6)
        self.run_refresh()  # the first run reads every invoice in flight
        self.assertEqual(move.qonto_einvoicing_status, "approved")
        self.assertTrue(move.qonto_in_flight, "a payment may still come")

        # The buyer disputes it: an event that changes no status, nor (played this way)
        # the invoice's updated_at.
        self.sim("POST", f"invoices/{move.qonto_invoice_id}/events",
                 {"status_code": 207, "reason": "LITIGE", "reason_message": "Livraison"})
        counts = self.run_refresh()
        self.assertEqual(counts.get(GET_ONE, 0), 0, "the list said nothing moved")
        self.assertNotIn(207, move.qonto_lifecycle_event_ids.mapped("status_code"))

        # An hour later the sweep reads what was not read for that long.
        move.qonto_einvoice_id.sudo().read_at = fields.Datetime.now() - dt.timedelta(hours=2)
        counts = self.run_refresh()
        self.assertEqual(counts[GET_ONE], 1)
        dispute = move.qonto_lifecycle_event_ids.filtered(lambda e: e.status_code == 207)
        self.assertEqual((dispute.reason, dispute.reason_message), ("LITIGE", "Livraison"))


@tagged("post_install", "-at_install")
class TestUnknownValues(QontoCronMixin, QontoTestCommon):
    """A value Qonto adds later is kept in the log, never a crash."""

    def test_unknown_status_values_keep_the_last_known_ones(self):
        move = self.create_invoice()
        move.action_qonto_send()
        self.advance_steps(1)
        move.action_qonto_refresh()
        self.assertEqual(move.qonto_einvoicing_status, "submitted")
        self.sim("POST", f"invoices/{move.qonto_invoice_id}/raw",
                 {"status": "archived", "einvoicing_status": "pending_review"})
        self.sim("POST", f"invoices/{move.qonto_invoice_id}/events", {"status_code": 221})
        with self.assertLogs("odoo.addons.account_qonto_einvoicing", "WARNING") as logs:
            move.action_qonto_refresh()
        self.assertTrue(any("pending_review" in line for line in logs.output), logs.output)
        self.assertEqual(move.qonto_einvoicing_status, "submitted")
        self.assertEqual(move.qonto_status, "unpaid")
        self.assertIn(221, move.qonto_lifecycle_event_ids.mapped("status_code"),
                      "an unknown code is kept, never dropped")
