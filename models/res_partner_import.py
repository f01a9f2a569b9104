from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _retrieve_partner(self, *args, **kwargs):
        # The supplier of a received Qonto e-invoice was already matched by SIREN/SIRET,
        # then VAT number, then name: Odoo's importer takes it rather than its own guess.
        partner_id = self.env.context.get("qonto_supplier_partner_id")
        if partner_id:
            return self.browse(partner_id)
        return super()._retrieve_partner(*args, **kwargs)
