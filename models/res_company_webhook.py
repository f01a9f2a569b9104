from odoo import api, models, tools

# What the webhook route needs of the company: written only from Settings, read by every
# delivery of a burst.
WEBHOOK_FIELDS = {"qonto_webhook_secret", "qonto_enabled"}


class ResCompany(models.Model):
    """The webhook secret as the webhook route reads it: once per process, not once per
    delivery (a burst of hundreds checks every signature against the same secret)."""

    _inherit = "res.company"

    @api.model
    @tools.ormcache("company_id")
    def _qonto_webhook_secret_for(self, company_id):
        """The webhook secret of company ``company_id`` while Qonto is enabled for it, else
        ``None``. Cached per process; every process drops it when either field is
        written (``write`` below, through the registry's cache signaling)."""
        self.env.cr.execute("SELECT qonto_webhook_secret FROM res_company "
                            "WHERE id = %s AND qonto_enabled", [company_id])
        row = self.env.cr.fetchone()
        return (row and row[0]) or None

    def write(self, vals):
        result = super().write(vals)
        if WEBHOOK_FIELDS & vals.keys():
            self.env.registry.clear_cache()
        return result
