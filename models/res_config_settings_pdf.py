from odoo import api, fields, models
from odoo.addons.base.models.ir_actions_report import _wkhtml

from ..tools.access import SETTINGS, check_qonto_access
from .res_config_settings_readiness import READINESS

PDF_BATCH_PARAM = "account.pdf_generation_batch"
# Odoo's Send starts a new rendering once a batch holds more invoices than this value:
# "0" renders one invoice per wkhtmltopdf call.
ONE_PER_CALL = "0"


class ResConfigSettings(models.TransientModel):
    """Readiness line for the invoice PDFs that the Send wizard renders.

    A wkhtmltopdf without Odoo's patched Qt (Debian's, for one) cannot render several
    invoices in one call: Odoo then refuses the whole batch ("Tried to convert multiple
    documents in wkhtmltopdf using unpatched QT"), and sending from the list fails on
    every run of its scheduled action. Rendering one invoice per call avoids it.
    """

    _inherit = "res.config.settings"

    qonto_ready_pdf = fields.Selection(READINESS, compute="_compute_qonto_ready_pdf")
    qonto_ready_pdf_text = fields.Char(compute="_compute_qonto_ready_pdf")

    @api.depends("company_id")
    def _compute_qonto_ready_pdf(self):
        wkhtml = _wkhtml()
        one_per_call = self.env["ir.config_parameter"].sudo().get_param(
            PDF_BATCH_PARAM) == ONE_PER_CALL
        if wkhtml.state != "ok":
            state, text = "todo", self.env._(
                "wkhtmltopdf is not installed (or too old): Odoo cannot render the invoice "
                "PDFs that the Send wizard attaches. Install wkhtmltopdf 0.12.6.")
        elif wkhtml.is_patched_qt:
            state, text = "ok", self.env._("wkhtmltopdf renders invoices in batches.")
        elif one_per_call:
            state, text = "ok", self.env._(
                "wkhtmltopdf here lacks Odoo's patched Qt: Odoo renders one invoice at a "
                "time, so sending many invoices at once works.")
        else:
            state, text = "todo", self.env._(
                "wkhtmltopdf here lacks Odoo's patched Qt, so Odoo cannot render several "
                "invoices in one go: sending many invoices from the list would fail. Render "
                "one invoice at a time (system parameter %(param)s = %(value)s), or install "
                "wkhtmltopdf with patched Qt.", param=PDF_BATCH_PARAM, value=ONE_PER_CALL)
        self.qonto_ready_pdf = state
        self.qonto_ready_pdf_text = text

    def action_qonto_pdf_one_per_call(self):
        """Make Odoo render one invoice PDF per wkhtmltopdf call (a system setting)."""
        check_qonto_access(self, SETTINGS)
        self.env["ir.config_parameter"].sudo().set_param(PDF_BATCH_PARAM, ONE_PER_CALL)
        return self._qonto_notification(self.env._(
            "Odoo now renders one invoice at a time: sending many invoices at once works "
            "with this wkhtmltopdf."), "success")
