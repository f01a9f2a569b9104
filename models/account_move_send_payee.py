from odoo import api, models

from ..tools.mapping import payment_problems


class AccountMoveSend(models.AbstractModel):
    """The Send wizard says, before the PDF is printed, which invoices name another
    account, reference or seller than the e-invoice would (they will not go out)."""

    _inherit = "account.move.send"

    @api.model
    def _get_alerts(self, moves, moves_data):
        alerts = super()._get_alerts(moves, moves_data)
        lines = []
        for move in moves.filtered(lambda m: "qonto" in moves_data[m]["sending_methods"]):
            problems = payment_problems(self.env, move) \
                + move.company_id._qonto_identity_problems()
            if problems:
                lines.append(self.env._("%(move)s: %(problems)s", move=move.display_name,
                                        problems=" ".join(problems)))
        if lines:
            alerts["account_qonto_einvoicing_one_account"] = {
                "level": "warning",
                "message": self.env._(
                    "These invoices will not go out through Qonto until the invoice Odoo "
                    "prints and the e-invoice agree:\n%(lines)s", lines="\n".join(lines)),
            }
        return alerts
