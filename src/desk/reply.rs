//! `reply`: a public comment from a template (or text), with field changes, in one
//! commit; optionally with a link to the KB article that best answers the ticket.
