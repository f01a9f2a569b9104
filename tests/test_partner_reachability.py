from odoo.exceptions import UserError
from odoo.tests import tagged

from ..qonto_einvoicing.models import ClientPayload
from .common import REACHABLE_SIRET, REACHABLE_VAT, QontoTestCommon


@tagged("post_install", "-at_install")
class TestPartnerReachability(QontoTestCommon):
    """Check e-invoicing reachability: one Qonto client per customer, kept per company."""

    def _qonto_client(self, **values):
        """A client created in Qonto directly, as someone using Qonto's app would."""
        with self.qonto_api() as qonto:
            return qonto.create_client(ClientPayload(kind="company", name="Lumière (Qonto)",
                                                     **values))

    def _state(self, partner):
        partner = partner.with_company(self.company)
        return partner.qonto_reachability, partner.qonto_client_id

    def test_check_creates_the_client_once(self):
        partner = self.buyer
        self.assertEqual(self._state(partner), ("not_checked", False))
        action = partner.action_qonto_check_reachability()

        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(action["params"]["message"],
                         "1 contact(s) checked: 1 reachable, 0 not reachable.")
        state, client_id = self._state(partner)
        self.assertEqual(state, "reachable")
        self.assertTrue(client_id)
        self.assertTrue(partner.with_company(self.company).qonto_reachability_date)
        self.assertEqual(self.last_messages(partner)[0],
                         f"E-invoicing reachability through Qonto: Not checked → Reachable "
                         f"({self.company.name})")
        with self.qonto_api() as qonto:
            client = qonto.get_client(client_id)
        self.assertEqual(client.tax_identification_number, REACHABLE_SIRET)
        self.assertEqual(client.vat_number, REACHABLE_VAT)
        self.assertEqual(client.e_invoicing_address, REACHABLE_SIRET[:9])
        self.assertEqual(client.name, partner.name)

        messages = len(partner.message_ids)
        partner.action_qonto_check_reachability()
        self.assertEqual(self._state(partner), ("reachable", client_id))
        self.assertEqual(self.organization_summary()["clients"], 1, "no duplicate")
        self.assertEqual(self.request_counts()["POST /v2/clients"], 1)
        self.assertEqual(len(partner.message_ids), messages, "no change, nothing logged")

    def test_finds_the_client_by_siret_then_vat_then_email(self):
        identifiers = [("siret", {"tax_identification_number": REACHABLE_SIRET}),
                       ("vat", {"vat_number": REACHABLE_VAT}),
                       ("email", {"email": self.buyer.email})]
        # With every identifier in Qonto, the SIRET wins; without it, the VAT; then e-mail.
        for rank, (name, _values) in enumerate(identifiers):
            with self.subTest(found_by=name):
                self.sim("POST", "reset")
                clients = [self._qonto_client(**values) for _name, values in identifiers[rank:]]
                self.sim("DELETE", "requests")
                self.buyer.with_company(self.company).qonto_client_id = False
                self.buyer.action_qonto_check_reachability()
                self.assertEqual(self._state(self.buyer)[1], clients[0].id)
                self.assertNotIn("POST /v2/clients", self.request_counts(), "never created")

    def test_client_found_by_email_gets_the_identifiers_it_lacks(self):
        # Made in Qonto's app with only an e-mail: no SIREN, so the network cannot reach it.
        by_email = self._qonto_client(email=self.buyer.email)
        self.assertFalse(by_email.e_invoicing_reachable)
        self.buyer.action_qonto_check_reachability()

        self.assertEqual(self._state(self.buyer), ("reachable", by_email.id))
        with self.qonto_api() as qonto:
            client = qonto.get_client(by_email.id)
        self.assertEqual(client.e_invoicing_address, REACHABLE_SIRET[:9])
        self.assertEqual(client.tax_identification_number, REACHABLE_SIRET)
        self.assertEqual(client.name, "Lumière (Qonto)", "what Qonto had is kept")
        self.assertEqual(self.organization_summary()["clients"], 1)

    def test_finds_the_client_by_siren(self):
        by_siren = self._qonto_client(tax_identification_number=REACHABLE_SIRET[:9])
        self.buyer.action_qonto_check_reachability()
        self.assertEqual(self._state(self.buyer), ("reachable", by_siren.id))

    def test_client_deleted_in_qonto_is_found_again(self):
        self.buyer.action_qonto_check_reachability()
        old_id = self._state(self.buyer)[1]
        with self.qonto_api() as qonto:
            qonto.request("DELETE", f"/v2/clients/{old_id}")
        self.buyer.action_qonto_check_reachability()
        state, client_id = self._state(self.buyer)
        self.assertEqual(state, "reachable")
        self.assertNotEqual(client_id, old_id)
        self.assertEqual(self.organization_summary()["clients"], 1)

    def test_unreachable_customer(self):
        action = self.buyer_unreachable.action_qonto_check_reachability()
        self.assertEqual(action["params"]["message"],
                         "1 contact(s) checked: 0 reachable, 1 not reachable.")
        self.assertEqual(self._state(self.buyer_unreachable)[0], "not_reachable")

    def test_change_of_reachability_is_logged(self):
        self.buyer.action_qonto_check_reachability()
        client_id = self._state(self.buyer)[1]
        self.sim("POST", f"clients/{client_id}/reachability", {"reachable": False})
        self.buyer.action_qonto_check_reachability()

        self.assertEqual(self._state(self.buyer), ("not_reachable", client_id))
        self.assertEqual(self.last_messages(self.buyer)[0],
                         f"E-invoicing reachability through Qonto: Reachable → Not reachable "
                         f"({self.company.name})")

    def test_list_action_checks_many(self):
        partners = self.buyer + self.buyer_unreachable + self.buyer_anonymous
        action = self.env.ref("account_qonto_einvoicing.action_qonto_check_partners") \
            .with_context(active_model="res.partner", active_ids=partners.ids).run()

        self.assertEqual(action["params"]["type"], "warning")
        message = action["params"]["message"]
        self.assertIn("2 contact(s) checked: 1 reachable, 1 not reachable.", message)
        self.assertIn(self.buyer_anonymous.name, message)
        self.assertIn("Company ID (SIRET) or Tax ID", message)
        self.assertEqual(self._state(self.buyer)[0], "reachable")
        self.assertEqual(self._state(self.buyer_unreachable)[0], "not_reachable")
        self.assertEqual(self._state(self.buyer_anonymous), ("not_checked", False))
        self.assertEqual(self.organization_summary()["clients"], 2)

    def test_contact_without_identifiers(self):
        with self.assertRaises(UserError) as caught:
            self.buyer_anonymous.action_qonto_check_reachability()
        message = caught.exception.args[0]
        self.assertIn(self.buyer_anonymous.name, message)
        self.assertIn("Company ID (SIRET) or Tax ID", message)
        self.assertEqual(self.sim("GET", "requests")["total"], 0)

    def test_wrong_key(self):
        self.company.qonto_secret_key = "not-the-secret"
        with self.assertRaises(UserError) as caught:
            self.buyer.action_qonto_check_reachability()
        message = caught.exception.args[0]
        for fragment in (self.buyer.name, self.company.name, "HTTP 401", "Secret key"):
            self.assertIn(fragment, message)
        self.assertEqual(self._state(self.buyer), ("not_checked", False))

    def test_contact_person_checks_its_company(self):
        employee = self.env["res.partner"].create({
            "name": "Jeanne Martin", "parent_id": self.buyer.id, "type": "invoice"})
        employee.action_qonto_check_reachability()
        self.assertEqual(self._state(self.buyer)[0], "reachable")
        self.assertEqual(self.organization_summary()["clients"], 1)
