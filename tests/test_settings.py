from odoo.tests import tagged

from .common import DEMO_LOGIN, DEMO_SECRET, QontoTestCommon


@tagged("post_install", "-at_install")
class TestSettings(QontoTestCommon):
    """Environment, login and secret key; the key is written, never shown back; Test
    connection says the organization and whether sending is enabled."""

    def _settings(self, **values):
        return self.env["res.config.settings"].create(values)

    def test_secret_key_is_written_never_shown_back(self):
        settings = self._settings()
        self.assertFalse(settings.qonto_secret_key_input, "never read back into the form")
        self.assertTrue(settings.qonto_secret_key_set)

        self.company.qonto_secret_key = False
        self.assertFalse(self._settings().qonto_secret_key_set)
        self._settings(qonto_secret_key_input=f"  {DEMO_SECRET} ").execute()
        self.assertEqual(self.company.qonto_secret_key, DEMO_SECRET)
        self.assertFalse(self._settings().qonto_secret_key_input)

        # Saving the settings without typing a key keeps the stored one.
        self._settings().execute()
        self.assertEqual(self.company.qonto_secret_key, DEMO_SECRET)

    def test_test_connection_names_the_organization(self):
        settings = self._settings()
        self.assertEqual(settings.qonto_environment, "simulator")
        self.assertEqual(settings.qonto_login, DEMO_LOGIN)
        action = settings.action_qonto_test_connection()

        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(action["params"]["message"],
                         "Connected to Démo Simulateur SAS. E-invoice sending is enabled; "
                         "2 Qonto account(s) found.")
        self.assertEqual(self.company.qonto_organization_name, "Démo Simulateur SAS")
        self.assertTrue(self.company.qonto_can_send)
        self.assertEqual(len(self.company.qonto_bank_account_ids), 2)
        self.assertTrue(self.company.qonto_bank_account_id.is_main)

    def test_test_connection_says_when_sending_is_not_enabled(self):
        self.sim("POST", "einvoicing/sending", {"api_key_login": DEMO_LOGIN, "enabled": False})
        action = self._settings().action_qonto_test_connection()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("e-invoice sending is not enabled in Qonto", action["params"]["message"])
        self.assertFalse(self.company.qonto_can_send)

    def test_test_connection_with_a_wrong_key(self):
        settings = self._settings(qonto_secret_key_input="wrong-secret")
        # Said where the user stands (no reload to the top), and no stale organization.
        action = settings.action_qonto_test_connection()
        self.assertEqual((action["params"]["type"], action["params"]["next"]["tag"]),
                         ("danger", "soft_reload"))
        message = action["params"]["message"]
        for fragment in (self.company.name, "HTTP 401", "API login", "Secret key"):
            self.assertIn(fragment, message)
        self.assertNotIn("wrong-secret", message)
        self.assertFalse(self.company.qonto_organization_name)

    def test_environment_decides_the_address(self):
        for environment, url in (("sandbox", "https://thirdparty-sandbox.staging.qonto.co"),
                                 ("production", "https://thirdparty.qonto.com"),
                                 ("simulator", self.simulator.url)):
            with self.subTest(environment=environment):
                self.company.qonto_environment = environment
                with self.company._qonto_client() as qonto:
                    self.assertEqual(qonto.base_url, url)
