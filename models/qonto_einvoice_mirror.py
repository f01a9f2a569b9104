import datetime as dt

from markupsafe import Markup, escape
from odoo import fields, models

from ..qonto_einvoicing.lifecycle import Attention, stage
from .qonto_einvoice import EINVOICING_FAILED, EINVOICING_STATUS, QONTO_STATUS


def _naive_utc(value):
    """A Qonto date-time as Odoo stores it: naive UTC, to the second."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0)


class QontoEinvoice(models.Model):
    """The mirror: what Qonto says of an invoice, written once and only when it changed."""

    _inherit = "qonto.einvoice"

    def _in_company_lang(self):
        # Lines written by the cron or the webhook speak the company's language, not the
        # language of whoever (OdooBot, the public user) runs the code; what a user does
        # by hand (``qonto_user_action``) is said in that user's language.
        if self.env.context.get("qonto_user_action"):
            return self
        lang = self.company_id.partner_id.lang or self.env.lang
        return self.with_context(lang=lang)

    def _store(self, invoice, read=False):
        """Mirror a Qonto client invoice: statuses, then each new lifecycle event once.

        ``read`` says the invoice was read in full (``GET /v2/client_invoices/{id}``),
        lifecycle included: only then is ``read_at`` moved, which the sweep orders by.
        Values are compared first, so an unchanged invoice costs no write.
        """
        self.ensure_one()
        return self._in_company_lang()._store_in_lang(invoice, read)

    def _store_in_lang(self, invoice, read):
        old_einvoicing = self.einvoicing_status
        values = {"qonto_id": invoice.id, "refresh_requested": False}
        status = invoice.status
        if status and status not in dict(QONTO_STATUS):
            self._report_unknown("status", status)
        elif status:
            values["status"] = status
        einvoicing = invoice.einvoicing_status
        if self.channel == "email":
            # Sent by e-mail through Qonto: no e-invoice travels, so Qonto's "pending"
            # would say one is waiting. The invoice shows "Sent as: e-mail" instead.
            einvoicing = values["einvoicing_status"] = False
        elif einvoicing and einvoicing not in dict(EINVOICING_STATUS):
            self._report_unknown("e-invoicing status", einvoicing)
            einvoicing = old_einvoicing
        elif einvoicing:
            values["einvoicing_status"] = einvoicing
        if invoice.invoice_url:
            values["invoice_url"] = invoice.invoice_url
        if invoice.updated_at:
            values["qonto_updated_at"] = _naive_utc(invoice.updated_at)
        if read:
            values["read_at"] = fields.Datetime.now()
        changed = {
            name: value for name, value in values.items()
            if self._fields[name].convert_to_cache(value, self) != self[name]
        }
        if changed:
            self.sudo().write(changed)
        alerted = self._store_events(invoice.einvoicing_lifecycle_events or [])
        # A rejection (213) also turns the status to failed: one activity says it.
        if einvoicing != old_einvoicing and einvoicing in EINVOICING_FAILED and not alerted:
            label = dict(self._fields["einvoicing_status"]._description_selection(self.env))
            self._schedule_activity(label[einvoicing], self.env._(
                "Qonto reports the e-invoice %(move)s as: %(status)s.",
                move=self.move_id.display_name, status=label[einvoicing]))
        return bool(changed)

    def _store_events(self, events):
        """Record and log each new event; return whether one asked for an activity."""
        alerted = False
        known = {(e.status_code, e.timestamp) for e in self.lifecycle_event_ids}
        known_codes = {code for code, _timestamp in known}
        lang = self.env.lang
        move = self.move_id
        for event in sorted(events, key=lambda e: (e.timestamp is None, e.timestamp)):
            if event.timestamp is None and event.status_code in known_codes:
                continue  # undated: the time it was first seen stands for it
            timestamp = _naive_utc(event.timestamp) or fields.Datetime.now()
            if (event.status_code, timestamp) in known:
                continue
            known_codes.add(event.status_code)
            known.add((event.status_code, timestamp))
            record = self.env["qonto.lifecycle.event"].sudo().create({
                "einvoice_id": self.id,
                "status_code": event.status_code,
                "reason": event.reason,
                "reason_message": event.reason_message,
                "timestamp": timestamp,
            })
            event_stage = stage(event.status_code)
            why = " — ".join(filter(None, [record._reason_text(lang), event.reason_message]))
            next_step = self._next_step(event.status_code)
            body = Markup("%s <b>%s %s</b>") % (
                self.env._("E-invoice lifecycle:"), event.status_code, event_stage.label(lang))
            if why:
                body += Markup("<br/>%s") % why
            if next_step:
                body += Markup("<br/><i>%s</i>") % next_step
            move._message_log(body=body)
            if event_stage.attention is Attention.NEEDS_ATTENTION:
                alerted = True
                self._schedule_activity(
                    f"{event.status_code} {event_stage.label(lang)}",
                    "\n".join(filter(None, [why or event_stage.label(lang), next_step])))
        return alerted

    def _next_step(self, code):
        """What the accountant does after lifecycle step ``code``, in the context's
        language; ``False`` when nothing is asked. A received e-invoice (a vendor bill)
        gets none: there the company is the buyer, and its own answer is the step."""
        if "direction" in self._fields and self.direction == "received":
            return False
        if self.move_id.move_type == "out_refund":
            # A credit note already settles an invoice: crediting it again is no way out.
            if code == 210:
                return self.env._("The buyer refused this credit note: contact them to "
                                  "agree on what it credits, then send a corrected credit "
                                  "note.")
            if code == 213:
                return self.env._("The platform rejected this credit note: it never "
                                  "reached the buyer. Correct what the reason says and "
                                  "send a corrected credit note.")
        if code == 210:
            return self.env._("The buyer refused this invoice: it will not be paid as it "
                              "is. Issue a credit note, then send a corrected invoice.")
        if code == 213:
            return self.env._("The platform rejected this invoice: it never reached the "
                              "buyer. Issue a credit note, correct what the reason says and "
                              "send a corrected invoice.")
        if code in (206, 207):
            return self.env._("The buyer disputes this invoice: contact them; a credit note "
                              "settles the part they contest.")
        if code == 208:
            return self.env._("The buyer suspended this invoice, usually for a missing "
                              "document: contact them.")
        return False

    def _schedule_activity(self, summary, note):
        # The salesperson acts on the buyer's answer; an invoice without one (or made by
        # a script, under OdooBot) goes to whoever sent it.
        move = self.move_id
        user = next((u for u in (move.invoice_user_id, self.sent_by_id, move.create_uid)
                     if u and not u._is_superuser() and not u.share), self.env.user)
        # The note is Html and holds the buyer's words: escaped, never taken as markup
        # (nor turned into links).
        note = escape(note).replace("\n", Markup("<br/>"))
        move.sudo().activity_schedule(
            "account_qonto_einvoicing.mail_activity_type_qonto_einvoice",
            summary=summary, note=note, user_id=user.id,
        )

    def _record_failure(self, message, transient=False):
        """Keep the failure where the accountant sees it: banner, chatter, activity."""
        self.ensure_one()
        self.sudo().error = message
        self.move_id.message_post(body=message)
        if not transient:
            self._schedule_activity(self.env._("E-invoice not sent"), message)
