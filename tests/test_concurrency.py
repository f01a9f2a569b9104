"""Two users clicking Send at the same moment produce one Qonto invoice.

The invoices sent here by two "users" at once are committed beforehand, in the committed
seller (``committed.py``), and each user works in a real transaction of its own, as two
Odoo workers would. Qonto's side of the race (two creates of the same number) is shown
with the core client in two threads.
"""

import threading

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.orm.environments import Transaction
from odoo.tests import tagged

from ..tools.mapping import invoice_payload
from .committed import CommittedSellerMixin
from .common import QontoTestCommon

REFUSALS = ("another user is sending it right now", "already sent by e-invoice")


@tagged("post_install", "-at_install")
class TestConcurrentSend(CommittedSellerMixin, QontoTestCommon):

    @classmethod
    def _commit_shared_data(cls, env, company):
        cls.shared_move_ids = cls._commit_invoices(env, 3, "Entremets", 4, 32.5).ids

    def _as_worker(self, move_id, started=None):
        """``action_qonto_send`` in a request of its own; what the user would see.

        As Odoo's HTTP layer does, the request is committed when it ends, rolled back
        when it fails."""
        with self._shared_env() as env:
            move = env["account.move"].browse(move_id)
            if started:
                started.wait(timeout=10)
            try:
                action = move.action_qonto_send()
            except UserError as error:
                env.cr.rollback()
                return error.args[0]
            return action["params"]["message"]

    def _shared_move(self, move_id):
        with self._shared_env() as env:
            move = env["account.move"].browse(move_id)
            return move.name, move.qonto_invoice_id, bool(move.qonto_sent_at)

    def test_invoice_locked_by_another_transaction_is_refused(self):
        move_id = self.shared_move_ids[0]
        with self.shared_registry.cursor() as other:
            # Another worker is sending this invoice: it holds the row.
            other.execute("SELECT id FROM account_move WHERE id = %s FOR UPDATE", [move_id])
            message = self._as_worker(move_id)
            name = self._shared_move(move_id)[0]
            self.assertEqual(message, f"{name}: another user is sending it right now.")
            self.assertEqual(self.sim("GET", "requests")["total"], 0, "nothing left Odoo")
            other.rollback()

        self.assertEqual(self._as_worker(move_id),
                         "1 invoice(s) sent by e-invoice through Qonto.")
        self.assert_qonto_invoice_count(1)

    def test_send_wizard_leaves_a_locked_invoice_to_its_sender(self):
        move_id = self.shared_move_ids[2]
        with self.shared_registry.cursor() as other, self.shared_registry.cursor() as cr:
            other.execute("SELECT id FROM account_move WHERE id = %s FOR UPDATE", [move_id])
            cr.transaction = Transaction(self.shared_registry)
            env = api.Environment(cr, SUPERUSER_ID, {})
            move = env["account.move"].browse(move_id)
            invoices_data = {move: {"sending_methods": ["qonto"]}}
            env["account.move.send"]._call_web_service_after_invoice_pdf_render(invoices_data)
            self.assertEqual(invoices_data[move]["error"], {
                "error_title": f"{move.name} is being sent by another process.",
                "retry": True,
            })
            self.assertEqual(self.sim("GET", "requests")["total"], 0)
            other.rollback()

    def test_two_users_click_send_at_the_same_moment(self):
        move_id = self.shared_move_ids[1]
        # The first to lock the invoice keeps it while Qonto answers slowly.
        self.add_fault("GET", "/v2/clients", "slow", delay=1.5)
        started = threading.Barrier(2)
        results = []
        workers = [threading.Thread(target=lambda: results.append(
            self._as_worker(move_id, started))) for _user in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)

        self.assertEqual(len(results), 2, results)
        self.assertEqual(results.count("1 invoice(s) sent by e-invoice through Qonto."), 1,
                         results)
        [refusal] = [r for r in results if "sent by e-invoice through Qonto" not in r]
        self.assertTrue(any(reason in refusal for reason in REFUSALS), refusal)
        name, qonto_id, sent = self._shared_move(move_id)
        self.assertTrue(sent)
        [invoice] = self.qonto_invoices()
        self.assertEqual((invoice.id, invoice.number), (qonto_id, name))
        self.assertEqual(self.request_counts()["POST /v2/client_invoices"], 1)

    def test_two_creates_of_one_number_leave_one_qonto_invoice(self):
        self.buyer.action_qonto_check_reachability()
        move = self.create_invoice()
        payload, problems = invoice_payload(
            self.env, move, self.buyer.with_company(self.company).qonto_client_id)
        self.assertFalse(problems)
        started = threading.Barrier(2)
        created = []

        def create():
            with self.qonto_api() as qonto:
                started.wait(timeout=10)
                created.append(qonto.create_client_invoice(payload, adopt_existing=True).id)

        threads = [threading.Thread(target=create) for _n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertEqual(len(created), 2)
        self.assertEqual(len(set(created)), 1, "the second create adopted the first")
        self.assert_qonto_invoice_count(1)

        # The Odoo invoice whose number a concurrent sender already used adopts it.
        move.action_qonto_send()
        self.assertEqual(move.qonto_invoice_id, created[0])
        self.assertTrue(move.qonto_sent_at)
        self.assert_qonto_invoice_count(1)
        self.assertEqual(self.qonto_invoices()[0].status, "unpaid")
