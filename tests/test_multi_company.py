from odoo.tests import new_test_user, tagged

from .common import QontoTestCommon

LOGIN_B, SECRET_B = "fournil-lille", "secret-du-fournil"


@tagged("post_install", "-at_install")
class TestMultiCompany(QontoTestCommon):
    """Two companies, each with its own Qonto organization and credentials."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Fournil de Lille")["company"]
        cls.company_b.company_registry = "44306184100047"
        cls._add_organization_b()
        cls._qonto_configure(cls.company_b, LOGIN_B, SECRET_B)
        cls.user_a = new_test_user(
            cls.env, login="only_a", groups="account.group_account_invoice",
            company_id=cls.company.id, company_ids=[cls.company.id])

    @classmethod
    def _add_organization_b(cls):
        cls._sim_request("POST", "organizations", {
            "api_key": f"{LOGIN_B}:{SECRET_B}", "legal_name": "Fournil de Lille SAS",
            "siren": "443061841"}).raise_for_status()

    def setUp(self):
        super().setUp()
        self._add_organization_b()
        # The user works in both companies at once, as with both ticked in the switcher.
        self.env = self.env(context=dict(
            self.env.context, allowed_company_ids=[self.company.id, self.company_b.id]))

    def test_each_company_sends_through_its_own_organization(self):
        self.assertEqual(self.company.qonto_organization_name, "Démo Simulateur SAS")
        self.assertEqual(self.company_b.qonto_organization_name, "Fournil de Lille SAS")
        self.assertNotEqual(self.company.qonto_bank_account_id.iban,
                            self.company_b.qonto_bank_account_id.iban)

        move_a = self.create_invoice()
        move_b = self.create_invoice(company=self.company_b)
        (move_a + move_b).action_qonto_send()

        self.assertTrue(move_a.qonto_sent_at and move_b.qonto_sent_at)
        self.assert_qonto_invoice_count(1)
        self.assert_qonto_invoice_count(1, login=LOGIN_B)
        [invoice_b] = self.qonto_invoices(LOGIN_B, SECRET_B)
        self.assertEqual(invoice_b.id, move_b.qonto_invoice_id)
        self.assertEqual(invoice_b.payment_methods[0].iban,
                         self.company_b.qonto_bank_account_id.iban)

        # One customer, one Qonto client in each organization, each id kept per company.
        client_a = self.buyer.with_company(self.company).qonto_client_id
        client_b = self.buyer.with_company(self.company_b).qonto_client_id
        self.assertTrue(client_a and client_b)
        self.assertNotEqual(client_a, client_b)
        self.assertEqual(invoice_b.client_id, client_b)

    def test_reachability_is_kept_per_company(self):
        self.buyer.action_qonto_check_reachability()
        self.assertEqual(self.buyer.with_company(self.company).qonto_reachability, "reachable")
        self.assertEqual(self.buyer.with_company(self.company_b).qonto_reachability,
                         "not_checked")
        self.assertEqual(self.organization_summary(LOGIN_B)["clients"], 0)

    def test_cron_refreshes_each_company_with_its_key(self):
        move_a = self.create_invoice()
        move_b = self.create_invoice(company=self.company_b)
        (move_a + move_b).action_qonto_send()
        self.advance_steps(1)
        # Company B's key is revoked: company A is followed all the same.
        self.company_b.qonto_secret_key = "revoked"
        with self.enter_registry_test_mode():
            self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh") \
                .method_direct_trigger()
        self.assertEqual(move_a.qonto_lifecycle_event_ids.mapped("status_code"), [200])
        self.assertFalse(move_b.qonto_lifecycle_event_ids)

        self.company_b.qonto_secret_key = SECRET_B
        with self.enter_registry_test_mode():
            self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh") \
                .method_direct_trigger()
        self.assertEqual(move_b.qonto_lifecycle_event_ids.mapped("status_code"), [200])

    def test_users_see_only_their_companies_data(self):
        move_b = self.create_invoice(company=self.company_b)
        move_b.action_qonto_send()
        self.advance_steps(1)
        move_b.action_qonto_refresh()
        self.assertTrue(move_b.qonto_lifecycle_event_ids)

        env_a = self.env(user=self.user_a, context={"allowed_company_ids": self.company.ids})
        self.assertTrue(self.env["qonto.lifecycle.event"].search([("move_id", "=", move_b.id)]))
        self.assertFalse(env_a["qonto.lifecycle.event"].search([("move_id", "=", move_b.id)]))
        self.assertEqual(env_a["qonto.bank.account"].search([]).company_id, self.company)
