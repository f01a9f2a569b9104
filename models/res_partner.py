from markupsafe import Markup
from odoo import fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import NotFoundError, QontoError
from ..tools.errors import qonto_error_message
from ..tools.mapping import client_payload_or_problems, partner_identifiers

REACHABILITY = [
    ("not_checked", "Not checked"),
    ("reachable", "Reachable"),
    ("not_reachable", "Not reachable"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    invoice_sending_method = fields.Selection(
        selection_add=[("qonto", "by Qonto e-invoice")],
        ondelete={"qonto": "set null"},
    )
    qonto_client_id = fields.Char(
        string="Qonto client", company_dependent=True, copy=False,
        help="The id of this customer in the company's Qonto organization.",
    )
    qonto_reachability = fields.Selection(
        selection=REACHABILITY, string="E-invoicing reachability", company_dependent=True,
        copy=False,
        help="Whether Qonto can deliver e-invoices to this customer on the network.",
    )
    qonto_reachability_date = fields.Datetime(
        string="Reachability checked on", company_dependent=True, copy=False,
    )

    def action_qonto_check_reachability(self):
        """Find or create each customer's Qonto client and read whether it is reachable."""
        company = self.env.company
        checked = self.env["res.partner"]
        failures = []
        with company._qonto_client() as qonto:
            for partner in self:
                try:
                    partner._qonto_ensure_client(company, qonto)
                    checked |= partner
                except QontoError as error:
                    failures.append(qonto_error_message(self.env, error, partner, company))
                except UserError as error:
                    failures.append(error.args[0])
        if failures and not checked:
            raise UserError("\n".join(failures))
        reachable = checked.filtered(
            lambda p: p.with_company(company).qonto_reachability == "reachable")
        message = self.env._(
            "%(checked)s contact(s) checked: %(reachable)s reachable, %(other)s not reachable.",
            checked=len(checked), reachable=len(reachable), other=len(checked - reachable))
        if failures:
            message += "\n" + "\n".join(failures)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("E-invoicing reachability"),
                "message": message,
                "type": "warning" if failures else "success",
                "sticky": bool(failures),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _qonto_ensure_client(self, company, qonto):
        """The Qonto client of this customer in ``company``'s organization.

        Searched by SIRET, SIREN, VAT number, then e-mail, and created only when none
        matches: Qonto itself has no uniqueness rule. Its id and reachability are kept
        per company, and a change of reachability is logged in the chatter. Qonto's
        errors are raised as they come: the caller says them on its own record.
        """
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company)
        payload, problems = client_payload_or_problems(self.env, partner)
        if problems:
            raise UserError(self.env._(
                "The contact %(contact)s cannot be addressed on the e-invoicing network:\n"
                "%(problems)s", contact=partner.display_name, problems="\n".join(problems)))
        siret, siren, vat = partner_identifiers(partner)
        client = None
        if partner.qonto_client_id:
            try:
                client = qonto.get_client(partner.qonto_client_id)
            except NotFoundError:
                client = None  # deleted in Qonto since: search again
        client = client or qonto.find_client(
            siret=siret, siren=siren, vat_number=vat, email=partner.email)
        if client is None:
            client = qonto.create_client(payload)
        else:
            client = self._qonto_complete_client(qonto, client, payload)
        state = "reachable" if client.e_invoicing_reachable else "not_reachable"
        previous = partner.qonto_reachability or "not_checked"
        partner.sudo().write({
            "qonto_client_id": client.id,
            "qonto_reachability": state,
            "qonto_reachability_date": fields.Datetime.now(),
        })
        if previous != state:
            labels = dict(self._fields["qonto_reachability"]._description_selection(self.env))
            partner._message_log(body=Markup("%s <b>%s</b> → <b>%s</b> (%s)") % (
                self.env._("E-invoicing reachability through Qonto:"),
                labels[previous], labels[state], company.display_name))
        return client

    @staticmethod
    def _qonto_complete_client(qonto, client, payload):
        """Give a Qonto client found by e-mail or VAT the identifiers Odoo knows.

        Without its SIREN (``e_invoicing_address``) the network cannot route to it, and
        Qonto says it is not reachable. Only what the client lacks is written.
        """
        missing = {
            field: getattr(payload, field)
            for field in ("e_invoicing_address", "tax_identification_number", "vat_number")
            if getattr(payload, field) and not getattr(client, field)
        }
        return qonto.update_client(client.id, missing) if missing else client
