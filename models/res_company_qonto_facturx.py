from odoo import fields, models

# Default wording of the three mentions the French rules want in every B2B invoice
# (BR-FR-05: notes PMT, PMD, AAB), as most French invoices word them.
DEFAULT_RECOVERY_FEE = ("En cas de retard de paiement, indemnité forfaitaire pour frais de "
                        "recouvrement : 40 € (art. L441-10 du Code de commerce).")
DEFAULT_LATE_PENALTIES = ("Pénalités de retard : trois fois le taux d'intérêt légal, "
                          "exigibles dès le lendemain de l'échéance.")
DEFAULT_DISCOUNT = "Pas d'escompte pour paiement anticipé."


class ResCompany(models.Model):
    """Flow 2: which document goes to Qonto, and the French mentions it carries."""

    _inherit = "res.company"

    qonto_flow = fields.Selection(
        [("qonto", "Qonto builds the invoice"), ("facturx", "Odoo's Factur-X")],
        string="E-invoice document", default="qonto", required=True,
        help="Qonto builds the invoice: Odoo sends its data and Qonto makes the Factur-X. "
        "Odoo's Factur-X: the PDF Odoo prints, with its embedded XML, is checked and "
        "imported into Qonto as it is. Credit notes, and invoices Qonto's data cannot "
        "express (several taxes on a line...), always go as Odoo's Factur-X.")
    qonto_vat_on_debits = fields.Boolean(
        string="VAT on debits",
        help="The company opted to pay VAT on debits (option pour le paiement de la TVA "
        "d'après les débits): each VAT breakdown of the Factur-X says VAT is due at the "
        "invoice date (BT-8, code 5).")
    qonto_note_recovery_fee = fields.Char(
        string="Recovery fee mention", default=DEFAULT_RECOVERY_FEE, translate=True,
        help="Factur-X note PMT: the fixed indemnity for recovery costs.")
    qonto_note_late_penalties = fields.Char(
        string="Late payment mention", default=DEFAULT_LATE_PENALTIES, translate=True,
        help="Factur-X note PMD: the late-payment penalties.")
    qonto_note_discount = fields.Char(
        string="Early payment mention", default=DEFAULT_DISCOUNT, translate=True,
        help="Factur-X note AAB: the early-payment discount, or that there is none.")
