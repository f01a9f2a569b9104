from odoo import models

from .account_move_qonto_correction import CORRECTABLE_CODES


class QontoEinvoice(models.Model):
    """The activity of a refused or rejected invoice offers Correct and resend; its
    banner then says what is left of the correction."""

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

    def _next_step(self, code):
        move = self.move_id
        if code in CORRECTABLE_CODES and move.move_type == "out_invoice":
            credit_note = move._qonto_correction_credit_note()
            if credit_note.qonto_sent_at and move.qonto_correction_move_ids:
                return self.env._(
                    "Credited in full by %(note)s, sent through Qonto; replaced by "
                    "%(copy)s.", note=credit_note.name,
                    copy=", ".join(move.qonto_correction_move_ids.mapped("display_name")))
            if credit_note.qonto_sent_at:
                return self.env._(
                    "Credited in full by %(note)s, sent through Qonto. Open the corrected "
                    "copy to correct and send it.", note=credit_note.name)
        return super()._next_step(code)
