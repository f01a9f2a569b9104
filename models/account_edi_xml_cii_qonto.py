from odoo import models

from ..qonto_einvoicing.facturx_fr import add_french_mentions
from ..tools.facturx import french_mentions


class AccountEdiXmlCii(models.AbstractModel):
    """Odoo's Factur-X, with the French reform's mentions, for a company sending through
    Qonto: the PDF Odoo prints and the document Qonto receives are the same."""

    _inherit = "account.edi.xml.cii"

    def _export_invoice(self, invoice):
        xml, errors = super()._export_invoice(invoice)
        company = invoice.company_id
        if company.qonto_enabled and company.country_code == "FR":
            xml = add_french_mentions(xml, french_mentions(invoice))
        return xml, errors
