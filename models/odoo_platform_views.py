from odoo import api, models

# Where Odoo's own platform (account_peppol / l10n_fr_pdp) shows its e-invoicing state,
# as (tag, attribute, value): hidden for a company on Qonto, whose screens then show one
# truth, Qonto's. Nothing here is required: a database without those addons has none.
ODOO_PLATFORM_NODES = {
    "account.move": [
        ("field", "name", "peppol_move_state"),
        ("field", "name", "l10n_fr_pdp_status"),
        ("field", "name", "pdp_ppf_move_state"),
        ("label", "for", "peppol_move_state"),
        ("filter", "name", "peppol_move_state"),
        ("filter", "name", "peppol_ready"),
    ],
    "res.partner": [
        ("field", "name", "peppol_verification_state"),
        ("field", "name", "pdp_verification_display_state"),
        ("label", "for", "peppol_verification_state"),
        ("label", "for", "pdp_verification_display_state"),
    ],
    "res.config.settings": [
        ("block", "id", "pdp"),
    ],
}


def hide_odoo_platform(model, arch, view_type):
    """Hide in ``arch`` the nodes of :data:`ODOO_PLATFORM_NODES` when the current company
    sends through Qonto; the view cache key must carry that choice."""
    if not model.env.company.qonto_enabled:
        return arch
    for tag, attribute, value in ODOO_PLATFORM_NODES.get(model._name, ()):
        for node in arch.iter(tag):
            if node.get(attribute) != value:
                continue
            if view_type == "list" and tag == "field":
                node.set("column_invisible", "1")
            else:
                node.set("invisible", "1")
    return arch


class QontoOnePlatformViews(models.AbstractModel):
    """Hide Odoo's own platform state in the views of a company that sends through Qonto.

    Beside ``l10n_fr_pdp`` the same words ("E-Invoicing Status", "E-Invoicing State",
    "Activate Electronic Invoicing") meant Odoo's platform next to ours; a company has
    one platform, so its screens show Qonto's only. The views are built per company
    choice (see the cache key).
    """

    _name = "qonto.one.platform.views"
    _description = "Views of a company on Qonto show one e-invoicing platform"

    @api.model
    def _get_view_cache_key(self, view_id=None, view_type="form", **options):
        key = super()._get_view_cache_key(view_id, view_type, **options)
        return (*key, bool(self.env.company.qonto_enabled))

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        return hide_odoo_platform(self, arch, view_type), view


class AccountMove(models.Model):
    _inherit = ["account.move", "qonto.one.platform.views"]


class ResPartner(models.Model):
    _inherit = ["res.partner", "qonto.one.platform.views"]
