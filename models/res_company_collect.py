from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    qonto_register_qonto_payments = fields.Boolean(
        string="Register the payments Qonto reports",
        help="When Qonto reports an invoice paid and no bank line shows the money, register "
        "the payment in Odoo on Qonto's word, dated Qonto's payment date. Off by default: "
        "a person may have marked it paid in Qonto for a cheque not yet cashed.")


# Odoo's own settings, extended here: not a wizard of this addon.
class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _inherit = "res.config.settings"

    qonto_register_qonto_payments = fields.Boolean(
        related="company_id.qonto_register_qonto_payments", readonly=False)
