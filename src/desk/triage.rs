//! `triage`: routing rules, then learned suggestions, on every untriaged ticket; a dry
//! run unless applied, and then one commit per ticket with a trailer naming the rule or
//! the model.
