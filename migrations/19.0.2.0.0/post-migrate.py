"""19.0.2: one qonto_einvoice row per invoice 1.0 sent, its lifecycle hanging from it."""

from odoo import SUPERUSER_ID, api
from odoo.tools import sql


def migrate(cr, version):
    if not sql.table_exists(cr, "qonto_einvoice_v1"):
        return
    cr.execute("""
        INSERT INTO qonto_einvoice (move_id, company_id, qonto_id, status, einvoicing_status,
                                    sent_at, sent_by_id, error, paid_by_odoo,
                                    refresh_requested, channel, create_uid, write_uid,
                                    create_date, write_date)
        SELECT move_id, company_id, qonto_invoice_id, qonto_status, qonto_einvoicing_status,
               qonto_sent_at, qonto_sent_by_id, qonto_error, qonto_paid_by_odoo,
               qonto_refresh_requested,
               CASE WHEN qonto_sent_at IS NOT NULL THEN 'einvoice' END,
               %s, %s, now() at time zone 'utc', now() at time zone 'utc'
          FROM qonto_einvoice_v1
    """, [SUPERUSER_ID, SUPERUSER_ID])
    cr.execute("""
        UPDATE qonto_lifecycle_event event
           SET einvoice_id = einvoice.id, move_id = old.move_id
          FROM qonto_lifecycle_event_v1 old
          JOIN qonto_einvoice einvoice ON einvoice.move_id = old.move_id
         WHERE event.id = old.id
    """)
    cr.execute("DELETE FROM qonto_lifecycle_event WHERE einvoice_id IS NULL")
    cr.execute("ALTER TABLE qonto_lifecycle_event ALTER COLUMN einvoice_id SET NOT NULL")
    env = api.Environment(cr, SUPERUSER_ID, {})
    einvoices = env["qonto.einvoice"].search([])
    moves = einvoices.move_id
    # What 1.0 stored on the invoice is now computed from these rows.
    env.add_to_compute(einvoices._fields["in_flight"], einvoices)
    env.add_to_compute(einvoices._fields["payment_to_sync"], einvoices)
    env.add_to_compute(einvoices._fields["partner_id"], einvoices)
    env.add_to_compute(moves._fields["qonto_einvoice_id"], moves)
    env.add_to_compute(moves._fields["qonto_einvoicing_status"], moves)
    env.flush_all()
    cr.execute("DROP TABLE qonto_einvoice_v1, qonto_lifecycle_event_v1")
