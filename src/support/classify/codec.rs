//! A model as bytes, for the cache: a magic line with the format version, then each
//! part as little-endian numbers behind its length. Reading checks every length against
//! what is left, so a truncated or foreign file is refused (`None`), never a panic; the
//! caller then trains again.

/// The first bytes of a saved model; the digit is the format version.
pub const MAGIC: &[u8] = b"docket-classifier-1\n";

/// Appends the parts of a model.
#[derive(Default)]
pub struct Writer(pub Vec<u8>);

impl Writer {
    /// A length or count.
    pub fn len(&mut self, n: usize) {
        self.0
            .extend_from_slice(&u64::try_from(n).unwrap_or(u64::MAX).to_le_bytes());
    }

    /// One byte.
    pub fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    /// A list of strings.
    pub fn strings(&mut self, v: &[String]) {
        self.len(v.len());
        for s in v {
            self.len(s.len());
            self.0.extend_from_slice(s.as_bytes());
        }
    }

    /// A list of hashes.
    pub fn keys(&mut self, v: &[u64]) {
        self.len(v.len());
        for k in v {
            self.0.extend_from_slice(&k.to_le_bytes());
        }
    }

    /// A list of numbers.
    pub fn floats(&mut self, v: &[f32]) {
        self.len(v.len());
        for x in v {
            self.0.extend_from_slice(&x.to_le_bytes());
        }
    }
}

/// Reads back what [`Writer`] wrote.
pub struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    /// A length or count, at most what the rest could hold at `unit` bytes each.
    pub fn len(&mut self, unit: usize) -> Option<usize> {
        let n = u64::from_le_bytes(self.take(8)?.try_into().ok()?);
        let n = usize::try_from(n).ok()?;
        (n.checked_mul(unit.max(1))? <= self.0.len()).then_some(n)
    }

    /// One byte.
    pub fn byte(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }

    /// A list of strings.
    pub fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.len(8)?;
        (0..n)
            .map(|_| {
                let len = self.len(1)?;
                String::from_utf8(self.take(len)?.to_vec()).ok()
            })
            .collect()
    }

    /// A list of hashes.
    pub fn keys(&mut self) -> Option<Vec<u64>> {
        let n = self.len(8)?;
        let bytes = self.take(n * 8)?;
        bytes
            .chunks_exact(8)
            .map(|c| Some(u64::from_le_bytes(c.try_into().ok()?)))
            .collect()
    }

    /// A list of numbers.
    pub fn floats(&mut self) -> Option<Vec<f32>> {
        let n = self.len(4)?;
        let bytes = self.take(n * 4)?;
        bytes
            .chunks_exact(4)
            .map(|c| Some(f32::from_le_bytes(c.try_into().ok()?)))
            .collect()
    }

    /// Whether everything was read.
    pub fn is_done(&self) -> bool {
        self.0.is_empty()
    }
}
