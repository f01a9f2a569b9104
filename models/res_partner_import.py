from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _retrieve_partner(self, *args, **kwargs):
        # The supplier of a received Qonto e-invoice was already matched by SIREN/SIRET,
        # then VAT number: Odoo's importer takes it rather than its own guess.
        partner_id = self.env.context.get("qonto_supplier_partner_id")
        if partner_id:
            return self.browse(partner_id)
        return super()._retrieve_partner(*args, **kwargs)

    def _import_retrieve_customer_from_name(self, customer_values):
        # Odoo's importers match the file's party name with ``ilike``, where ``%`` and
        # ``_`` are wildcards. On a received Qonto e-invoice that name is the sender's
        # choice and proves nothing: its other keys (VAT number, Peppol address, e-mail,
        # phone) still apply, and a name-only match is a suggestion a person confirms
        # (``account.move._qonto_name_only``).
        if self.env.context.get("qonto_receiving"):
            return None
        return super()._import_retrieve_customer_from_name(customer_values)
