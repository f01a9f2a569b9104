import { registry } from "@web/core/registry";

// Connect with Qonto, from Settings > Invoicing > Qonto, as a system administrator.
//
// Clicking the button leaves Odoo for Qonto's consent page, on another origin where no
// tour runs: the test (tests/test_oauth_tour.py) answers that page itself, through Chrome
// DevTools, and the tour resumes when the browser is back on Odoo's Settings.

const CONNECT = "button[name=action_qonto_oauth_connect]";
const DISCONNECT = "button[name=action_qonto_oauth_disconnect]";

const leaveForQonto = [
    {
        content: "The Qonto block of Settings is not connected: it offers Connect with Qonto",
        trigger: `#qonto_enabled:not(:has(.badge:contains(Connected with Qonto))) ${CONNECT}`,
    },
    {
        content: "No organization is known yet",
        trigger: "#qonto_enabled:not(:has(.o_field_widget[name=qonto_organization_name]))",
    },
    {
        content: "Connect with Qonto: off to Qonto's consent page",
        trigger: CONNECT,
        run: "click",
        expectUnloadPage: true,
    },
];

registry.category("web_tour.tours").add("account_qonto_einvoicing_oauth_allow", {
    steps: () => [
        ...leaveForQonto,
        // ... the test clicks Allow on Qonto's page; Qonto sends the browser back to
        // Odoo's callback, which stores the tokens and redirects to Settings.
        {
            content: "Back in Settings: connected with Qonto",
            trigger: "#qonto_enabled .badge:contains(Connected with Qonto)",
        },
        {
            content: "The organization that gave its consent is shown",
            trigger:
                "#qonto_enabled .o_field_widget[name=qonto_organization_name]:contains(Démo Simulateur SAS)",
        },
        {
            content: "Connect with Qonto gives way to Disconnect",
            trigger: `#qonto_enabled:not(:has(${CONNECT})) ${DISCONNECT}`,
        },
        {
            content: "The API key fields are gone: the connection replaces them",
            trigger: "#qonto_enabled:not(:has(.o_field_widget[name=qonto_secret_key_input]))",
        },
    ],
});

registry.category("web_tour.tours").add("account_qonto_einvoicing_oauth_deny", {
    steps: () => [
        ...leaveForQonto,
        // ... the test clicks Deny on Qonto's page, checks the refusal message on Odoo's
        // answer to Qonto's redirect and follows its link back to Settings.
        {
            content: "Back in Settings: still not connected, Connect with Qonto is offered again",
            trigger: `#qonto_enabled:not(:has(.badge:contains(Connected with Qonto))) ${CONNECT}`,
        },
        {
            content: "Nothing to disconnect, no organization",
            trigger: `#qonto_enabled:not(:has(${DISCONNECT})):not(:has(.o_field_widget[name=qonto_organization_name]))`,
        },
    ],
});
