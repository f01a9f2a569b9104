from odoo import fields, models


class QontoEinvoice(models.Model):
    """Flow 2 on the e-invoice: the Factur-X file imported into Qonto, kept as sent."""

    _inherit = "qonto.einvoice"

    flow = fields.Selection(
        [("qonto", "Built by Qonto"), ("facturx", "Odoo's Factur-X")],
        string="Document", copy=False,
        help="Built by Qonto: Odoo sent the invoice's data and Qonto made the e-invoice. "
        "Odoo's Factur-X: the PDF below was checked and imported into Qonto as it is.")
    document_id = fields.Many2one(
        "ir.attachment", string="Factur-X sent", copy=False, ondelete="set null",
        help="The exact file imported into Qonto. Kept while Qonto may hold it, so that a "
        "retry imports the same bytes (Qonto then answers the same invoice).")
    # The file hangs off this record, which no user may write, and its digest is kept
    # here: a retry sends only the bytes that were checked.
    document_sha256 = fields.Char(string="Factur-X digest", copy=False, readonly=True)
    document_in_qonto = fields.Boolean(
        string="Factur-X may be in Qonto", copy=False,
        help="An import of the file was attempted: a retry must reuse the same file.")
