//! Priority: a score from importance and urgency (1-5) with the config's weights, raised
//! by the customer's tier, mapped to a band; a band set by hand wins.
