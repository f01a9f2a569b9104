import datetime as dt
import logging

from odoo import http
from odoo.http import request

from ..qonto_einvoicing import InvalidSignatureError
from ..qonto_einvoicing.models import WebhookEvent
from ..qonto_einvoicing.webhooks import SIGNATURE_HEADER, check_header, verify

_logger = logging.getLogger(__name__)

CLIENT_INVOICES_TOPIC = "v1/client-invoices"
# A delivery is a small JSON event (under 1 KiB): nothing larger is read.
MAX_BODY = 256 * 1024
# Checked against for a company that takes no delivery, so that it costs and answers
# the same as a bad signature: the route says nothing of which companies use Qonto.
NO_SECRET = "-"
# Deliveries within this delay of a pending wake-up share it: a burst of a thousand wakes
# the refresh once, and the refresh reads each named invoice once.
WAKE_DELAY = dt.timedelta(seconds=5)
# When Qonto last delivered a valid update, shown in Settings. Written at most once a
# minute, and by one delivery only: the others of a burst skip it (a transaction-level
# advisory lock, tried, never waited for) instead of queuing on the company's row and
# failing to serialize, which would cost a retry when Qonto waits one second at most.
SEEN_SQL = ("UPDATE res_company SET qonto_webhook_last_delivery = now() AT TIME ZONE 'UTC' "
            "WHERE id = %s AND CASE WHEN qonto_webhook_last_delivery IS NULL OR "
            "qonto_webhook_last_delivery < now() AT TIME ZONE 'UTC' - interval '1 minute' "
            "THEN pg_try_advisory_xact_lock(hashtext('qonto_webhook_seen'), id) "
            "ELSE FALSE END")


def _refusal(status):
    # The body may be left unread: the connection ends with the answer, so that nothing
    # of it is taken for a next request.
    return request.make_response("", status=status, headers=[("Connection", "close")])


class QontoWebhookController(http.Controller):
    """Qonto's client invoice events: verify, record, answer; the work is the cron's.

    Nothing in the body is trusted beyond the signature: the invoice itself is read
    from Qonto by the scheduled refresh, which this route only marks and wakes. Qonto
    waits one second for the answer, and a burst may bring hundreds at once, so the
    request does at most three small SQL statements and no ORM write (none on
    ``account.move``): read the secret (once per process: it is cached), mark the
    e-invoice (and, once a minute, note the delivery time on the company, in the same
    statement), and — only when no wake-up is pending already — add one. A replay or a
    duplicate finds the mark set and costs nothing more.

    Anyone may call it: a delivery without a well-formed, current signature header is
    refused before its body is read; so is a body over ``MAX_BODY`` (413) or without a
    ``Content-Length`` (411); a company that takes no delivery (unknown, Qonto disabled,
    no webhook) answers 401 as a bad signature does.
    """

    @http.route(
        "/account_qonto_einvoicing/webhook/<int:company_id>",
        type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
        # No max_content_length here: werkzeug would read a longer body to its end
        # before refusing it.
    )
    def qonto_webhook(self, company_id):
        cr = request.env.cr
        httprequest = request.httprequest
        header = httprequest.headers.get(SIGNATURE_HEADER)
        try:
            check_header(header)
        except InvalidSignatureError as error:
            return self._refused(company_id, error)
        length = httprequest.content_length
        if length is None:
            # A chunked body has no length to check first (and Odoo's werkzeug would read
            # all of it): a delivery says its length.
            return _refusal(411)
        if length > MAX_BODY:
            return _refusal(413)
        body = httprequest.get_data(cache=False)  # its stream stops at Content-Length
        secret = request.env["res.company"].sudo()._qonto_webhook_secret_for(company_id)
        try:
            verify(header, body, secret or NO_SECRET)
            if not secret:
                raise InvalidSignatureError("the company takes no Qonto delivery")
            event = WebhookEvent.model_validate_json(body)
        except (InvalidSignatureError, ValueError) as error:
            return self._refused(company_id, error)
        if event.type.startswith(CLIENT_INVOICES_TOPIC) and event.object_id:
            # One statement records the delivery (for Settings) and marks the invoice.
            # An invoice a user's action holds (Send, Correct and resend...) is skipped,
            # not waited for: that action stores what Qonto says, and the scheduled
            # refresh's list (by Qonto's updated_at) catches anything later.
            cr.execute(f"WITH seen AS ({SEEN_SQL}) "
                       "UPDATE qonto_einvoice SET refresh_requested = TRUE WHERE id IN ("
                       "SELECT id FROM qonto_einvoice WHERE company_id = %s AND qonto_id = %s "
                       "AND refresh_requested IS NOT TRUE FOR NO KEY UPDATE SKIP LOCKED) "
                       "RETURNING id",
                       [company_id, company_id, event.object_id])
            if cr.fetchone():
                self._wake_refresh()
        else:
            cr.execute(SEEN_SQL, [company_id])
        return request.make_response("", status=200)

    @staticmethod
    def _refused(company_id, error):
        _logger.warning("Qonto webhook for company %s refused: %s", company_id, error)
        return _refusal(401)

    @staticmethod
    def _wake_refresh():
        env = request.env(su=True)
        cron_id = env["ir.model.data"]._xmlid_to_res_id(
            "account_qonto_einvoicing.ir_cron_qonto_refresh")
        at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + WAKE_DELAY
        env.cr.execute("SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= %s "
                       "LIMIT 1", [cron_id, at])
        if not env.cr.fetchone():
            env["ir.cron"].browse(cron_id)._trigger(at=at)
