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
        ("filter", "name", "l10n_fr_pdp_status_pending"),
        ("filter", "name", "l10n_fr_pdp_status_ready"),
        ("filter", "name", "l10n_fr_pdp_status_error"),
        ("filter", "name", "l10n_fr_pdp_status_sent"),
        ("filter", "name", "l10n_fr_pdp_status_out_of_scope"),
        ("filter", "name", "l10n_fr_pdp_group_by_status"),
        ("filter", "name", "l10n_fr_pdp_group_by_flow"),
    ],
    "res.partner": [
        ("field", "name", "peppol_verification_state"),
        ("field", "name", "pdp_verification_display_state"),
        ("label", "for", "peppol_verification_state"),
        ("label", "for", "pdp_verification_display_state"),
        ("button", "name", "button_account_peppol_check_partner_endpoint"),
        # Odoo's electronic address ("France FRCTC Electronic Address" + SIREN): Qonto
        # addresses the customer by its SIREN itself.
        ("field", "name", "peppol_eas"),
        ("field", "name", "peppol_endpoint"),
        # account_peppol's row of the Verify button, which has no other name.
        ("div", "invisible", "not peppol_endpoint"),
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
    _name = "account.move"
    _inherit = ["account.move", "qonto.one.platform.views"]


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "qonto.one.platform.views"]

    def _message_log(self, **kwargs):
        # Odoo's platform logs its own partner check ("Partner cannot receive format")
        # beside Qonto's reachability. Its logging method cannot be overridden from
        # here (l10n_fr_pdp loads after this addon and does not call super), so its
        # message is known by the mark only it uses: a company on Qonto logs one truth.
        if self.env.company.qonto_enabled \
                and "o-mail-Message-trackingCompany" in str(kwargs.get("body") or ""):
            return self.env["mail.message"]
        return super()._message_log(**kwargs)
