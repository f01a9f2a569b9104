import datetime as dt

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import NotFoundError, QontoError, ValidationError
from ..tools.access import BILLING, check_qonto_access
from ..tools.errors import qonto_error_message
from ..tools.mapping import client_payload_or_problems, partner_identifiers

# A reachable customer's Qonto client is trusted this long when sending, instead of being
# read again for every invoice: the Annuaire changes seldom, and a customer who left the
# network since is caught by Qonto's 412 on send, which turns it "not reachable".
CLIENT_TRUST = dt.timedelta(hours=24)
ANNUAIRE_ADDRESS = "e_invoicing_address"

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
    qonto_network_addressable = fields.Boolean(
        string="On the French e-invoicing network", compute="_compute_qonto_network_addressable",
        help="A customer abroad without a SIREN is reached by e-mail only.")

    @api.depends("commercial_partner_id.company_registry", "commercial_partner_id.vat",
                 "commercial_partner_id.country_id")
    def _compute_qonto_network_addressable(self):
        for partner in self:
            partner.qonto_network_addressable = partner._qonto_network_addressable()

    def action_qonto_check_reachability(self):
        """Find or create each customer's Qonto client and read whether it is reachable."""
        check_qonto_access(self, BILLING, "read")
        company = self.env.company
        checked = self.env["res.partner"]
        failures, notes = [], []
        with company._qonto_client() as qonto:
            for partner in self:
                try:
                    if not partner._qonto_network_addressable():
                        # Nothing to ask Qonto: a client would be created only to be
                        # told "not reachable".
                        partner._qonto_set_reachability(company, "not_reachable")
                        notes.append(partner._qonto_not_addressable_message())
                        checked |= partner
                        continue
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
        if failures or notes:
            message += "\n" + "\n".join(failures + notes)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("E-invoicing reachability"),
                "message": message,
                "type": "warning" if failures or notes else "success",
                "sticky": bool(failures or notes),
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
            client = self._qonto_create_client(qonto, payload)
        else:
            client = self._qonto_complete_client(qonto, client, payload)
        state = "reachable" if client.e_invoicing_reachable else "not_reachable"
        partner._qonto_set_reachability(company, state, client.id)
        return client

    def _qonto_network_addressable(self):
        """Whether the French network can address this customer: it routes by SIREN
        (the Annuaire's e-invoicing address), so a customer abroad without one is
        reached by e-mail only. A French customer without a SIREN is addressable once
        its data is fixed: the checks of the data say what is missing."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return bool(partner_identifiers(partner)[1]) or partner.country_code in (False, "FR")

    def _qonto_not_addressable_message(self):
        return self.env._(
            "%(contact)s has no SIREN (field: Company ID), so the French e-invoicing "
            "network cannot reach it: send its invoices by e-mail.",
            contact=self.commercial_partner_id.display_name)

    def _qonto_set_reachability(self, company, state, client_id=None):
        """Store the reachability in ``company`` and log a change in the chatter."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company)
        previous = partner.qonto_reachability or "not_checked"
        values = {"qonto_reachability": state, "qonto_reachability_date": fields.Datetime.now()}
        if client_id:
            values["qonto_client_id"] = client_id
        partner.sudo().write(values)
        if previous != state:
            labels = dict(self._fields["qonto_reachability"]._description_selection(self.env))
            partner._message_log(body=Markup("%s <b>%s</b> → <b>%s</b> (%s)") % (
                self.env._("E-invoicing reachability through Qonto:"),
                labels[previous], labels[state], company.display_name))

    def _qonto_client_for_sending(self, company, qonto, email=False):
        """``(client id, reachable)`` for sending: the known client of a customer found
        reachable less than :data:`CLIENT_TRUST` ago costs no request; a customer the
        network cannot address costs none either, unless Qonto is to send an e-mail."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company)
        if not email and not partner._qonto_network_addressable():
            return None, False
        checked = partner.qonto_reachability_date
        if (partner.qonto_client_id and partner.qonto_reachability == "reachable"
                and checked and checked > fields.Datetime.now() - CLIENT_TRUST):
            return partner.qonto_client_id, True
        client = partner._qonto_ensure_client(company, qonto)
        return client.id, bool(client.e_invoicing_reachable)

    @staticmethod
    def _qonto_create_client(qonto, payload):
        """Create the client; one the Annuaire does not know yet is created without its
        e-invoicing address (Qonto refuses an address missing from the Annuaire), so that
        it can still get its invoices by e-mail, and it stays not reachable."""
        try:
            return qonto.create_client(payload)
        except ValidationError as error:
            if error.field != ANNUAIRE_ADDRESS or not payload.e_invoicing_address:
                raise
            return qonto.create_client(payload.model_copy(update={ANNUAIRE_ADDRESS: None}))

    @staticmethod
    def _qonto_complete_client(qonto, client, payload):
        """Give a Qonto client found by e-mail or VAT the identifiers Odoo knows.

        Without its SIREN (``e_invoicing_address``) the network cannot route to it, and
        Qonto says it is not reachable. Only what the client lacks is written; an
        address the Annuaire does not know yet is left out, and tried again at the next
        check, so a customer who registers later becomes reachable.
        """
        missing = {
            field: getattr(payload, field)
            for field in ("e_invoicing_address", "tax_identification_number", "vat_number")
            if getattr(payload, field) and not getattr(client, field)
        }
        if not missing:
            return client
        try:
            return qonto.update_client(client.id, missing)
        except ValidationError as error:
            if error.field != ANNUAIRE_ADDRESS:
                raise
            missing.pop(ANNUAIRE_ADDRESS)
            return qonto.update_client(client.id, missing) if missing else client
