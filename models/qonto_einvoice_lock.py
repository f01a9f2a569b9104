from odoo import models
from odoo.tools import SQL


class QontoEinvoice(models.Model):
    """A user's action locks the e-invoices it acts on before it calls Qonto.

    Odoo replays a request whose transaction failed to serialize, Qonto calls included:
    a credit note sent twice, a second refusal. So the rows the action will write are
    locked first. A refresh that committed a change to them since the request began
    makes this lock fail at once, before anything left Odoo, and the replay starts
    clean; a refresh or a webhook that comes later skips the locked rows (``SKIP
    LOCKED``) instead of changing them under the action.
    """

    _inherit = "qonto.einvoice"

    def _lock_for_action(self):
        """Lock these rows for this transaction, waiting for a refresh that holds them."""
        if self.ids:
            # NO KEY UPDATE: the action's own lifecycle events may still reference them.
            self.env.cr.execute(SQL("SELECT id FROM qonto_einvoice WHERE id IN %s "
                                    "FOR NO KEY UPDATE", tuple(self.ids)))
        return self
