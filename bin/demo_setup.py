"""Run by bin/demo inside `odoo shell` (which provides `env`), not by hand.

Gives the demo database a French company on the Qonto simulator, French customers
(reachable or not) and posted invoices ready to send, then sends the first invoice of
two customers through Odoo's Send wizard (*by Qonto e-invoice*): the wizard renders the
invoice PDF with wkhtmltopdf, so this proves the path an accountant takes works on this
machine. Idempotent: customers and invoices are found before created.

Environment: QONTO_SIMULATOR_URL (the simulator), ODOO_BASE_URL (Odoo, for the webhook).
"""
import os
import sys

import requests

if "env" not in globals():  # run by hand, e.g. with --help: say what it is, do nothing
    print(__doc__)
    sys.exit(0 if {"-h", "--help"} & set(sys.argv) else 2)

from odoo.addons.account_qonto_einvoicing.qonto_einvoicing.identifiers import (
    fr_vat_key,
    is_siret,
    siren_of,
)

SIMULATOR = os.environ["QONTO_SIMULATOR_URL"]
BASE_URL = os.environ["ODOO_BASE_URL"]

company = env.ref("base.demo_company_fr")  # noqa: F821 - provided by odoo shell
env = env(context={"allowed_company_ids": [company.id]})  # noqa: F821
# The customers speak French: Odoo's Send wizard and e-mails need the language installed.
env["res.lang"]._activate_lang("fr_FR")
# Activating a language loads no module's terms: load them, or menus and fields stay English.
env["ir.module.module"].search([("state", "=", "installed")])._update_translations("fr_FR")
company.partner_id.lang = "fr_FR"
admin = env.ref("base.user_admin")
admin.write({"company_ids": [(4, company.id)], "company_id": company.id,
             # An accountant's day starts on the customer invoices, not on Discuss.
             "action_id": env.ref("account.action_move_out_invoice_type").id})
env["ir.config_parameter"].sudo().set_param("web.base.url", BASE_URL)
company.write({
    "qonto_enabled": True,
    "qonto_environment": "simulator",
    "qonto_simulator_url": SIMULATOR,
})
# As the administrator, who may trust the Qonto accounts (Odoo never lets the superuser
# of `odoo shell` trust a bank account, and confirms no invoice naming an untrusted one).
company.with_user(admin)._qonto_test_connection()
# The demo company is the simulated organization: Odoo's demo SIRET and VAT number belong
# to another SIREN, and the e-invoice names the organization's seller, so the company
# takes the organization's SIREN; its invoices not sent yet name the simulated Qonto
# account instead of Odoo's demo bank. The readiness checklist then has nothing to say.
siren = company.qonto_organization_siren
if siren and siren_of(company.company_registry) != siren:
    company.write({
        "company_registry": next(f"{siren}{nic:05d}" for nic in range(10, 100000)
                                 if is_siret(f"{siren}{nic:05d}")),
        "vat": f"FR{fr_vat_key(siren)}{siren}",
    })
# Debian's wkhtmltopdf lacks Odoo's patched Qt: Odoo then refuses to render several
# invoices in one call, and sending many invoices from the list fails on every run.
# The readiness checklist offers the same fix: one invoice per rendering.
settings = env["res.config.settings"].with_user(admin).create({})
if settings.qonto_ready_pdf == "todo":
    settings.action_qonto_pdf_one_per_call()
    print("demo: wkhtmltopdf without patched Qt: Odoo renders one invoice PDF at a time")
settings = env["res.config.settings"].with_company(company).create({})
settings.action_qonto_register_webhook()
settings.action_qonto_use_qonto_bank_account()
if company._qonto_identity_problems():
    raise SystemExit(f"demo: {company.name} is not its Qonto organization: "
                     f"{company._qonto_identity_problems()}")

# The customers live in the core (qonto_einvoicing/demo_data.py), whose tests check
# their identifiers: a customer without a scenario is not in the simulator's Annuaire,
# so not reachable.
from odoo.addons.account_qonto_einvoicing.qonto_einvoicing.demo_data import (  # noqa: E402
    ABROAD,
    CUSTOMERS,
)

tax = env["account.tax"].search([
    ("company_id", "=", company.id), ("type_tax_use", "=", "sale"),
    ("amount_type", "=", "percent"), ("amount", "=", 20.0)], limit=1)
products = [("Pain de campagne (lot de 12)", 3, 52.20), ("Livraison", 1, 35.00),
            ("Viennoiseries assorties", 10, 14.90)]
for customer in CUSTOMERS:
    name, siret, scenario = customer.name, customer.siret, customer.scenario
    partner = env["res.partner"].search([("company_registry", "=", siret)], limit=1)
    if not partner:
        partner = env["res.partner"].create({
            "name": name, "is_company": True, "company_registry": siret, "vat": customer.vat,
            "street": "8 rue des Lilas", "zip": "69003", "city": "Lyon",
            "country_id": env.ref("base.fr").id, "lang": "fr_FR",
            "email": f"compta@{siret}.example",
        })
    if scenario:
        requests.post(f"{SIMULATOR}/_simulator/scenarios", timeout=10,
                      json={"siren": siret[:9], "scenario": scenario}).raise_for_status()
    for _invoice in range(2):
        if env["account.move"].search_count([("partner_id", "=", partner.id),
                                              ("move_type", "=", "out_invoice")]) >= 2:
            break
        move = env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_user_id": admin.id,
            "invoice_line_ids": [(0, 0, {"name": label, "quantity": qty, "price_unit": price,
                                         "tax_ids": [(6, 0, tax.ids)]})
                                 for label, qty, price in products],
        })
        move.action_post()
    print(f"demo: {name} (SIRET {siret}) — {scenario or 'not reachable'}")
# A customer abroad (no SIREN): the network cannot reach it, so it is never offered
# "by Qonto e-invoice" and its invoices go by e-mail.
abroad = env["res.partner"].search([("name", "=", ABROAD.name)], limit=1) or \
    env["res.partner"].create({
        "name": ABROAD.name, "is_company": True, "street": "1 Congress Ave",
        "zip": "78701", "city": "Austin", "country_id": env.ref("base.us").id,
        "email": "ap@acme.example"})
if not env["account.move"].search_count([("partner_id", "=", abroad.id)]):
    env["account.move"].create({
        "move_type": "out_invoice", "partner_id": abroad.id, "invoice_user_id": admin.id,
        "invoice_line_ids": [(0, 0, {"name": "Conseil", "quantity": 1, "price_unit": 500.0,
                                     "tax_ids": [(6, 0, tax.ids)]})],
    }).action_post()
print("demo: Acme Corp (Austin, US) — abroad, by e-mail only")
# The supplier e-invoices waiting in the simulator's inbox become vendor bills, decoded by
# Odoo's importer; the hourly scheduled action brings the next ones.
bills = env["account.move"]._qonto_receive_company(company)
received = env["account.move"].search_count([("company_id", "=", company.id),
                                             ("qonto_einvoice_id.direction", "=", "received")])
print(f"demo: {len(bills)} supplier e-invoice(s) imported now, {received} vendor bill(s) "
      "received through Qonto")
env.cr.commit()

# The Send wizard, as an accountant uses it, on one invoice of the customers whose
# scenario ends well and badly: its PDF is rendered (wkhtmltopdf) and attached, and the
# invoice goes out through Qonto.
for name in ("Boulangerie Martin SARL", "Atelier Dupont SAS"):
    partner = env["res.partner"].search([("name", "=", name)], limit=1)
    moves = env["account.move"].search([("partner_id", "=", partner.id),
                                        ("move_type", "=", "out_invoice")], order="id")
    if any(moves.mapped("qonto_sent_at")):
        continue
    partner.action_qonto_check_reachability()
    move = moves[:1]
    wizard = env["account.move.send.wizard"].with_user(admin).with_context(
        active_model="account.move", active_ids=move.ids).create({})
    wizard.action_send_and_print()
    if not (move.qonto_sent_at and move.invoice_pdf_report_id):
        raise SystemExit(f"demo: the Send wizard did not send {move.name} through Qonto")
    env.cr.commit()
    print(f"demo: {move.name} sent through Odoo's Send wizard "
          f"(PDF {move.invoice_pdf_report_id.name}, by Qonto e-invoice)")
print(f"demo: company {company.name} on the Qonto simulator at {SIMULATOR}")

# Flow 2: an invoice with two taxes on a line (Qonto's invoice data cannot say it, so it
# goes as Odoo's own Factur-X through /bulk), sent, then a partial credit note for it.
from odoo.exceptions import UserError  # noqa: E402

martin = env["res.partner"].search([("company_registry", "=", "55210055400013")], limit=1)
if not env["account.move"].search_count([("partner_id", "=", martin.id),
                                         ("move_type", "=", "out_refund")]):
    tax_10 = env["account.tax"].search([
        ("company_id", "=", company.id), ("type_tax_use", "=", "sale"),
        ("amount_type", "=", "percent"), ("amount", "=", 10.0)], limit=1) or tax
    flow2 = env["account.move"].create({
        "move_type": "out_invoice", "partner_id": martin.id, "invoice_user_id": admin.id,
        "invoice_line_ids": [(0, 0, {"name": "Formation hygiène (TVA 20 % + 10 %)",
                                     "quantity": 1, "price_unit": 400.0,
                                     "tax_ids": [(6, 0, (tax | tax_10).ids)]})],
    })
    flow2.action_post()
    try:
        if flow2.qonto_flow_reason:
            print(f"demo: {flow2.name} — {flow2.qonto_flow_reason}")
        flow2.action_qonto_send()
        note = flow2._reverse_moves([{"ref": "Remise commerciale"}])
        note.invoice_line_ids.price_unit = 100.0
        note.action_post()
        note.action_qonto_send()
        print(f"demo: {flow2.name} sent (flow: {flow2.qonto_flow}); credit note {note.name} "
              f"sent too (flow: {note.qonto_flow})")
    except UserError as error:
        print(f"demo: Flow 2 not sent: {error}")
    env.cr.commit()

# The bank side: the Qonto account's journal, and OCA's Qonto statement import reading it
# every minute through the company's connection (the simulator), when bin/demo could
# install it. The "paid" customer's transfer then pays its invoice with no click.
if "online.bank.statement.provider" in env:
    journal = env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "bank")], order="id", limit=1)
    # The bank account Odoo keeps for the Qonto account (one IBAN, one record).
    company.qonto_bank_account_id._qonto_link_partner_bank()
    journal.bank_account_id = company.qonto_bank_account_id.partner_bank_id
    if not env["online.bank.statement.provider"].search_count(
            [("journal_id", "=", journal.id), ("service", "=", "qonto")]):
        env["online.bank.statement.provider"].create({
            "journal_id": journal.id, "service": "qonto",
            "interval_type": "minutes", "interval_number": 1})
    env.ref("account_statement_import_online.ir_cron_account_pull_online_bank_statements") \
        .write({"active": True, "interval_type": "minutes", "interval_number": 1})
    env.cr.commit()
    print(f"demo: {journal.name} ({journal.bank_account_id.acc_number}) reads Qonto's "
          "transactions every minute (OCA)")
else:
    print("demo: OCA's Qonto statement import is not installed: no bank lines from Qonto")
