"""A seller committed to the database, for the tests whose transactions must see each other.

Odoo runs each test inside one transaction that no other transaction can see. The tests
of races (two users clicking Send, two runs paying one transfer, a click Odoo replays
after a serialization failure) need the seller, its customers and its invoices
committed, and each "user" working in a real transaction of its own (its own database
connection), as Odoo's workers do.

The seller is made once per database, since loading a chart of accounts takes minutes on
a small machine: a test class switches it on, commits what it needs in it, and at the
end removes all of that and switches the seller off again.
"""

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.orm.environments import Transaction
from odoo.tests.common import get_db_name

from .common import (
    COMPANY_SIRET,
    COMPANY_VAT,
    DEMO_LOGIN,
    DEMO_SECRET,
    REACHABLE_SIRET,
    REACHABLE_VAT,
)

COMMITTED_SELLER = "Fromagerie Partagée (tests)"


class CommittedEnv:
    """A superuser environment on a transaction of its own, committed on a clean exit.

    Given its registry, the transaction does not wait for the registry lock that the
    test runner holds (an HTTP worker finds its registry ready the same way).
    """

    def __init__(self, registry):
        self.registry = registry
        self.cursor = None

    def __enter__(self):
        self.cursor = self.registry.cursor()
        self.cursor.transaction = Transaction(self.registry)
        return api.Environment(self.cursor, SUPERUSER_ID, {})

    def __exit__(self, *exc):
        return self.cursor.__exit__(*exc)


class CommittedSellerMixin:
    """Put before ``QontoTestCommon``: ``cls.shared_registry`` and ``cls.shared_company_id``
    name the committed seller, on Qonto through this class's simulator (the organization
    of the login demo-org, whose SIRET and VAT number it bears); ``cls.shared_partner_id``
    its customer, reachable on the network. A class commits its own records (invoices,
    users) in :meth:`_commit_shared_data`."""

    @classmethod
    def _before_test_transaction(cls):
        cls.shared_registry = Registry(get_db_name())
        with cls._shared_env() as env:
            company = env["res.company"].with_context(active_test=False).search(
                [("name", "=", COMMITTED_SELLER)], limit=1)
            if not company:
                company = env["res.company"].create({
                    "name": COMMITTED_SELLER,
                    "country_id": env.ref("base.fr").id,
                    "currency_id": env.ref("base.EUR").id,
                })
                env["account.chart.template"].try_loading("fr", company=company,
                                                          install_demo=False)
            company.write({
                "active": True,
                # A seller the Factur-X of a credit note can name (BR-S-02, BR-CO-26).
                "company_registry": COMPANY_SIRET, "vat": COMPANY_VAT,
                "street": "2 place des Halles", "zip": "69001", "city": "Lyon",
                "qonto_enabled": True,
                "qonto_environment": "simulator",
                "qonto_simulator_url": cls.simulator.url,
                "qonto_login": DEMO_LOGIN,
                "qonto_secret_key": DEMO_SECRET,
            })
            company._qonto_test_connection()
            cls.shared_company_id = company.id
            cls.shared_partner_id = env["res.partner"].create({
                "name": "Crèmerie Lumière", "is_company": True, "company_id": company.id,
                "country_id": env.ref("base.fr").id, "company_registry": REACHABLE_SIRET,
                "vat": REACHABLE_VAT, "email": "compta@cremerie.example",
            }).id
            cls._commit_shared_data(env, company)
        cls.addClassCleanup(cls._remove_shared_data)
        return super()._before_test_transaction()

    @classmethod
    def _commit_shared_data(cls, env, company):
        """The class's own committed records in ``company`` (invoices, users)."""

    @classmethod
    def _commit_invoices(cls, env, count, product, quantity, price_unit):
        """``count`` posted invoices of the seller to its customer, of one line each."""
        company = env["res.company"].browse(cls.shared_company_id)
        moves = env["account.move"].with_company(company).create([{
            "move_type": "out_invoice",
            "partner_id": cls.shared_partner_id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({
                "name": product, "quantity": quantity, "price_unit": price_unit,
                "tax_ids": [Command.set(company.account_sale_tax_id.ids)]})],
        } for _n in range(count)])
        moves.action_post()
        return moves

    def setUp(self):
        super().setUp()
        # The simulator was reset: the committed customer's Qonto client went with it.
        with self._shared_env() as env:
            env["res.partner"].browse(self.shared_partner_id).with_company(
                self.shared_company_id).write({"qonto_client_id": False,
                                               "qonto_reachability": False,
                                               "qonto_reachability_date": False})

    @classmethod
    def _shared_env(cls):
        return CommittedEnv(cls.shared_registry)

    @classmethod
    def _remove_shared_data(cls):
        """Remove the entries the class committed and switch the seller off."""
        with cls._shared_env() as env:
            cr, company_id = env.cr, cls.shared_company_id
            cr.execute("SELECT id FROM account_move WHERE company_id = %s", [company_id])
            moves = tuple(row[0] for row in cr.fetchall()) or (0,)
            # Posted entries and their audit trail refuse the ORM's unlink, by design.
            cr.execute("DELETE FROM account_partial_reconcile WHERE company_id = %s",
                       [company_id])
            cr.execute("DELETE FROM account_payment WHERE company_id = %s", [company_id])
            cr.execute("DELETE FROM account_bank_statement_line WHERE company_id = %s",
                       [company_id])
            cr.execute("DELETE FROM mail_message WHERE model = 'account.move' AND res_id IN %s",
                       [moves])
            cr.execute("DELETE FROM mail_activity WHERE res_model = 'account.move' "
                       "AND res_id IN %s", [moves])
            cr.execute("DELETE FROM account_move WHERE id IN %s", [moves])
            company = env["res.company"].browse(company_id)
            main_company = env.ref("base.main_company")
            # Archived with their default company elsewhere, so that the seller can be.
            env["res.users"].with_context(active_test=False).search(
                [("company_id", "=", company_id)]).write({
                    "active": False, "company_id": main_company.id,
                    "company_ids": [Command.set(main_company.ids)]})
            env["res.partner"].search([("company_id", "=", company_id),
                                       ("id", "!=", company.partner_id.id)]).active = False
            # A company with accounting cannot be deleted: it is switched off instead.
            company.write({"qonto_enabled": False, "active": False})
