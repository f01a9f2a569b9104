"""Two runs on one buyer's transfer pay the invoice once.

The invoices and the Qonto journal are committed beforehand, in the committed seller
(``committed.py``), and each "run" works in a real transaction of its own, as two Odoo
workers would.
"""

import threading
import uuid

from odoo.tests import tagged

from .committed import CommittedSellerMixin
from .common import QontoTestCommon, qonto_bank_journal


@tagged("post_install", "-at_install")
class TestCollectionConcurrent(CommittedSellerMixin, QontoTestCommon):

    @classmethod
    def _commit_shared_data(cls, env, company):
        journal = qonto_bank_journal(company, env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1))
        moves = cls._commit_invoices(env, 2, "Comté 24 mois", 3, 41.0)
        # Issued in Qonto: what the reconciliation needs of the e-invoice is its id.
        env["qonto.einvoice"].create([{
            "move_id": move.id, "company_id": company.id, "status": "unpaid",
            "qonto_id": str(uuid.uuid4())} for move in moves])
        cls.shared_journal_id, cls.shared_move_ids = journal.id, moves.ids

    def _run(self, job):
        """``job(env)`` in a transaction of its own, committed."""
        with self._shared_env() as env:
            return job(env)

    def _refresh(self, env):
        company = env["res.company"].browse(self.shared_company_id)
        env["account.bank.statement.line"]._qonto_reconcile_waiting(company)

    def _paid_once(self, move_id, line_id):
        def check(env):
            move = env["account.move"].browse(move_id)
            receivable = move.line_ids.filtered(
                lambda aml: aml.account_type == "asset_receivable")
            return (move.payment_state, len(receivable.matched_credit_ids),
                    env["account.bank.statement.line"].browse(line_id).is_reconciled)
        return self._run(check)

    def _new_line(self, env, move_id):
        move = env["account.move"].browse(move_id)
        return env["account.bank.statement.line"].create({
            "journal_id": self.shared_journal_id, "payment_ref": f"VIR {move.name}",
            "amount": move.amount_total}).id

    def test_a_line_whose_invoice_another_run_holds_waits_then_pays_once(self):
        move_id = self.shared_move_ids[0]
        with self.shared_registry.cursor() as holder:
            # Another worker is on this invoice (a person registering its payment).
            holder.execute("SELECT id FROM account_move WHERE id = %s FOR UPDATE", [move_id])
            line_id = self._run(lambda env: self._new_line(env, move_id))
            holder.rollback()
        self.assertEqual(self._paid_once(move_id, line_id), ("not_paid", 0, False),
                         "skipped while locked, nothing half-done")
        self._run(self._refresh)
        self._run(self._refresh)
        self.assertEqual(self._paid_once(move_id, line_id)[1:], (1, True))

    def test_two_refreshes_at_once_pay_once(self):
        move_id = self.shared_move_ids[1]
        with self.shared_registry.cursor() as holder:
            # The line comes in while the invoice is held: it waits for the refresh.
            holder.execute("SELECT id FROM account_move WHERE id = %s FOR UPDATE", [move_id])
            line_id = self._run(lambda env: self._new_line(env, move_id))
            holder.rollback()
        start = threading.Barrier(2)
        failures = []

        def refresh():
            start.wait()
            try:
                self._run(self._refresh)
            except Exception as error:  # pylint: disable=broad-except
                # A serialization failure, which Odoo's cron retries: counted, not raised.
                failures.append(error)

        workers = [threading.Thread(target=refresh) for _n in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        self.assertLessEqual(len(failures), 1, failures)
        self.assertEqual(self._paid_once(move_id, line_id)[1:], (1, True))
