"""19.0.2: Qonto's state of an invoice moves from account_move to qonto_einvoice.

Before the update recomputes the new related fields (which would empty them), keep what
1.0 stored on the invoices and which invoice each lifecycle event belonged to.
"""

from odoo.tools import sql


def migrate(cr, version):
    if not sql.column_exists(cr, "account_move", "qonto_invoice_id"):
        return
    cr.execute("""
        CREATE TABLE qonto_einvoice_v1 AS
        SELECT id AS move_id, company_id, qonto_invoice_id, qonto_status,
               qonto_einvoicing_status, qonto_sent_at, qonto_sent_by_id, qonto_error,
               qonto_paid_by_odoo, qonto_refresh_requested
          FROM account_move
         WHERE qonto_invoice_id IS NOT NULL OR qonto_error IS NOT NULL
    """)
    cr.execute("CREATE TABLE qonto_lifecycle_event_v1 AS "
               "SELECT id, move_id FROM qonto_lifecycle_event")
