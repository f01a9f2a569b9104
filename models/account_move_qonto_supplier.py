import re

from odoo import api, models
from odoo.tools.sql import escape_psql

from ..qonto_einvoicing import is_siren, is_siret, siren_of
from ..qonto_einvoicing.receiving import normalized_name


class AccountMove(models.Model):
    """Who sent a received e-invoice: its supplier is found by identifiers, never by name.

    A name is the one thing anybody can write on an invoice; contacts that bear it are
    only suggested to a person (:meth:`_qonto_name_only`).
    """

    _inherit = "account.move"

    @api.model
    def _qonto_match_supplier(self, company, invoice):
        """The supplier by SIREN/SIRET, then VAT number; empty if none.

        Identifiers only: a name proves nothing (see :meth:`_qonto_namesakes`).
        """
        partners = self.env["res.partner"].with_company(company)
        scope = [("company_id", "in", [False, company.id]), ("parent_id", "=", False)]
        tin = (invoice.tin or "").replace(" ", "")
        if is_siret(tin):
            partner = partners.search([*scope, ("company_registry", "=", tin)], limit=1)
            if partner:
                return partner
        if is_siret(tin) or is_siren(tin):
            partner = partners.search(
                [*scope, ("company_registry", "=like", f"{siren_of(tin)}%")], limit=1)
            if partner:
                return partner
        if invoice.vat_number:
            partner = partners.search([*scope, ("vat", "=", invoice.vat_number)], limit=1)
            if partner:
                return partner
        return partners.browse()

    @api.model
    def _qonto_namesakes(self, company, invoice):
        """The contacts whose name is the supplier's, exactly once normalised.

        The database narrows the candidates to names containing the longest word of the
        supplier's name, taken literally (its ``%`` and ``_`` escaped); the comparison
        itself is on the whole normalised names (``normalized_name``).
        """
        wanted = normalized_name(invoice.supplier_name)
        words = [w for w in re.split(r"[\W_]+", (invoice.supplier_name or "").replace(".", ""))
                 if w]
        if not wanted or not words:
            return self.env["res.partner"]
        # Narrow on a word without accents where there is one: the two spellings may
        # differ in accents, which the comparison below allows and ``ilike`` does not.
        word = max(words, key=lambda w: (w.isascii(), len(w)))
        candidates = self.env["res.partner"].with_company(company).search([
            ("company_id", "in", [False, company.id]), ("parent_id", "=", False),
            ("name", "ilike", escape_psql(word))], limit=200)
        return candidates.filtered(lambda p: normalized_name(p.name) == wanted)

    @api.model
    def _qonto_create_supplier(self, company, invoice):
        tin = (invoice.tin or "").replace(" ", "")
        return self.env["res.partner"].create({
            "name": invoice.supplier_name or self.env._("Unknown supplier"),
            "is_company": True,
            "vat": invoice.vat_number or False,
            "company_registry": tin if is_siret(tin) or is_siren(tin) else False,
        })

    def _qonto_name_only(self, bill, einvoice, invoice, namesakes):
        """Contacts bear the supplier's name, but no SIREN/SIRET or VAT number ties the
        invoice to them: say so, and leave the choice to a person.

        A name is the one thing anybody can write on an invoice: set as the vendor, a
        namesake would lend a trusted supplier's name (and Odoo's importer would add the
        file's bank account to that supplier) to whoever sent it. Odoo asks for a vendor
        before the bill is posted, so the suggestion is confirmed by someone.
        """
        note = self.env._(
            "The supplier %(supplier)s was not identified by its SIREN/SIRET or VAT "
            "number; the contact(s) %(contacts)s have the same name only. Check the "
            "attached invoice and choose the vendor.",
            supplier=invoice.supplier_name,
            contacts=", ".join(namesakes[:3].mapped("display_name")))
        self._qonto_add_import_note(einvoice, note)
        bill.message_post(body=note)
