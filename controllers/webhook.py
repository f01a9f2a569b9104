import logging

from odoo import http
from odoo.http import request

from ..qonto_einvoicing import InvalidSignatureError
from ..qonto_einvoicing.models import WebhookEvent
from ..qonto_einvoicing.webhooks import SIGNATURE_HEADER, verify

_logger = logging.getLogger(__name__)


class QontoWebhookController(http.Controller):
    """Qonto's client invoice events: a signal to read the invoice again, nothing more.

    Nothing in the body is trusted beyond the signature; the invoice itself is read
    from Qonto by the scheduled refresh, which this route only wakes up. Qonto waits one
    second for the answer: acknowledge first, fetch later.
    """

    @http.route(
        "/account_qonto_einvoicing/webhook/<int:company_id>",
        type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
    )
    def qonto_webhook(self, company_id):
        env = request.env(su=True)
        company = env["res.company"].browse(company_id).exists()
        secret = company.qonto_webhook_secret if company and company.qonto_enabled else None
        body = request.httprequest.get_data()
        if not secret:
            return request.make_response("", status=404)
        try:
            verify(request.httprequest.headers.get(SIGNATURE_HEADER), body, secret)
            event = WebhookEvent.model_validate_json(body)
        except (InvalidSignatureError, ValueError) as error:
            _logger.warning("Qonto webhook for company %s refused: %s", company_id, error)
            return request.make_response("", status=401)
        if event.type.startswith("v1/client-invoices") and event.object_id:
            moves = env["account.move"].search([
                ("company_id", "=", company.id), ("qonto_invoice_id", "=", event.object_id)])
            if moves:
                moves.qonto_refresh_requested = True
                env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh")._trigger()
        return request.make_response("", status=200)
