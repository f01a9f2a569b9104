from odoo import models

from .account_move_qonto_correction import CORRECTABLE_CODES


class QontoEinvoice(models.Model):
    """The activity of a refused or rejected invoice offers Correct and resend."""

    _inherit = "qonto.einvoice"

    def _schedule_activity(self, summary, note):
        """The activity of a refused or rejected invoice says the way out (after the
        note's own sentence, whose full stop it drops: never "corrigée..")."""
        if self.move_id.move_type == "out_invoice" and \
                str(summary).split(" ")[0] in {str(code) for code in CORRECTABLE_CODES}:
            note = self.env._(
                "%(note)s. To correct it: Correct and resend, on the invoice (a full credit "
                "note goes through Qonto and a copy opens; sending the copy closes this "
                "activity).", note=str(note).rstrip(". "))
        return super()._schedule_activity(summary, note)
