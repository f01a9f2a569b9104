from odoo import models


class AccountMoveSendWizard(models.TransientModel):
    _inherit = "account.move.send.wizard"

    def _compute_sending_method_checkboxes(self):
        # A company sending through Qonto has one platform: Odoo's is not offered.
        res = super()._compute_sending_method_checkboxes()
        for wizard in self.filtered("company_id.qonto_enabled"):
            checkboxes = dict(wizard.sending_method_checkboxes or {})
            if checkboxes.pop("peppol", None) is not None:
                wizard.sending_method_checkboxes = checkboxes
        return res
