"""Two workers refreshing the same company's OAuth token at the same moment.

Qonto rotates the refresh token on each refresh: if both workers refreshed, one of the
two rotated tokens would be lost. The company and its token row are committed (each
worker is a real transaction on its own connection, as two Odoo workers are) and
removed at the end.
"""

import datetime as dt
import threading
import uuid
from urllib.parse import parse_qs, urlsplit

import requests
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.orm.environments import Transaction
from odoo.tests import tagged
from odoo.tests.common import get_db_name

from ..qonto_einvoicing.oauth import OAuthApp, read_redirect, simulator_oauth
from .common import QontoTestCommon
from .test_oauth import ConsentForm

REDIRECT = "http://odoo.test/account_qonto_einvoicing/oauth/callback"


@tagged("post_install", "-at_install")
class TestOAuthConcurrentRefresh(QontoTestCommon):

    @classmethod
    def _before_test_transaction(cls):
        cls.shared_registry = Registry(get_db_name())
        with cls.shared_registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].create({
                "name": f"Cabinet Comptable Concurrent {uuid.uuid4().hex[:8]}",
                "qonto_enabled": True,
                "qonto_environment": "simulator",
                "qonto_simulator_url": cls.simulator.url,
            })
            cls.shared_company_id = company.id
        cls.addClassCleanup(cls._remove_shared_data)

    @classmethod
    def _remove_shared_data(cls):
        with cls.shared_registry.cursor() as cr:
            cr.execute("DELETE FROM qonto_oauth_token WHERE company_id = %s",
                       [cls.shared_company_id])
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.company"].browse(cls.shared_company_id).write(
                {"active": False, "qonto_enabled": False})

    def _connect_in_simulator(self):
        app = OAuthApp("demo-oauth-client", "demo-oauth-secret", REDIRECT,
                       endpoints=simulator_oauth(self.simulator.url))
        page = requests.get(app.authorization_url("s"), timeout=10)
        form = ConsentForm()
        form.feed(page.text)
        answer = requests.post(self.simulator.url + form.action, allow_redirects=False,
                               data={**form.fields, "decision": "allow",
                                     "organization": "demo-org"}, timeout=10)
        query = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["Location"]).query)
                 .items()}
        return app.exchange_code(read_redirect(query, "s"))

    def test_two_workers_refresh_once_and_both_work(self):
        token = self._connect_in_simulator()
        with self.shared_registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["qonto.oauth.token"].create({
                "company_id": self.shared_company_id,
                "access_token": token.access_token,
                "refresh_token": token.refresh_token,
                # The hour has passed: both workers find a token to refresh.
                "expires_at": dt.datetime(2020, 1, 1),
            })
        barrier = threading.Barrier(2, timeout=30)
        results, errors = {}, []

        def worker(name):
            try:
                with self.shared_registry.cursor() as cr:
                    cr.transaction = Transaction(self.shared_registry)
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    company = env["res.company"].browse(self.shared_company_id)
                    with company._qonto_client() as qonto:
                        barrier.wait()  # both hold the expired token now
                        organization = qonto.get_organization()
                        results[name] = (organization.legal_name,
                                         qonto.credentials.token.access_token)
            except Exception as error:
                errors.append(repr(error))

        threads = [threading.Thread(target=worker, args=(n,)) for n in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertFalse(errors)
        self.assertEqual({r[0] for r in results.values()}, {"Démo Simulateur SAS"})
        self.assertEqual(self.sim("GET", "oauth")["token_requests"],
                         {"authorization_code": 1, "refresh_token": 1},
                         "one refresh request reached Qonto")
        self.assertEqual(results["a"][1], results["b"][1], "both use the one new token")
        with self.shared_registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            stored = env["qonto.oauth.token"].search(
                [("company_id", "=", self.shared_company_id)])
            self.assertEqual(stored.access_token, results["a"][1])
            self.assertNotEqual(stored.refresh_token, token.refresh_token)
            self.assertEqual(stored.state, "connected")
