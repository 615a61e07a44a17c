//! Reading every ticket's SLA facts for `sla` and `report`: the `sla` fast field holds,
//! per ticket, a [`FactRow`] as `support::sla::encode_row` wrote it at index time, so an
//! answer over 100,000 tickets reads one column and decodes a few numbers each.

use tantivy::Searcher;

use super::rows::StatusFilter;
use super::{IndexError, SearchIndex, panics};
use crate::support::sla::{FactRow, Want, decode_row_with};

impl SearchIndex {
    /// The facts of every ticket `filter` lets through, in no particular order.
    pub fn fact_rows(&self, filter: &StatusFilter, want: Want) -> Result<Vec<FactRow>, IndexError> {
        panics::catching("reading SLA facts", || {
            self.read_fact_rows(&self.searcher(), filter, want)
        })
        .map_err(|p| p.in_index(&self.dir))?
    }

    fn read_fact_rows(
        &self,
        searcher: &Searcher,
        filter: &StatusFilter,
        want: Want,
    ) -> Result<Vec<FactRow>, IndexError> {
        let query = self.tickets_query(filter);
        let weight = query
            .weight(tantivy::query::EnableScoring::disabled_from_searcher(
                searcher,
            ))
            .map_err(IndexError::tantivy(&self.dir, "reading SLA facts"))?;
        let name = searcher
            .schema()
            .get_field_name(self.fields.sla)
            .to_string();
        let damaged = || IndexError::Damaged {
            path: self.dir.clone(),
            message: "a ticket's SLA facts do not read back".into(),
        };
        let mut out = Vec::new();
        for seg in searcher.segment_readers() {
            let matched = self.live_matches(weight.as_ref(), seg, "reading SLA facts")?;
            if matched.is_empty() {
                continue;
            }
            let Some(col) = seg
                .fast_fields()
                .bytes(&name)
                .map_err(IndexError::tantivy(&self.dir, "reading SLA facts"))?
            else {
                continue;
            };
            let mut ords: Vec<u64> = matched
                .iter()
                .filter_map(|&doc| col.ords().first(doc))
                .collect();
            ords.sort_unstable();
            ords.dedup();
            let mut bad = false;
            col.dictionary()
                .sorted_ords_to_term_cb(&ords, |bytes| match decode_row_with(bytes, want) {
                    Some(row) => out.push(row),
                    None => bad = true,
                })
                .map_err(|e| IndexError::Io {
                    path: self.dir.clone(),
                    error: e,
                })?;
            if bad {
                return Err(damaged());
            }
        }
        Ok(out)
    }
}
