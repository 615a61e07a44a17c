//! `automate`: the config's automation rules over every open ticket, idempotently: a
//! rule fires on a ticket once per condition (recorded as a rule event in the ticket's
//! folder), one commit per ticket with a `Docket-Rule:` trailer.
