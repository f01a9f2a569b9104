import logging

from odoo import fields, models

from ..qonto_einvoicing import QontoError
from ..qonto_einvoicing.identifiers import siren_of
from ..tools.mapping import seller_identity_problems

_logger = logging.getLogger(__name__)


class ResCompany(models.Model):
    """One seller on both documents: Qonto fills the seller of its e-invoice from the
    organization (its SIREN), Odoo prints the company's SIRET, Tax ID and footer on its
    PDF; the two must name the same company, and the invoices name Qonto's IBAN."""

    _inherit = "res.company"

    qonto_organization_siren = fields.Char(
        string="SIREN of the Qonto organization", readonly=True, copy=False,
        help="As Qonto returned it with the last connection test: the seller named on "
        "every e-invoice Qonto sends for this company.")

    def _qonto_test_connection(self):
        organization, settings = super()._qonto_test_connection()
        self._qonto_store_identity(organization)
        # A person tests the connection: the accounts become the company's, trusted.
        self.qonto_bank_account_ids._qonto_link_partner_bank()
        return organization, settings

    def _qonto_store_identity(self, organization):
        """Keep the organization's SIREN (also while an invoicing user sends, see
        _qonto_ensure_identity: it is Qonto's answer, not the user's input)."""
        self.ensure_one()
        self.sudo().qonto_organization_siren = siren_of(organization.legal_number) or False

    def _qonto_ensure_identity(self, qonto):
        """Before sending: read the organization once if its SIREN is still unknown (a
        database connected before this check existed), so that the check can be made.
        A failure leaves it unknown; the send itself reports Qonto's error."""
        self.ensure_one()
        if self.qonto_organization_siren:
            return
        try:
            organization = qonto.get_organization()
        except QontoError as error:
            _logger.info("Qonto: the organization of company %s could not be read (%s)",
                         self.id, error.__class__.__name__)
            return
        self._qonto_store_identity(organization)

    def _qonto_identity_problems(self):
        """What makes Odoo's invoices name another seller than Qonto's e-invoices, one
        line per company field; empty when they agree or the organization is unknown."""
        self.ensure_one()
        return seller_identity_problems(self.env, self)
