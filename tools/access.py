"""Who may act in Qonto: the check every public action of the addon makes first.

A view's ``groups=`` only hides a button; the same method is one RPC away for any
logged-in user (``/web/dataset/call_button``). So each ``action_*`` method that acts in
Qonto, or changes what Odoo knows of Qonto, starts with :func:`check_qonto_access`, with
the group its button names.
"""

from odoo.exceptions import AccessError

BILLING = "account.group_account_invoice"
"""Invoices, bills, contacts: the group of the buttons of invoices and contacts."""
SETTINGS = "base.group_system"
"""The company's connection to Qonto: the group of the Settings buttons."""
ACCOUNTING_MANAGER = "account.group_account_manager"

# Context keys that make an action do more than its button does, and the group each
# asks for: a key passed by RPC is the caller's word, not a confirmation.
WIDENING_CONTEXT_KEYS = {
    # Tells Qonto an invoice is paid that Odoo's books say is unpaid; the scheduled
    # payment sync then keeps it: an accounting administrator's decision.
    "qonto_mark_paid_without_payment": ACCOUNTING_MANAGER,
}


def check_qonto_access(records, group, operation="write"):
    """Raise :class:`~odoo.exceptions.AccessError` unless the current user is in
    ``group`` and may ``operation`` (``"read"``, ``"write"``, ``"create"``, or ``None``
    for none) ``records``, and is in the group of each widening context key set.

    Under sudo (scheduled actions, the webhook route, code that already checked) it
    passes: the check is for what a user asks by RPC.
    """
    env = records.env
    if env.su:
        return
    user = env.user
    needed = [group, *(key_group for key, key_group in WIDENING_CONTEXT_KEYS.items()
                       if env.context.get(key))]
    for group_xmlid in needed:
        if not user.has_group(group_xmlid):
            raise AccessError(env._(
                "%(user)s may not do this in Qonto (%(model)s): it needs the \"%(group)s\" "
                "access rights.", user=user.name, model=records._description,
                group=env.ref(group_xmlid).sudo().full_name))
    if operation:
        records.check_access(operation)
